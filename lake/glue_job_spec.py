"""The Glue job of a derived asset: ONE definition for CloudFormation and for boto3.

``glue_job_definition(asset, settings)`` returns the properties of ``AWS::Glue::Job`` and, with
the very same keys, the keyword arguments of ``glue.create_job`` (CloudFormation and the Glue API
share the names: Name, Role, Command, DefaultArguments, GlueVersion, WorkerType, NumberOfWorkers,
ExecutionProperty, ...). ``job_update(definition)`` shapes it for ``glue.update_job``.

The job runs ``runs/job.py`` (uploaded under the deploy folder by ``bhnav deploy package``) with
the project's zip on ``--extra-py-files``, on Glue 5.x: Glue starts the Spark session itself, with
Delta from ``--datalake-formats delta`` plus the two ``--conf`` Delta needs, and logs to CloudWatch
under ``--custom-logGroup-prefix`` (Glue 5 has no continuous-logging arguments). Its own arguments
are the asset's name and the environment (``--env aws``, then ``--S3_BUCKET``, ``--AWS_REGION``,
``--BHNAV_NAME_PREFIX``, which runs/job.py exports before reading the settings): names of
non-secret settings only, so a credential can never reach a job's arguments.

Each job has one owner: the stack declares it (CloudFormation, from this definition);
``bhnav materialize --env aws`` only starts runs of the job the stack made.
"""

from __future__ import annotations

from assets.asset import Asset
from lake import aws_names as names
from lake.settings import Settings

DELTA_CONF = (
    "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension"
    " --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog"
)

# The only settings a job receives; each is exported as an environment variable of that name by
# runs/job.py. None of them may ever hold a secret (secrets are read from Secrets Manager).
JOB_ENVIRONMENT = ("S3_BUCKET", "AWS_REGION", "BHNAV_NAME_PREFIX")


def job_environment(settings: Settings) -> dict[str, str]:
    return {
        "S3_BUCKET": settings.require_bucket(),
        "AWS_REGION": settings.aws_region,
        "BHNAV_NAME_PREFIX": settings.name_prefix,
    }


# What the job needs beyond the modules Glue 5.1 provides (pandas, pyarrow, numpy, boto3 are there):
# the spatial libraries, at the versions pyproject.toml's spark extra pins.
GLUE_ADDITIONAL_MODULES = ("shapely", "pyproj")


def spatial_modules() -> str:
    """``--additional-python-modules``: the spatial libraries at the versions of the deploying environment."""
    from importlib.metadata import version

    return ",".join(f"{name}=={version(name)}" for name in GLUE_ADDITIONAL_MODULES)


def job_arguments(asset: Asset, settings: Settings) -> dict[str, str]:
    """The job's DefaultArguments: Glue's own flags, then the asset name and the environment."""
    bucket = settings.require_bucket()
    arguments = {
        "--job-language": "python",
        "--datalake-formats": "delta",
        "--conf": DELTA_CONF,
        "--extra-py-files": f"s3://{bucket}/{settings.project_zip_key}",
        "--enable-glue-datacatalog": "true",
        "--enable-metrics": "true",
        # Glue 5.x logs in real time on its own; this names the groups (see names.job_log_groups).
        "--custom-logGroup-prefix": names.job_log_prefix(asset, settings),
        # Delta keeps its own log; Glue bookmarks would only add state to keep consistent.
        "--job-bookmark-option": "job-bookmark-disable",
        # Glue 5 ships pandas and pyarrow but not the spatial libraries the transforms use.
        "--additional-python-modules": spatial_modules(),
        "--asset": asset.name,
        "--env": "aws",
    }
    arguments.update({f"--{key}": value for key, value in job_environment(settings).items()})
    return arguments


def glue_job_definition(asset: Asset, settings: Settings) -> dict:
    """``AWS::Glue::Job`` properties == ``glue.create_job(**definition)`` keyword arguments."""
    if asset.is_raw:
        raise ValueError(
            f"Asset {asset.name!r}: a raw asset lands files and has no Glue job; only curated and "
            "analytics assets are materialised by Glue."
        )
    bucket = settings.require_bucket()
    return {
        "Name": names.job_name(asset, settings),
        "Description": f"Materialises the {asset.zone} table {asset.name} (bhnav asset).",
        # Glue accepts the role's name as well as its ARN: the same value works in both paths.
        "Role": names.job_role_name(asset, settings),
        "Command": {
            "Name": "glueetl",
            "ScriptLocation": f"s3://{bucket}/{names.glue_script_key(settings)}",
            "PythonVersion": "3",
        },
        "DefaultArguments": job_arguments(asset, settings),
        "GlueVersion": settings.glue_version,
        "WorkerType": asset.glue_worker_type or settings.glue_worker_type,
        "NumberOfWorkers": asset.glue_workers or settings.glue_workers,
        # One writer per Delta table on S3.
        "ExecutionProperty": {"MaxConcurrentRuns": 1},
        # Airflow owns retries (settings.task_retries), so a failed run is reported once.
        "MaxRetries": 0,
        "Timeout": max(1, settings.task_timeout_s // 60),
        "SecurityConfiguration": names.security_configuration(settings),
        "Tags": {"project": names.project(settings), "asset": asset.name, "zone": asset.zone},
    }


def job_update(definition: dict) -> dict:
    """``glue.update_job(**job_update(d))``: the same definition without the create-only keys."""
    update = {k: v for k, v in definition.items() if k not in ("Name", "Tags")}
    return {"JobName": definition["Name"], "JobUpdate": update}


def job_assets(graph) -> tuple[Asset, ...]:
    """The assets that get a Glue job: every derived one, in topological order."""
    return tuple(graph[name] for name in graph.topological_order() if not graph[name].is_raw)
