"""The template is a function of the assets: add one and its job, role and table follow."""

from __future__ import annotations

import textwrap

import pytest

from tests.infra.conftest import BUCKET, resources_of_type, template_settings

EXTRA_ASSETS = '''
from assets.asset import Asset
from assets.declare import raw_asset
from assets.schema import Schema, col
from assets.source import CkanResource, Source
from assets.transform import Transform

FEIRAS_RAW = raw_asset(
    name="feiras_raw",
    domain="servicos",
    description="Street markets as the city publishes them.",
    source=Source(kind="ckan", name="pbh", snapshot_file="pbh/feiras.csv", ckan=CkanResource(package="feiras"),
                  retention_days=30, expected_columns=("ID", "NOME")),
)

FEIRAS = Asset(
    name="feiras_por_bairro",
    zone="analytics",
    description="Street markets per bairro.",
    deps=("bairros",),
    schema=Schema(columns=(col("codigo_bairro", "int", "Official bairro code."),
                           col("feiras", "int", "Number of street markets."))),
    transform=Transform.python("spark.transforms.feiras:build"),
    glue_workers=3,
)
'''


@pytest.fixture
def extended(tmp_path, monkeypatch):
    """The project's graph plus two assets declared in a folder of this test."""
    folder = tmp_path / "extra_assets"
    folder.mkdir()
    (folder / "feiras.py").write_text(textwrap.dedent(EXTRA_ASSETS))
    monkeypatch.setenv("BHNAV_EXTRA_ASSETS_DIR", str(folder))
    from assets.definitions import load_graph
    from infra.template import build_template

    graph = load_graph()
    return graph, build_template(graph, template_settings())


def test_an_added_asset_brings_its_job_role_and_logs_but_no_table(extended, template):
    """The stack declares jobs; tables are the code's (registered at each write), never the stack's."""
    graph, grown = extended
    assert "feiras_por_bairro" in graph.names
    new = set(grown["Resources"]) - set(template["Resources"])
    assert not any(grown["Resources"][r]["Type"] == "AWS::Glue::Table" for r in grown["Resources"])
    assert {"GlueJobFeirasPorBairro", "GlueRoleFeirasPorBairro", "GlueLogsFeirasPorBairroOutput",
            "GlueLogsFeirasPorBairroError",
            "GlueFailedTasksAlarmFeirasPorBairro"} <= new
    job = grown["Resources"]["GlueJobFeirasPorBairro"]["Properties"]
    assert job["Role"] == grown["Resources"]["GlueRoleFeirasPorBairro"]["Properties"]["RoleName"]
    assert job["NumberOfWorkers"] == 3



def test_an_added_raw_asset_gets_its_retention_rule(extended):
    _, grown = extended
    rules = grown["Resources"]["LakeBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {"Id": "expire-feiras_raw", "Status": "Enabled", "Prefix": "raw/pbh/feiras_raw/", "ExpirationInDays": 30} in rules


def test_the_alert_rule_watches_every_job(extended):
    graph, grown = extended
    watched = grown["Resources"]["GlueJobFailedRule"]["Properties"]["EventPattern"]["detail"]["jobName"]
    assert sorted(watched) == sorted(f"bhnav-{a.name}" for a in graph if not a.is_raw)


def test_every_derived_asset_has_one_job_and_no_table_is_the_stacks(graph, template):
    jobs = {r["Properties"]["Name"] for r in resources_of_type(template, "AWS::Glue::Job").values()}
    assert jobs == {f"bhnav-{a.name}" for a in graph if not a.is_raw}
    assert resources_of_type(template, "AWS::Glue::Table") == {}


def test_the_template_is_the_same_for_the_same_inputs(graph, settings, template):
    from infra.template import build_template, to_json

    assert to_json(build_template(graph, settings)) == to_json(template)


def test_the_template_needs_the_bucket(graph):
    from infra.template import build_template
    from lake.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match="S3_BUCKET is not set"):
        build_template(graph, Settings(env="aws", s3_bucket=None))


def test_a_graph_too_large_for_one_stack_is_refused(graph, settings):
    from assets.graph import AssetGraph
    from infra.template import build_template

    curated = [a for a in graph if a.zone == "curated"]
    copies = [a.replace(name=f"{a.name}_copy{i}") for i in range(1, 10) for a in curated]
    with pytest.raises(ValueError, match=r"the template has \d+ resources for \d+ assets; CloudFormation allows 500"):
        build_template(AssetGraph.build(tuple(graph) + tuple(copies)), settings)
