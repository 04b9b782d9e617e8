"""The one Spark session of a process, with Delta switched on.

Two ways in. When a JVM launched this Python process (AWS Glue, or any ``spark-submit``), the
session is the launcher's: Glue 5.x has set the master, put Delta on the classpath
(``--datalake-formats delta``) and the Delta ``--conf``s, and reaches S3 with its own file system
and role; we take that session as it is, set only our runtime SQL settings, and refuse it
in one line if Delta is missing. Otherwise we start Spark ourselves: the Delta jars come from
Maven Central through ``configure_spark_with_delta_pip`` (cached in ``~/.ivy2``), with hadoop-aws
when the lake is on S3 (a test against moto, or a laptop pointed at the bucket).
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from lake.settings import Settings

# hadoop-aws must match the Hadoop bundled in pyspark 3.5.x (3.3.4).
HADOOP_AWS = "org.apache.hadoop:hadoop-aws:3.3.4"

_lock = threading.Lock()
_session: "SparkSession | None" = None


def base_conf(settings: "Settings") -> dict[str, str]:
    """The settings every session of ours needs, whatever the environment."""
    conf = {
        "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        "spark.sql.parquet.compression.codec": "snappy",
        # Dynamic partition overwrite is chosen per write (spark/writer.py): a full rewrite with a
        # new schema needs the static mode, which Delta refuses to combine with the dynamic one.
        "spark.sql.sources.partitionOverwriteMode": "static",
        "spark.sql.session.timeZone": "America/Sao_Paulo",
        "spark.sql.shuffle.partitions": str(settings.spark_shuffle_partitions),
        # Delta rebuilds a table's state on every commit with 50 tasks by default: far too many
        # for our small logs on a few cores.
        "spark.databricks.delta.snapshotPartitions": str(settings.spark_shuffle_partitions),
        "spark.driver.memory": settings.spark_driver_memory,
        # The web UI is unauthenticated: it runs only when asked (BHNAV_SPARK_UI=1).
        "spark.ui.enabled": str(settings.spark_ui).lower(),
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.adaptive.enabled": "true",
        # Arrow makes mapInPandas and toPandas cheap (spatial joins, the app's reads).
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        # Keep our small local tables: Delta's default retention check is for VACUUM only.
        "spark.databricks.delta.schema.autoMerge.enabled": "false",
    }
    if settings.spark_master.startswith("local"):
        # A local session listens on this machine only: the driver's RPC, its block manager and
        # the UI (when asked for) bind to loopback, never to the network interface.
        conf.update({"spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1"})
    if settings.spark_java_options:
        conf["spark.driver.extraJavaOptions"] = settings.spark_java_options
    if settings.is_aws:
        conf.update(s3a_conf(settings))
    return conf


def s3a_conf(settings: "Settings") -> dict[str, str]:
    """s3a against the lake bucket: the region's endpoint, or an emulator's (path-style)."""
    conf = {
        "spark.hadoop.fs.s3a.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
        "spark.hadoop.fs.s3a.aws.credentials.provider": "com.amazonaws.auth.DefaultAWSCredentialsProviderChain",
        "spark.hadoop.fs.s3a.endpoint.region": settings.aws_region,
        # One writer per table on S3 (Glue MaxConcurrentRuns=1): the single-driver log store is enough.
        "spark.delta.logStore.s3a.impl": "io.delta.storage.S3SingleDriverLogStore",
    }
    if settings.kms_key_id:
        # The files Spark writes are encrypted like the ones boto3 writes (lake.s3_storage).
        conf.update({"spark.hadoop.fs.s3a.encryption.algorithm": "SSE-KMS",
                     "spark.hadoop.fs.s3a.encryption.key": settings.kms_key_id})
    if settings.s3_endpoint_url:
        conf.update({
            "spark.hadoop.fs.s3a.endpoint": settings.s3_endpoint_url,
            "spark.hadoop.fs.s3a.path.style.access": "true",
            "spark.hadoop.fs.s3a.connection.ssl.enabled": str(settings.s3_endpoint_url.startswith("https")).lower(),
        })
    return conf


def launched_by_spark() -> bool:
    """True when a JVM started this Python process (Glue runs the entry script with spark-submit):
    pyspark then connects back to that JVM's gateway, whose address it finds in the environment."""
    return bool(os.environ.get("PYSPARK_GATEWAY_PORT"))


# Settings a running session accepts (``spark.conf.set``); the rest belong to whoever starts the JVM.
_STATIC = ("spark.sql.extensions", "spark.sql.catalog.")


def runtime_conf(settings: "Settings") -> dict[str, str]:
    """Our settings that may be changed on a session someone else started (Glue's)."""
    return {key: value for key, value in base_conf(settings).items()
            if key.startswith(("spark.sql.", "spark.databricks.")) and not key.startswith(_STATIC)}


class SessionError(RuntimeError):
    """The session we were given cannot write Delta tables."""


def _launcher_session(settings: "Settings") -> "SparkSession":
    """The session of the JVM that launched us (Glue's), with our runtime settings."""
    from pyspark.sql import SparkSession

    session = SparkSession.builder.getOrCreate()
    extensions = session.conf.get("spark.sql.extensions", "") or ""
    if "io.delta.sql.DeltaSparkSessionExtension" not in extensions:
        raise SessionError(
            "the Spark session this job was given has no Delta extension (spark.sql.extensions="
            f"{extensions or 'unset'}); run the Glue job with --datalake-formats delta and --conf "
            "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension (lake.glue_job_spec sets both)."
        )
    for key, value in runtime_conf(settings).items():
        session.conf.set(key, value)
    return session


def extra_packages(settings: "Settings") -> list[str]:
    """Maven coordinates besides Delta's: hadoop-aws when the lake is on S3."""
    return [HADOOP_AWS] if settings.is_aws else []


@contextmanager
def _jvm_output_to_stderr():
    """The JVM inherits our stdout when it starts; give it stderr instead, so its Ivy report and
    warnings never mix with a command's ``--format json|csv`` output."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def build_session(settings: "Settings") -> "SparkSession":
    with _jvm_output_to_stderr():
        return _build_session(settings)


def _build_session(settings: "Settings") -> "SparkSession":
    from pyspark.sql import SparkSession

    if launched_by_spark():
        return _launcher_session(settings)
    builder = SparkSession.builder.appName(f"bhnav-{settings.env}").master(settings.spark_master)
    # Python workers must run this interpreter (its venv has pandas, pyarrow, shapely), not the
    # first python3 on PATH; pyspark reads only the environment variable for that.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if settings.spark_master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # the web UI binds here (no conf key for it)
    for key, value in base_conf(settings).items():
        builder = builder.config(key, value)
    if settings.spark_jars:
        # Jars fetched beforehand (e.g. with `mvn dependency:copy`) when Ivy cannot reach Maven Central.
        builder = builder.config("spark.jars", settings.spark_jars)
        return builder.getOrCreate()
    from delta import configure_spark_with_delta_pip

    return configure_spark_with_delta_pip(builder, extra_packages=extra_packages(settings)).getOrCreate()


def get_spark(settings: "Settings | None" = None) -> "SparkSession":
    """The process's session, created on first use (the launcher's when Glue or spark-submit started us)."""
    global _session
    with _lock:
        if _session is not None and _session_alive(_session):
            return _session
        if settings is None:
            from lake.settings import get_settings

            settings = get_settings()
        _session = build_session(settings)
        _session.sparkContext.setLogLevel("ERROR")
        return _session


def _session_alive(session: "SparkSession") -> bool:
    try:
        return session.sparkContext._jsc is not None and not session.sparkContext._jsc.sc().isStopped()
    except Exception:  # a JVM gone away answers with an error: start a new one
        return False


def stop_spark() -> None:
    global _session
    with _lock:
        if _session is not None:
            _session.stop()
            _session = None
