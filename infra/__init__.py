"""AWS delivery: the CloudFormation template generated from the asset graph and the settings.

``infra.template.build_template(graph, settings)`` assembles the parts; each part lives in its
own module (buckets, glue, iam, athena, secrets, alerts, app hosting, mwaa). The IAM policy
documents (``infra.iam``) and the Glue job definition (``lake.glue_job_spec``) are plain
functions returning dicts, so the runtime (boto3) and the tests use the very same documents.
Nothing here imports boto3 at module level.
"""
