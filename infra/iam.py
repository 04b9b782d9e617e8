"""Least-privilege IAM policy documents, as plain functions returning dicts.

The template (``infra.iam_roles``) attaches exactly these documents, and the tests give the same
documents to moto's IAM enforcement and to parliament: one definition of each permission.

Every function takes ``account`` (``"*"`` by default, ``ACCOUNT_REF`` inside the template) and
``kms_key_arn`` (by default the ``BHNAV_KMS_KEY_ID`` setting when it is an ARN, else any key of
the account in the region); the region comes from the settings. S3 access is granted per prefix,
computed with ``lake.locations.table_key`` so a role can reach only the tables it must.
"""

from __future__ import annotations

from assets.asset import Asset
from lake import aws_names as names
from lake.locations import quarantine_key, table_key
from lake.settings import Settings
from infra.metrics import freshness_metric
from spark.pii import hashes_pii

VERSION = "2012-10-17"
S3_READ = ["s3:GetObject"]
S3_WRITE = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
KMS_USE = ["kms:Decrypt", "kms:GenerateDataKey"]
CATALOG_READ = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions"]
CATALOG_WRITE = [
    "glue:GetTable", "glue:CreateTable", "glue:UpdateTable",
    "glue:GetPartitions", "glue:BatchCreatePartition", "glue:BatchDeletePartition",
]


def document(*statements: dict) -> dict:
    return {"Version": VERSION, "Statement": [s for s in statements if s]}


def statement(sid: str, actions: list[str], resources: list[str] | str, condition: dict | None = None) -> dict:
    body = {"Sid": sid, "Effect": "Allow", "Action": sorted(set(actions)),
            "Resource": resources if isinstance(resources, str) else list(dict.fromkeys(resources))}
    if condition:
        body["Condition"] = condition
    return body


# ARNs -----------------------------------------------------------------------------------------

def bucket_arn(bucket: str) -> str:
    return f"arn:aws:s3:::{bucket}"


def prefix_arn(bucket: str, prefix: str) -> str:
    """Every object under a prefix (the prefix is a folder: ``raw/pbh/x`` covers ``raw/pbh/x/...``)."""
    return f"arn:aws:s3:::{bucket}/{prefix.strip('/')}/*"


def _list_on(bucket: str, sid: str, prefixes: list[str]) -> dict:
    """ListBucket limited to the prefixes (the folder itself and everything below)."""
    patterns = []
    for prefix in dict.fromkeys(p.strip("/") for p in prefixes):
        patterns += [prefix, f"{prefix}/*"]
    return statement(sid, ["s3:ListBucket"], [bucket_arn(bucket)], {"StringLike": {"s3:prefix": patterns}})


def glue_arn(settings: Settings, account: str, resource: str) -> str:
    return f"arn:aws:glue:{settings.aws_region}:{account}:{resource}"


def catalog_arns(settings: Settings, account: str, zone: str, table: str = "*") -> list[str]:
    """Glue checks the catalog, the database and the table on every table call."""
    database = settings.database(zone)
    return [
        glue_arn(settings, account, "catalog"),
        glue_arn(settings, account, f"database/{database}"),
        glue_arn(settings, account, f"table/{database}/{table}"),
    ]


def kms_arn(settings: Settings, account: str, kms_key_arn: str | None) -> str:
    if kms_key_arn:
        return kms_key_arn
    if settings.kms_key_id and settings.kms_key_id.startswith("arn:"):
        return settings.kms_key_id
    return f"arn:aws:kms:{settings.aws_region}:{account}:key/*"


def log_group_arn(settings: Settings, account: str, group: str) -> str:
    return f"arn:aws:logs:{settings.aws_region}:{account}:log-group:{group}:*"


def secret_arn(settings: Settings, account: str, name: str) -> str:
    if name.startswith("arn:"):
        return name
    # Secrets Manager appends "-" and six random characters to a secret's name.
    return f"arn:aws:secretsmanager:{settings.aws_region}:{account}:secret:{name}-??????"


def _kms(settings: Settings, account: str, kms_key_arn: str | None) -> dict:
    return statement("UseLakeKey", KMS_USE, [kms_arn(settings, account, kms_key_arn)])


# Per-asset Glue job -----------------------------------------------------------------------------

def job_s3_prefixes(asset: Asset, graph) -> dict[str, list[str]]:
    """What a job reads (its inputs' tables) and writes (its own table and quarantine)."""
    return {
        "read": [table_key(graph[dep]) for dep in asset.deps],
        "write": [table_key(asset), quarantine_key(asset)],
    }


def glue_job_policy(asset: Asset, graph, settings: Settings, *, account: str = "*",
                    kms_key_arn: str | None = None) -> dict:
    bucket = settings.require_bucket()
    prefixes = job_s3_prefixes(asset, graph)
    code = [f"arn:aws:s3:::{bucket}/{settings.project_zip_key}", f"arn:aws:s3:::{bucket}/{names.glue_script_key(settings)}"]
    catalog_read: list[str] = []
    for dep in asset.deps:
        catalog_read += catalog_arns(settings, account, graph[dep].zone, dep)
    logs = [log_group_arn(settings, account, group) for group in names.job_log_groups(asset, settings).values()]
    salt = ([statement("ReadPiiSalt", ["secretsmanager:GetSecretValue"],
                       [secret_arn(settings, account, names.pii_salt_secret(asset, settings))])]
            if hashes_pii(asset) else [])
    return document(
        statement("ReadInputTables", S3_READ, [prefix_arn(bucket, p) for p in prefixes["read"]]),
        statement("WriteOwnTable", S3_WRITE, [prefix_arn(bucket, p) for p in prefixes["write"]]),
        _list_on(bucket, "ListOwnPrefixes", prefixes["read"] + prefixes["write"]),
        statement("ReadJobCode", S3_READ, code),
        statement("ReadInputCatalog", CATALOG_READ, catalog_read),
        statement("WriteOwnCatalogTable", CATALOG_WRITE + ["glue:GetDatabase"],
                  catalog_arns(settings, account, asset.zone, asset.name)),
        _kms(settings, account, kms_key_arn),
        # Glue 5.x writes <prefix>/<security configuration>-role/<role>/output and .../error.
        statement("WriteJobLogs", ["logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey",
                                   "logs:CreateLogGroup"], logs),
        *salt,
        statement("PublishJobMetrics", ["cloudwatch:PutMetricData"], "*",
                  {"StringEquals": {"cloudwatch:namespace": "Glue"}}),
    )


# Landing ----------------------------------------------------------------------------------------

def source_secret_names(settings: Settings, graph=None) -> dict[str, str]:
    """Source -> secret name: FTP credentials always, each FTP source, and ``BHNAV_SECRET_<SOURCE>``."""
    if graph is None:
        from assets.definitions import load_graph

        graph = load_graph()
    found = {"ftp": settings.ftp_secret_id or names.secret_name(settings, "ftp")}
    for asset in graph:
        if asset.source is not None and asset.source.ftp is not None:
            key = asset.source.ftp.secret or asset.source.name
            found.setdefault(key, names.secret_name(settings, key))
    for source in settings.secret_ids:
        found[source] = names.secret_name(settings, source)
    return dict(sorted(found.items()))


def _landing_statements(settings: Settings, graph, account: str, kms_key_arn: str | None) -> list[dict]:
    bucket = settings.require_bucket()
    raw_assets = [a for a in graph if a.is_raw]
    secrets = source_secret_names(settings, graph)
    return [
        # Put and read (head checks, checksums), never delete: landed keys are never overwritten
        # and retention is the bucket's lifecycle rule.
        statement("LandRawFiles", ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
                  [prefix_arn(bucket, "raw")]),
        _list_on(bucket, "ListRaw", ["raw"]),
        statement("RegisterRawTables", CATALOG_WRITE + ["glue:GetDatabase"],
                  catalog_arns(settings, account, "raw", "*")
                  if not raw_assets else
                  [arn for a in raw_assets for arn in catalog_arns(settings, account, "raw", a.name)]),
        statement("ReadSourceSecrets", ["secretsmanager:GetSecretValue"],
                  [secret_arn(settings, account, name) for name in secrets.values()]),
    ]


def _graph():
    from assets.definitions import load_graph

    return load_graph()


def landing_policy(settings: Settings, graph=None, *, account: str = "*", kms_key_arn: str | None = None) -> dict:
    graph = graph if graph is not None else _graph()
    return document(*_landing_statements(settings, graph, account, kms_key_arn), _kms(settings, account, kms_key_arn))


# App (Streamlit on EC2 or ECS) --------------------------------------------------------------------

def app_policy(settings: Settings, *, account: str = "*", kms_key_arn: str | None = None) -> dict:
    bucket = settings.require_bucket()
    results_bucket = names.athena_results_bucket(settings)
    results_prefix = names.athena_results_prefix(settings)
    workgroup = f"arn:aws:athena:{settings.aws_region}:{account}:workgroup/{settings.athena_workgroup}"
    catalog = [glue_arn(settings, account, "catalog")]
    for zone in ("curated", "analytics"):
        catalog += catalog_arns(settings, account, zone)[1:]
    return document(
        statement("QueryThroughWorkgroup", [
            "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
            "athena:StopQueryExecution", "athena:GetWorkGroup",
        ], [workgroup]),
        statement("ReadCatalog", CATALOG_READ, catalog),
        statement("ReadServedTables", S3_READ, [prefix_arn(bucket, "curated"), prefix_arn(bucket, "analytics")]),
        _list_on(bucket, "ListServedTables", ["curated", "analytics"]),
        statement("LocateBuckets", ["s3:GetBucketLocation"], [bucket_arn(bucket), bucket_arn(results_bucket)]),
        statement("WriteQueryResults", ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
                  [prefix_arn(results_bucket, results_prefix)]),
        _list_on(results_bucket, "ListQueryResults", [results_prefix]),
        _kms(settings, account, kms_key_arn),
    )


def app_host_policy(settings: Settings, *, account: str = "*") -> dict:
    """What the host itself needs (EC2 instance or ECS task execution): pull the image, write logs."""
    repository = f"arn:aws:ecr:{settings.aws_region}:{account}:repository/{names.ecr_repository(settings)}"
    return document(
        # GetAuthorizationToken has no resource: AWS only accepts "*" for it.
        statement("EcrLogin", ["ecr:GetAuthorizationToken"], "*"),
        statement("PullAppImage", ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                                   "ecr:GetDownloadUrlForLayer"], [repository]),
        statement("WriteAppLogs", ["logs:CreateLogStream", "logs:PutLogEvents"],
                  [log_group_arn(settings, account, app_log_group(settings))]),
    )


def app_log_group(settings: Settings) -> str:
    return f"/{names.project(settings)}/app"


# Airflow (MWAA execution role) -----------------------------------------------------------------

def mwaa_environment_name(settings: Settings) -> str:
    return f"{names.project(settings)}-airflow"


def airflow_policy(settings: Settings, graph=None, *, account: str = "*", kms_key_arn: str | None = None) -> dict:
    """Run the lake: land (the landing statements), start and watch the Glue jobs, publish freshness."""
    from lake.glue_job_spec import job_assets

    graph = graph if graph is not None else _graph()
    bucket = settings.require_bucket()
    environment = mwaa_environment_name(settings)
    jobs = [glue_arn(settings, account, f"job/{names.job_name(a, settings)}") for a in job_assets(graph)]
    catalog = [glue_arn(settings, account, "catalog")]
    for zone in ("raw", "curated", "analytics"):
        catalog += catalog_arns(settings, account, zone)[1:]
    return document(
        *_landing_statements(settings, graph, account, kms_key_arn),
        statement("RunGlueJobs", ["glue:GetJob", "glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns",
                                  "glue:BatchStopJobRun"], jobs),
        statement("ReadCatalogForFreshness", CATALOG_READ, catalog),
        statement("ReadDagBundle", ["s3:GetObject"], [prefix_arn(bucket, "mwaa")]),
        _list_on(bucket, "ListDagBundle", ["mwaa"]),
        statement("ReadBucketForMwaa", ["s3:GetBucketLocation", "s3:GetBucketVersioning"], [bucket_arn(bucket)]),
        statement("PublishAirflowMetrics", ["airflow:PublishMetrics"],
                  [f"arn:aws:airflow:{settings.aws_region}:{account}:environment/{environment}"]),
        statement("WriteAirflowLogs", ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents",
                                       "logs:GetLogEvents", "logs:GetLogRecord", "logs:GetLogGroupFields"],
                  [log_group_arn(settings, account, f"airflow-{environment}-*")]),
        # MWAA checks these account-wide at start; neither has a narrower resource.
        statement("MwaaAccountChecks", ["logs:DescribeLogGroups", "s3:GetAccountPublicAccessBlock"], "*"),
        statement("PublishFreshnessMetrics", ["cloudwatch:PutMetricData"], "*",
                  {"StringEquals": {"cloudwatch:namespace": [freshness_metric(settings)[0], "AmazonMWAA"]}}),
        statement("UseCeleryQueue", ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                     "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage"],
                  [f"arn:aws:sqs:{settings.aws_region}:*:airflow-celery-*"]),
        # MWAA encrypts its queue, logs and metadata with the lake key when given one.
        statement("UseLakeKey", KMS_USE + ["kms:DescribeKey", "kms:Encrypt"], [kms_arn(settings, account, kms_key_arn)]),
    )
