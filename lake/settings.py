"""The one place configuration is read, always at call time (never at import).

Every value comes from the environment (``BHNAV_*`` and the standard ``AWS_*`` names), so
the same code runs locally, in CI, in Airflow and in a Glue job without edits.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

ENVIRONMENTS = ("local", "aws")
# The PII salt of development lakes: public, so refused in AWS (spark.pii).
DEV_PII_SALT = "bhnav-dev-salt-NOT-SECRET"
DAG_GROUPINGS = ("asset", "source")
DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36 bhnav-lakehouse"
)

from assets.definitions import extra_assets_dir


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and the fix."""


# The name prefix starts every account-wide name: IAM roles, Glue databases (``<prefix>_curated``)
# and jobs, the stack. Lowercase letters and digits only: valid in all of those names.
_NAME_PREFIX = re.compile(r"^[a-z][a-z0-9]{1,15}$")
# S3's bucket rules; 51 characters at most, so the derived buckets (``<bucket>-access-logs``) fit in 63.
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,49}[a-z0-9]$")
BUCKET_SUFFIX_ROOM = 12


def check_bucket(name: str) -> str:
    """``name`` if S3 (and the buckets named after it) accept it, else a SettingsError naming S3_BUCKET."""
    problem = None
    if not _BUCKET.match(name):
        problem = ("use 3 to 51 lowercase letters, digits, hyphens or dots, starting and ending with a letter "
                   "or digit")
    elif ".." in name or ".-" in name or "-." in name:
        problem = "dots may not be doubled or touch a hyphen"
    elif re.match(r"^\d+\.\d+\.\d+\.\d+$", name):
        problem = "it may not look like an IP address"
    elif name.startswith(("xn--", "sthree-")) or name.endswith(("-s3alias", "--ol-s3")):
        problem = "S3 reserves that prefix or suffix"
    if problem:
        raise SettingsError(f"S3_BUCKET={name!r} is not a valid bucket name: {problem} (e.g. bhnav-lake-123456789012).")
    return name


@dataclass(frozen=True, kw_only=True)
class Settings:
    env: str = "local"
    lake_dir: Path = Path(".lake")
    snapshot_dir: Path | None = None
    extra_assets_dir: Path | None = None
    ckan_url: str = "https://dados.pbh.gov.br"
    user_agent: str = DEFAULT_USER_AGENT
    http_timeout_s: float = 60.0
    http_retries: int = 4
    backoff_base_s: float = 1.0
    raw_retention_days: int = 365
    target_file_size_mb: int = 128
    # Spark (local runs; Glue brings its own session)
    spark_master: str = "local[2]"
    spark_driver_memory: str = "2g"
    spark_shuffle_partitions: int = 8
    spark_jars: str | None = None  # comma-separated jar paths instead of the Maven download
    # The typed copy's projection compiles to methods over the JVM's 8 KB JIT limit: without this
    # flag they stay interpreted and a wide file reads five times slower (bench/accidents_spark_vs_duckdb.py).
    spark_java_options: str = "-XX:-DontCompileHugeMethods"
    spark_ui: bool = False  # Spark's web UI (bound to loopback locally); BHNAV_SPARK_UI=1 asks for it
    # Salt of the PII hashes. The default is for development only; set BHNAV_PII_SALT (or the
    # asset's pii_salt_secret in AWS) for a real lake. repr=False: it is a secret.
    pii_salt: str = field(default=DEV_PII_SALT, repr=False)
    # Limits of every query (catalog/query_limits.py) and where queries are logged (catalog/query_log.py)
    query_timeout_s: float = 30.0
    query_memory_limit: str = "2GB"
    query_max_rows: int = 100_000
    query_max_result_mb: int = 256
    query_log: Path | None = None
    # The app's login password: the name of a secret holding {"password": ...} (lake.secrets)
    app_password_secret: str = "app"
    app_login: str = "auto"  # "auto": a login beyond loopback only; "required": always (behind a proxy)
    task_retries: int = 2
    task_retry_delay_s: int = 300
    task_timeout_s: int = 3600
    # AWS
    aws_region: str = "sa-east-1"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    kms_key_id: str | None = None
    athena_workgroup: str = "bhnav"
    athena_output: str | None = None
    name_prefix: str = "bhnav"
    glue_version: str = "5.1"
    glue_worker_type: str = "G.1X"
    glue_workers: int = 2
    project_zip_key: str = "deploy/bhnav.zip"
    sns_topic_arn: str | None = None
    # Endpoint of every AWS service (an emulator such as moto's server); None: AWS's own endpoints.
    aws_endpoint_url: str | None = None
    s3_part_size_mb: int = 16  # files above one part are uploaded in parts of this size (S3 minimum: 5)
    glue_poll_s: float = 15.0  # how often `bhnav materialize --env aws` asks Glue about its runs
    athena_poll_s: float = 1.0
    # Airflow: one DAG per asset ("asset"), or a raw asset and its single curated consumer in one DAG ("source")
    dag_grouping: str = "asset"
    ftp_secret_id: str | None = None
    secret_ids: dict[str, str] = field(default_factory=dict)
    # Landing
    landing_chunk_kb: int = 1024  # download/copy buffer: bounds memory whatever the file size
    ftp_passive: bool = True
    # fsync staged files before publishing them: landed bytes survive a crash. Costs throughput
    # on slow disks; a lake on S3 (the upload is the durable copy) may switch it off.
    landing_fsync: bool = True
    # What a download may take: bytes (a source may declare its own cap), wall-clock seconds for
    # the whole transfer (http_timeout_s bounds one read), and the hosts a redirect may lead to
    # besides the download URL's own and the portal's.
    landing_max_mb: float = 2048.0
    landing_deadline_s: float = 1800.0
    landing_hosts: tuple[str, ...] = ("dados.pbh.gov.br", "ckan.pbh.gov.br")
    # One writer per table: how long a second writer waits for the lock, and when a lock left by
    # a killed writer counts as abandoned.
    lock_wait_s: float = 120.0
    lock_stale_s: float = 6 * 3600.0
    # Local secrets (name -> JSON text), from BHNAV_LOCAL_SECRET_<NAME> and BHNAV_FTP_USER/PASSWORD.
    # repr=False: settings get printed and logged; secret values must not be.
    local_secrets: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def is_aws(self) -> bool:
        return self.env == "aws"

    @property
    def glue_database_prefix(self) -> str:
        """The Glue databases' prefix: the name prefix (``<prefix>_curated``)."""
        return self.name_prefix

    def database(self, zone: str) -> str:
        """The catalog database (Glue's and the local one) that holds a zone's tables."""
        return f"{self.glue_database_prefix}_{zone}"

    def require_bucket(self) -> str:
        if not self.s3_bucket:
            raise SettingsError("S3_BUCKET is not set: the aws environment needs the lake bucket's name.")
        return self.s3_bucket


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r} is not an integer; set a whole number.") from exc


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r} is not a number; set a number such as 30 or 0.5.") from exc


def _secret_ids() -> dict[str, str]:
    """``BHNAV_SECRET_<SOURCE>=name-or-arn`` maps a source's credentials to a secret."""
    prefix = "BHNAV_SECRET_"
    return {k[len(prefix):].lower(): v for k, v in os.environ.items() if k.startswith(prefix) and v}


def _local_secrets() -> dict[str, str]:
    """Secrets of the local environment: ``BHNAV_LOCAL_SECRET_<NAME>`` holds a JSON object; the
    FTP pair ``BHNAV_FTP_USER``/``BHNAV_FTP_PASSWORD`` is the secret named ``ftp``."""
    prefix = "BHNAV_LOCAL_SECRET_"
    found = {k[len(prefix):].lower(): v for k, v in os.environ.items() if k.startswith(prefix) and v}
    user, password = os.environ.get("BHNAV_FTP_USER"), os.environ.get("BHNAV_FTP_PASSWORD")
    if user is not None and "ftp" not in found:
        import json

        found["ftp"] = json.dumps({"username": user, "password": password or ""})
    return found


def get_settings(**overrides) -> Settings:
    """Read the settings from the environment now; keyword overrides win (used by the CLI flags)."""
    env = os.environ.get("BHNAV_ENV", "local").strip().lower() or "local"
    if env not in ENVIRONMENTS:
        raise SettingsError(f"BHNAV_ENV={env!r} is unknown; use one of {', '.join(ENVIRONMENTS)}.")
    snapshot = os.environ.get("BHNAV_SNAPSHOT_DIR")
    values = dict(
        env=env,
        lake_dir=Path(os.environ.get("BHNAV_LAKE_DIR", ".lake")).expanduser().absolute(),
        snapshot_dir=Path(snapshot).expanduser().absolute() if snapshot else None,
        extra_assets_dir=extra_assets_dir(),
        ckan_url=os.environ.get("BHNAV_CKAN_URL", "https://dados.pbh.gov.br").rstrip("/"),
        user_agent=os.environ.get("BHNAV_USER_AGENT", DEFAULT_USER_AGENT),
        http_timeout_s=_float("BHNAV_HTTP_TIMEOUT", 60.0),
        http_retries=_int("BHNAV_HTTP_RETRIES", 4),
        backoff_base_s=_float("BHNAV_BACKOFF_BASE", 1.0),
        raw_retention_days=_int("BHNAV_RAW_RETENTION_DAYS", 365),
        target_file_size_mb=_int("BHNAV_TARGET_FILE_SIZE_MB", 128),
        spark_master=os.environ.get("BHNAV_SPARK_MASTER") or "local[2]",
        spark_driver_memory=os.environ.get("BHNAV_SPARK_DRIVER_MEMORY") or "2g",
        spark_shuffle_partitions=_int("BHNAV_SPARK_SHUFFLE_PARTITIONS", 8),
        spark_jars=os.environ.get("BHNAV_SPARK_JARS") or None,
        spark_java_options=os.environ.get("BHNAV_SPARK_JAVA_OPTIONS", "-XX:-DontCompileHugeMethods"),
        spark_ui=os.environ.get("BHNAV_SPARK_UI", "0").strip().lower() in ("1", "true", "yes"),
        pii_salt=os.environ.get("BHNAV_PII_SALT") or DEV_PII_SALT,
        query_timeout_s=_float("BHNAV_QUERY_TIMEOUT", 30.0),
        query_memory_limit=os.environ.get("BHNAV_QUERY_MEMORY") or "2GB",
        query_max_rows=_int("BHNAV_QUERY_MAX_ROWS", 100_000),
        query_max_result_mb=_int("BHNAV_QUERY_MAX_RESULT_MB", 256),
        query_log=Path(os.environ["BHNAV_QUERY_LOG"]).expanduser().absolute() if os.environ.get("BHNAV_QUERY_LOG")
        else None,
        app_password_secret=os.environ.get("BHNAV_APP_PASSWORD_SECRET") or "app",
        app_login=(os.environ.get("BHNAV_APP_LOGIN") or "auto").strip().lower(),
        task_retries=_int("BHNAV_TASK_RETRIES", 2),
        task_retry_delay_s=_int("BHNAV_TASK_RETRY_DELAY", 300),
        task_timeout_s=_int("BHNAV_TASK_TIMEOUT", 3600),
        aws_region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "sa-east-1",
        s3_bucket=os.environ.get("S3_BUCKET") or None,
        s3_endpoint_url=os.environ.get("BHNAV_S3_ENDPOINT_URL") or os.environ.get("AWS_ENDPOINT_URL") or None,
        kms_key_id=os.environ.get("BHNAV_KMS_KEY_ID") or None,
        athena_workgroup=os.environ.get("ATHENA_WORKGROUP", "bhnav"),
        athena_output=os.environ.get("ATHENA_OUTPUT") or None,
        name_prefix=(os.environ.get("BHNAV_NAME_PREFIX") or "bhnav").strip(),
        glue_version=os.environ.get("BHNAV_GLUE_VERSION", "5.1"),
        glue_worker_type=os.environ.get("BHNAV_GLUE_WORKER_TYPE", "G.1X"),
        glue_workers=_int("BHNAV_GLUE_WORKERS", 2),
        project_zip_key=os.environ.get("BHNAV_PROJECT_ZIP_KEY", "deploy/bhnav.zip"),
        sns_topic_arn=os.environ.get("BHNAV_SNS_TOPIC_ARN") or None,
        aws_endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        s3_part_size_mb=_int("BHNAV_S3_PART_MB", 16),
        glue_poll_s=_float("BHNAV_GLUE_POLL_SECONDS", 15.0),
        athena_poll_s=_float("BHNAV_ATHENA_POLL_SECONDS", 1.0),
        dag_grouping=(os.environ.get("BHNAV_DAG_GROUPING") or "asset").strip().lower(),
        ftp_secret_id=os.environ.get("BHNAV_FTP_SECRET_ID") or None,
        secret_ids=_secret_ids(),
        landing_chunk_kb=_int("BHNAV_LANDING_CHUNK_KB", 1024),
        ftp_passive=os.environ.get("BHNAV_FTP_PASSIVE", "1").strip().lower() not in ("0", "false", "no"),
        landing_fsync=os.environ.get("BHNAV_LANDING_FSYNC", "1").strip().lower() not in ("0", "false", "no"),
        landing_max_mb=_float("BHNAV_LANDING_MAX_MB", 2048.0),
        landing_deadline_s=_float("BHNAV_LANDING_DEADLINE", 1800.0),
        landing_hosts=tuple(h.strip().lower() for h in os.environ.get(
            "BHNAV_LANDING_HOSTS", "dados.pbh.gov.br,ckan.pbh.gov.br").split(",") if h.strip()),
        lock_wait_s=_float("BHNAV_LOCK_WAIT", 120.0),
        lock_stale_s=_float("BHNAV_LOCK_STALE", 6 * 3600.0),
        local_secrets=_local_secrets(),
    )
    values.update({k: v for k, v in overrides.items() if v is not None})
    if isinstance(values.get("snapshot_dir"), str):
        values["snapshot_dir"] = Path(values["snapshot_dir"]).expanduser().absolute()
    if isinstance(values.get("lake_dir"), str):
        values["lake_dir"] = Path(values["lake_dir"]).expanduser().absolute()
    if values["dag_grouping"] not in DAG_GROUPINGS:
        raise SettingsError(
            f"BHNAV_DAG_GROUPING={values['dag_grouping']!r} is unknown; use one of {', '.join(DAG_GROUPINGS)}."
        )
    if values["app_login"] not in ("auto", "required"):
        raise SettingsError(f"BHNAV_APP_LOGIN={values['app_login']!r} is unknown; use auto or required.")
    if not values["query_timeout_s"] > 0:
        raise SettingsError(f"BHNAV_QUERY_TIMEOUT={values['query_timeout_s']!r} must be above 0 seconds; "
                            "the default is 30.")
    if not _NAME_PREFIX.match(values["name_prefix"]):
        raise SettingsError(
            f"BHNAV_NAME_PREFIX={values['name_prefix']!r} is not a valid name prefix: use 2 to 16 lowercase "
            "letters or digits, starting with a letter (it starts every IAM role, Glue database and job name)."
        )
    if values.get("s3_bucket"):
        check_bucket(values["s3_bucket"])
    if values["env"] not in ENVIRONMENTS:
        raise SettingsError(f"environment {values['env']!r} is unknown; use one of {', '.join(ENVIRONMENTS)}.")
    return Settings(**values)
