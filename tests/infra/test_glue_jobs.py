"""The Glue job definition: one dict for CloudFormation and for boto3, from the asset and the settings."""

from __future__ import annotations

import json

import pytest

from tests.infra.conftest import BUCKET, resources_of_type, template_settings


def test_definition_runs_glue_5_1_with_delta_and_one_run_at_a_time(graph, settings):
    from lake.glue_job_spec import DELTA_CONF, glue_job_definition

    definition = glue_job_definition(graph["acidentes"], settings)
    arguments = definition["DefaultArguments"]
    assert definition["GlueVersion"] == settings.glue_version == "5.1"
    assert arguments["--datalake-formats"] == "delta"
    assert arguments["--conf"] == DELTA_CONF
    assert "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension" in DELTA_CONF
    assert "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog" in DELTA_CONF
    assert definition["ExecutionProperty"] == {"MaxConcurrentRuns": 1}
    assert arguments["--extra-py-files"] == f"s3://{BUCKET}/{settings.project_zip_key}"
    assert definition["Command"]["ScriptLocation"] == f"s3://{BUCKET}/deploy/runs/job.py"
    assert definition["Command"]["Name"] == "glueetl"


def test_our_arguments_are_the_asset_and_the_environment_only(graph, settings):
    from lake.glue_job_spec import glue_job_definition

    arguments = glue_job_definition(graph["bairro_indicadores"], settings)["DefaultArguments"]
    ours = {k: v for k, v in arguments.items() if k in ("--asset", "--env") or k[2:].isupper()}
    assert ours == {"--asset": "bairro_indicadores", "--env": "aws", "--S3_BUCKET": BUCKET,
                    "--AWS_REGION": settings.aws_region, "--BHNAV_NAME_PREFIX": "bhnav"}


@pytest.mark.parametrize("asset_override, setting_override, expected", [
    pytest.param({}, {}, ("G.1X", 2), id="settings-defaults"),
    pytest.param({}, {"glue_worker_type": "G.2X", "glue_workers": 5}, ("G.2X", 5), id="settings-changed"),
    pytest.param({"glue_worker_type": "G.4X", "glue_workers": 10}, {"glue_workers": 5}, ("G.4X", 10), id="asset-wins"),
])
def test_workers_come_from_the_asset_else_the_settings(graph, asset_override, setting_override, expected):
    from lake.glue_job_spec import glue_job_definition

    asset = graph["mco_viagens"].replace(**asset_override)
    definition = glue_job_definition(asset, template_settings(**setting_override))
    assert (definition["WorkerType"], definition["NumberOfWorkers"]) == expected


def test_a_raw_asset_has_no_job(graph, settings):
    from lake.glue_job_spec import glue_job_definition

    with pytest.raises(ValueError, match="'acidentes_raw': a raw asset lands files and has no Glue job"):
        glue_job_definition(graph["acidentes_raw"], settings)


def test_no_secret_reaches_a_job_definition(graph, monkeypatch):
    from lake.glue_job_spec import glue_job_definition

    secret = "s3cr3t-value-never-in-arguments"
    monkeypatch.setenv("BHNAV_SECRET_PBH", secret)
    monkeypatch.setenv("BHNAV_FTP_SECRET_ID", f"arn:aws:secretsmanager:sa-east-1:1:secret:{secret}")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    settings = template_settings()
    assert settings.secret_ids["pbh"] == secret  # the settings did read it
    for asset in graph:
        if not asset.is_raw:
            assert secret not in json.dumps(glue_job_definition(asset, settings))


def test_the_template_uses_the_definition_unchanged(graph, settings, template):
    from lake.glue_job_spec import glue_job_definition, job_assets

    jobs = {r["Properties"]["Name"]: r["Properties"] for r in resources_of_type(template, "AWS::Glue::Job").values()}
    expected = {d["Name"]: d for d in (glue_job_definition(a, settings) for a in job_assets(graph))}
    assert len(expected) == len([a for a in graph if not a.is_raw])
    assert jobs == expected


@pytest.mark.slow
def test_boto3_creates_and_updates_a_job_from_the_same_definition(moto_server, monkeypatch):
    """botocore validates the keyword arguments against Glue's API model: the dict is the API's shape."""
    import boto3

    from lake.glue_job_spec import glue_job_definition, job_update
    from tests.fixtures.moto import aws_test_environment, moto_api

    moto_api(moto_server, "reset")
    aws_test_environment(monkeypatch, moto_server)
    from assets.definitions import load_graph

    settings = template_settings()
    asset = load_graph()["apetite_investidor"]
    definition = glue_job_definition(asset, settings)
    glue = boto3.client("glue", region_name=settings.aws_region)
    glue.create_job(**definition)
    stored = glue.get_job(JobName=definition["Name"])["Job"]
    assert stored["DefaultArguments"] == definition["DefaultArguments"]
    assert (stored["GlueVersion"], stored["NumberOfWorkers"], stored["ExecutionProperty"]) == ("5.1", 2, {"MaxConcurrentRuns": 1})
    assert stored["Command"]["ScriptLocation"] == definition["Command"]["ScriptLocation"]
    # moto has no UpdateJob: check the update against Glue's API model, as botocore does before sending.
    from botocore.validate import ParamValidator

    update = job_update(glue_job_definition(asset.replace(glue_workers=7), settings))
    shape = glue.meta.service_model.operation_model("UpdateJob").input_shape
    report = ParamValidator().validate(update, shape)
    assert not report.has_errors(), report.generate_report()
    assert update["JobUpdate"]["NumberOfWorkers"] == 7 and "Name" not in update["JobUpdate"]


def test_jobs_install_the_spatial_libraries_the_transforms_import(tmp_path, monkeypatch):
    from importlib.metadata import version

    from assets.definitions import load_graph
    from lake.glue_job_spec import glue_job_definition
    from lake.settings import get_settings

    monkeypatch.setenv("S3_BUCKET", "lake")
    definition = glue_job_definition(load_graph()["bairro_indicadores"], get_settings())
    modules = definition["DefaultArguments"]["--additional-python-modules"].split(",")
    assert f"shapely=={version('shapely')}" in modules and f"pyproj=={version('pyproj')}" in modules
