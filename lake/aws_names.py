"""Names of every AWS resource, computed from the settings and the assets (one home each).

Physical names are what the runtime looks up (a job, a role, a secret, a bucket); logical ids are
the template's keys. Both are derived here, beside the settings, so the template, the Glue job and
the boto3 paths never disagree. Every account-wide name (IAM roles, Glue databases and jobs, the
stack, the ECR repository, secrets, log groups, the KMS alias) starts with the settings' name
prefix (``BHNAV_NAME_PREFIX``), so two stacks with different prefixes share one account.
"""

from __future__ import annotations

from assets.asset import Asset
from lake.settings import Settings

# Placeholders resolved by CloudFormation (``Fn::Sub``) when a document is used in the template;
# callers outside the template pass concrete values instead.
ACCOUNT_REF = "${AWS::AccountId}"


def project(settings: Settings) -> str:
    """The short prefix of every account-wide name (``bhnav`` by default)."""
    return settings.name_prefix


def logical_id(*parts: str) -> str:
    """A CloudFormation logical id: alphanumeric CamelCase of the parts (``glue_job``, ``x`` -> ``GlueJobX``)."""
    words: list[str] = []
    for part in parts:
        words.extend(w for w in part.replace("-", "_").split("_") if w)
    return "".join(w[:1].upper() + w[1:] for w in words)


def job_name(asset: Asset, settings: Settings) -> str:
    return f"{project(settings)}-{asset.name}"


def job_role_name(asset: Asset, settings: Settings) -> str:
    return f"{project(settings)}-glue-{asset.name}"[:64]


def job_log_prefix(asset: Asset, settings: Settings) -> str:
    """The job's ``--custom-logGroup-prefix`` (Glue 5.x logging; Glue 4's continuous-logging
    arguments are gone): Glue writes ``<prefix>/.../output`` (the script's stdout and stderr) and
    ``<prefix>/.../error`` (Spark's and Glue's own logs)."""
    return f"/aws-glue/{project(settings)}/{asset.name}"


def job_log_groups(asset: Asset, settings: Settings) -> dict[str, str]:
    """``{"output": ..., "error": ...}``: the groups Glue 5.x writes a job's logs to. With a security
    configuration that encrypts CloudWatch logs (ours does), Glue puts the configuration's and the
    role's names between the prefix and the kind."""
    base = f"{job_log_prefix(asset, settings)}/{security_configuration(settings)}-role/{job_role_name(asset, settings)}"
    return {"output": f"{base}/output", "error": f"{base}/error"}


def job_log_group(asset: Asset, settings: Settings) -> str:
    """The group holding a run's driver output (stream ``<run id>-driver``... named by run id)."""
    return job_log_groups(asset, settings)["output"]


def security_configuration(settings: Settings) -> str:
    return f"{project(settings)}-glue-security"


def role_name(settings: Settings, purpose: str) -> str:
    """Roles that are not per asset: ``landing``, ``app``, ``airflow``, ``ecs-execution``."""
    return f"{project(settings)}-{purpose}"


def deploy_prefix(settings: Settings) -> str:
    """The folder of the lake bucket holding the deployed code (where the project's zip goes)."""
    key = settings.project_zip_key
    return key.rsplit("/", 1)[0] if "/" in key else "deploy"


def glue_script_key(settings: Settings) -> str:
    """Where ``runs/job.py``, the Glue entry point, is uploaded by ``bhnav deploy package``."""
    return f"{deploy_prefix(settings)}/runs/job.py"


def wheel_prefix(settings: Settings) -> str:
    return f"{deploy_prefix(settings)}/wheels"


def dags_prefix(settings: Settings) -> str:
    """MWAA reads its DAG folder and requirements from here (``bhnav deploy dags``)."""
    return "mwaa/dags"


def mwaa_requirements_key(settings: Settings) -> str:
    return "mwaa/requirements.txt"


def mwaa_plugins_key(settings: Settings) -> str:
    return "mwaa/plugins.zip"


def athena_results_bucket(settings: Settings) -> str:
    """The Athena results bucket: ``ATHENA_OUTPUT``'s bucket, else ``<lake bucket>-athena``."""
    if settings.athena_output and settings.athena_output.startswith("s3://"):
        return settings.athena_output[len("s3://"):].split("/", 1)[0]
    return f"{settings.require_bucket()}-athena"


def athena_results_prefix(settings: Settings) -> str:
    if settings.athena_output and settings.athena_output.startswith("s3://"):
        rest = settings.athena_output[len("s3://"):].split("/", 1)
        if len(rest) == 2 and rest[1].strip("/"):
            return rest[1].strip("/")
    return "results"


def access_log_bucket(settings: Settings) -> str:
    return f"{settings.require_bucket()}-access-logs"


def artifacts_bucket(settings: Settings) -> str:
    """Holds the template between ``deploy stack`` runs (the lake bucket is created by the stack)."""
    return f"{settings.require_bucket()}-cfn"


def ecr_repository(settings: Settings) -> str:
    return f"{project(settings)}-app"


def stack_name(settings: Settings) -> str:
    return f"{project(settings)}-lakehouse"


def kms_alias(settings: Settings) -> str:
    return f"alias/{project(settings)}-lake"


def secret_name(settings: Settings, source: str) -> str:
    """The Secrets Manager name of a source's credentials (``BHNAV_SECRET_<SOURCE>`` may override)."""
    return settings.secret_ids.get(source) or f"{project(settings)}/sources/{source}"


# The secret holding the PII salt (``{"salt": "..."}``) when an asset names none of its own.
PII_SALT_SECRET = "pii_salt"


def pii_salt_secret(asset: Asset, settings: Settings) -> str:
    """The Secrets Manager name of an asset's PII salt: its own ``pii_salt_secret``, else the lake's."""
    name = asset.pii_salt_secret or PII_SALT_SECRET
    key = name.strip().lower().replace("-", "_")
    if name.startswith("arn:") or "/" in name:
        return name
    return settings.secret_ids.get(key) or f"{project(settings)}/{key.replace('_', '-')}"


def alert_topic(settings: Settings) -> str:
    return f"{project(settings)}-alerts"
