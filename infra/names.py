"""Names of every AWS resource, computed from the settings and the assets (one home each).

Physical names are what the runtime looks up (a job, a role, a bucket); logical ids are the
template's keys. Both are derived here so the template and the boto3 paths never disagree.
"""

from __future__ import annotations

from assets.asset import Asset
from lake.settings import Settings

# Placeholders resolved by CloudFormation (``Fn::Sub``) when a document is used in the template;
# callers outside the template pass concrete values instead.
ACCOUNT_REF = "${AWS::AccountId}"


def project(settings: Settings) -> str:
    """The short prefix of every resource name (``bhnav`` by default)."""
    return settings.glue_database_prefix


def logical_id(*parts: str) -> str:
    """A CloudFormation logical id: alphanumeric CamelCase of the parts (``glue_job``, ``x`` -> ``GlueJobX``)."""
    words: list[str] = []
    for part in parts:
        words.extend(w for w in part.replace("-", "_").split("_") if w)
    return "".join(w[:1].upper() + w[1:] for w in words)


def job_name(asset: Asset, settings: Settings) -> str:
    return f"{project(settings)}-{asset.name}"


def job_role_name(asset: Asset, settings: Settings) -> str:
    return f"{settings.glue_role_prefix}-{asset.name}"[:64]


def job_log_group(asset: Asset, settings: Settings) -> str:
    """The job's continuous-logging group (``--continuous-log-logGroup``)."""
    return f"/aws-glue/{project(settings)}/{asset.name}"


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
    """Where ``spark/job.py``, the Glue entry point, is uploaded by ``bhnav deploy package``."""
    return f"{deploy_prefix(settings)}/spark/job.py"


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


def alert_topic(settings: Settings) -> str:
    return f"{project(settings)}-alerts"


def freshness_metric(settings: Settings) -> tuple[str, str]:
    """(namespace, metric name) of the stale-asset count the freshness DAG publishes."""
    from airflow_dags.alerts import METRIC_NAMESPACE, STALE_METRIC  # a light module: logging only

    return METRIC_NAMESPACE, STALE_METRIC
