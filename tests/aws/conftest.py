"""The landing tests' FTP asset and fast retries, shared with the AWS tests."""

from tests.landing.conftest import fast_retries, ftp_env  # noqa: F401 - fixtures used by name


import pytest  # noqa: E402


@pytest.fixture
def stack_glue_jobs(aws_env):
    """Every Glue job the stack declares, created from the same definitions (moto's CloudFormation
    skips AWS::Glue::Job, so the test does what the stack's deploy does)."""
    from assets.definitions import load_graph
    from lake.aws import client
    from lake.glue_job_spec import glue_job_definition, job_assets

    glue = client("glue", aws_env)
    for asset in job_assets(load_graph()):
        glue.create_job(**glue_job_definition(asset, aws_env))
    return glue
