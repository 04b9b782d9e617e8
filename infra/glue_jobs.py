"""The Glue job definition lives beside the settings (lake.glue_job_spec); infra reads it there."""

from lake.glue_job_spec import (  # noqa: F401 - re-exported for the template and the deploy code
    DELTA_CONF, GLUE_ADDITIONAL_MODULES, JOB_ENVIRONMENT, glue_job_definition, job_arguments, job_assets,
    job_environment, job_update, spatial_modules,
)
