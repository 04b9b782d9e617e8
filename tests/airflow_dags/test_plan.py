"""The DAG plan, without Airflow: what each asset becomes, and a snapshot of the whole plan."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from airflow_dags.plan import (
    FRESHNESS_DAG_ID, GLUE_JOB, MATERIALIZE, MONTHLY_CRON, AssetRef, PlanError, build_plan, check_unique,
)
from assets.asset import Asset
from assets.declare import raw_asset
from assets.definitions import load_graph
from assets.freshness import FreshnessPolicy
from assets.graph import AssetGraph
from assets.schema import Schema, col
from assets.source import CkanResource, Source
from assets.transform import Transform
from lake.locations import table_uri
from lake.settings import get_settings

SNAPSHOT = Path(__file__).with_name("plan_snapshot.json")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(lake_env, monkeypatch):
    for name in ("BHNAV_DAG_GROUPING", "BHNAV_EXTRA_ASSETS_DIR", "BHNAV_TASK_RETRIES", "BHNAV_TASK_RETRY_DELAY",
                 "BHNAV_TASK_TIMEOUT", "BHNAV_SNS_TOPIC_ARN"):
        monkeypatch.delenv(name, raising=False)
    return get_settings()


def _raw(name: str, schedule: str | None = None, **changes) -> Asset:
    source = Source(kind="ckan", name="pbh", snapshot_file=f"pbh/{name}.csv", ckan=CkanResource(package=name),
                    schedule=schedule, expected_columns=("ID",))
    return raw_asset(name=name, description=f"{name} as published.", source=source, domain="teste").replace(**changes)


def _derived(name: str, deps: tuple[str, ...], zone: str = "curated", **changes) -> Asset:
    return Asset(name=name, zone=zone, description=f"{name} from {', '.join(deps)}.", domain="teste", owner="equipe",
                 deps=deps, schema=Schema(columns=(col("id", "int", "Id."),)),
                 transform=Transform.python("spark.transforms.transporte:estacoes"), **changes)


def plan_shape(plan, settings) -> dict:
    return {
        "assets": [{"name": a.airflow_name, "uri": a.uri, "grain": a.grain} for a in plan.assets],
        "dags": plan.summary(),
    }


def test_plan_matches_its_snapshot(settings):
    """DAG ids, schedules, tasks and outlets show up in review: regenerate with BHNAV_UPDATE_SNAPSHOTS=1."""
    shape = plan_shape(build_plan(), settings)
    if os.environ.get("BHNAV_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(shape, indent=1, ensure_ascii=False) + "\n")
    assert shape == json.loads(SNAPSHOT.read_text())


def test_every_asset_is_one_airflow_asset_with_a_logical_uri_and_its_location_in_extra(settings):
    graph = load_graph()
    plan = build_plan(graph, settings)
    assert [(a.airflow_name, a.uri, a.location) for a in plan.assets] == [
        (f"bhnav.{a.name}", f"x-bhnav://{a.zone}/{a.name}", table_uri(a, settings)) for a in graph]


def test_moving_the_lake_or_switching_environment_keeps_every_asset_identity(settings, monkeypatch, tmp_path):
    here = build_plan(load_graph(), settings)
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(tmp_path / "moved"))
    moved = build_plan(load_graph(), get_settings())
    monkeypatch.setenv("BHNAV_ENV", "aws")
    monkeypatch.setenv("S3_BUCKET", "bhnav-lake-teste")
    aws = build_plan(load_graph(), get_settings())
    identity = [(a.airflow_name, a.uri) for a in here.assets]
    assert [(a.airflow_name, a.uri) for a in moved.assets] == identity == [(a.airflow_name, a.uri) for a in aws.assets]
    assert moved.asset("acidentes").location == (tmp_path / "moved" / "curated" / "acidentes").as_uri()
    assert aws.asset("acidentes").location == "s3://bhnav-lake-teste/curated/acidentes"


def test_the_project_prefix_keeps_two_projects_apart_in_one_airflow(settings, monkeypatch):
    monkeypatch.setenv("BHNAV_NAME_PREFIX", "bhteste")
    ref = build_plan(load_graph(), get_settings()).asset("acidentes")
    assert (ref.airflow_name, ref.uri) == ("bhteste.acidentes", "x-bhteste://curated/acidentes")


def _ref(name: str, uri: str) -> AssetRef:
    return AssetRef(name, f"bhnav.{name}", uri, "curated", f"s3://b/curated/{name}")


@pytest.mark.parametrize("refs, match", [
    pytest.param((_ref("a", "x-bhnav://curated/a"), _ref("a", "x-bhnav://curated/x")),
                 r"Asset 'a': its Airflow name 'bhnav.a' is also asset 'a'", id="same-name"),
    pytest.param((_ref("a", "x-bhnav://curated/a"), _ref("b", "x-bhnav://curated/a")),
                 r"Asset 'b': its Airflow uri 'x-bhnav://curated/a' is also asset 'a'.*deactivate both", id="same-uri"),
])
def test_two_assets_sharing_a_name_or_uri_are_refused(refs, match):
    with pytest.raises(PlanError, match=match):
        check_unique(refs)


@pytest.mark.parametrize("schedule, expected", [
    pytest.param(None, MONTHLY_CRON, id="monthly-by-default"),
    pytest.param("0 3 * * 1", "0 3 * * 1", id="declared-cron"),
])
def test_a_raw_asset_gets_a_landing_dag_on_its_schedule(settings, schedule, expected):
    plan = build_plan(AssetGraph.build([_raw("fonte_raw", schedule)]), settings)
    dag = plan.dag("bhnav_land_fonte_raw")
    assert (dag.kind, dag.schedule.kind, dag.schedule.cron, dag.catchup) == ("landing", "cron", expected, False)
    assert [(t.task_id, t.upstream, t.outlets) for t in dag.tasks] == [
        ("land", (), ()), ("register_raw", ("land",), ("fonte_raw",))]


@pytest.mark.parametrize("schedule_on, freshness, kind, described", [
    pytest.param("all", FreshnessPolicy.monthly(), "assets_or_cron", "(a_raw & b_raw) or 0 6 1 * *",
                 id="all-upstreams-or-the-freshness-cadence"),
    pytest.param("all", FreshnessPolicy.time_window(days=3), "assets", "a_raw & b_raw", id="all-upstreams-no-cadence"),
    pytest.param("any", FreshnessPolicy.monthly(), "assets", "a_raw | b_raw", id="any-upstream"),
])
def test_a_derived_asset_is_scheduled_on_its_upstream_assets(settings, schedule_on, freshness, kind, described):
    graph = AssetGraph.build([_raw("a_raw"), _raw("b_raw"),
                              _derived("junto", ("a_raw", "b_raw"), schedule_on=schedule_on, freshness=freshness)])
    dag = build_plan(graph, settings).dag("bhnav_materialize_junto")
    assert (dag.schedule.kind, dag.schedule.assets) == (kind, ("a_raw", "b_raw"))
    assert dag.schedule.describe() == described
    assert [(t.task_id, t.action, t.upstream, t.outlets) for t in dag.tasks] == [
        ("materialize", MATERIALIZE, (), ()), ("register", "register", ("materialize",), ("junto",))]


def test_retries_come_from_the_asset_else_the_settings(settings, monkeypatch):
    monkeypatch.setenv("BHNAV_TASK_RETRIES", "4")
    monkeypatch.setenv("BHNAV_TASK_RETRY_DELAY", "10")
    monkeypatch.setenv("BHNAV_TASK_TIMEOUT", "900")
    graph = AssetGraph.build([_raw("a_raw"), _derived("proprio", ("a_raw",), retries=1, retry_delay_s=7)])
    plan = build_plan(graph, get_settings())
    default = plan.dag("bhnav_land_a_raw").tasks[0].retry
    own = plan.dag("bhnav_materialize_proprio").tasks[0].retry
    assert (default.retries, default.delay_s, default.max_delay_s, default.timeout_s) == (4, 10, 80, 900)
    assert (own.retries, own.delay_s, own.max_delay_s, own.timeout_s) == (1, 7, 7, 900)


def test_tags_and_docs_come_from_the_declaration(settings):
    dag = build_plan(load_graph(), settings).dag("bhnav_materialize_estacoes_onibus")
    asset = load_graph()["estacoes_onibus"]
    assert dag.tags == ("zone:curated", "domain:mobilidade", "owner:bhtrans")
    assert dag.owner == "bhtrans"
    assert asset.description in dag.doc_md
    assert all(f"`{c.name}`" in dag.doc_md for c in asset.schema)
    assert "downstream: bairro_indicadores" in dag.doc_md


def test_grouping_by_source_chains_a_raw_asset_and_its_single_curated_consumer(settings, monkeypatch):
    monkeypatch.setenv("BHNAV_DAG_GROUPING", "source")
    graph = AssetGraph.build([
        _raw("a_raw"), _raw("b_raw"), _derived("so_a", ("a_raw",)), _derived("a_e_b", ("b_raw",)),
        _derived("outra_de_b", ("b_raw",)), _derived("final", ("so_a",), zone="analytics"),
    ])
    plan = build_plan(graph, get_settings())
    grouped = plan.dag("bhnav_pipeline_so_a")
    assert grouped.schedule.cron == MONTHLY_CRON
    assert [(t.task_id, t.upstream, t.outlets) for t in grouped.tasks] == [
        ("land", (), ()), ("register_raw", ("land",), ("a_raw",)),
        ("materialize", ("register_raw",), ()), ("register", ("materialize",), ("so_a",))]
    ids = [d.dag_id for d in plan.dags]
    assert "bhnav_land_a_raw" not in ids and "bhnav_materialize_so_a" not in ids
    # b_raw feeds two assets: it keeps its own landing DAG, and they keep theirs
    assert {"bhnav_land_b_raw", "bhnav_materialize_a_e_b", "bhnav_materialize_outra_de_b", "bhnav_materialize_final"} <= set(ids)
    assert plan.dag("bhnav_materialize_final").schedule.assets == ("so_a",)


def test_an_unknown_grouping_is_refused(settings, monkeypatch):
    from lake.settings import SettingsError

    monkeypatch.setenv("BHNAV_DAG_GROUPING", "domain")
    with pytest.raises(SettingsError, match=r"BHNAV_DAG_GROUPING='domain' is unknown; use one of asset, source"):
        build_plan(load_graph())


def test_in_aws_a_derived_asset_runs_its_glue_job_and_alerts_through_sns(settings, monkeypatch):
    from lake.glue_job_spec import glue_job_definition

    monkeypatch.setenv("BHNAV_ENV", "aws")
    monkeypatch.setenv("S3_BUCKET", "bhnav-lake-teste")
    monkeypatch.setenv("BHNAV_SNS_TOPIC_ARN", "arn:aws:sns:sa-east-1:123456789012:bhnav-alerts")
    aws = get_settings()
    plan = build_plan(load_graph(), aws)
    run = plan.dag("bhnav_materialize_estacoes_onibus").tasks[0]
    assert (run.task_id, run.action) == ("materialize", GLUE_JOB)
    assert run.glue_job == glue_job_definition(load_graph()["estacoes_onibus"], aws)
    assert plan.asset("estacoes_onibus").location == "s3://bhnav-lake-teste/curated/estacoes_onibus"
    assert {d.alerting.kind for d in plan.dags} == {"sns"}
    assert plan.dags[0].alerting.sns_topic_arn.endswith(":bhnav-alerts")


def test_one_hourly_freshness_dag_covers_every_asset(settings):
    plan = build_plan(load_graph(), settings)
    dag = plan.dag(FRESHNESS_DAG_ID)
    assert dag.schedule.cron == "0 * * * *"
    assert [t.task_id for t in dag.tasks] == ["check_freshness"]
    assert all(f"`{a.name}`" in dag.doc_md for a in load_graph())


def test_planning_imports_no_airflow_and_nothing_heavy(settings):
    code = (
        "import sys; from airflow_dags.plan import build_plan; from airflow_dags.static import dag_source; "
        "plan = build_plan(); [dag_source(d, plan) for d in plan.dags]; "
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'airflow', 'pyspark', 'pandas', 'boto3', 'duckdb'}); "
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_a_raw_asset_whose_files_cover_periods_lands_one_run_per_period(settings):
    dag = build_plan(load_graph(), settings).dag("bhnav_land_acidentes_raw")  # one si-bol file per year
    assert (dag.schedule.kind, dag.schedule.grain, dag.schedule.cron) == ("partition_cron", "year", "0 6 1 1 *")


@pytest.mark.parametrize("upstream, grain, kind", [
    pytest.param("month", "month", "identity", id="same-grain-key-to-key"),
    pytest.param("year", "month", "fan_out", id="a-yearly-file-into-its-months"),
    pytest.param("month", "day", "fan_out", id="a-month-into-its-days"),
    pytest.param("day", "month", "rollup", id="days-rolled-up-to-their-month"),
    pytest.param("month", "year", "rollup", id="months-rolled-up-to-their-year"),
])
def test_partition_keys_map_as_the_two_grains_imply(upstream, grain, kind):
    from airflow_dags.schedules import mapping

    assert mapping("x", "a", upstream, grain).kind == kind


def test_grains_airflow_cannot_map_are_refused_in_one_line():
    from airflow_dags.schedules import ScheduleError, mapping

    with pytest.raises(ScheduleError, match=r"Asset 'x': its day partitions cannot be mapped from 'a''s year "
                                            r"partitions .*add an intermediate monthly asset"):
        mapping("x", "a", "year", "day")


def test_partitioned_consumers_follow_their_inputs_partitions(settings):
    plan = build_plan(load_graph(), settings)
    acidentes = plan.dag("bhnav_materialize_acidentes").schedule
    assert (acidentes.kind, acidentes.grain, [m.kind for m in acidentes.mappings]) == (
        "partitioned_assets", "month", ["fan_out"])
    regional = plan.dag("bhnav_materialize_acidentes_mensal_regional").schedule
    assert (regional.kind, regional.grain, [m.kind for m in regional.mappings]) == (
        "partitioned_assets", "year", ["rollup"])


def test_an_asset_with_an_input_not_run_per_partition_keeps_an_asset_schedule(settings):
    plan = build_plan(load_graph(), settings)
    # mco_viagens is partitioned by day, but its raw file covers no declared period: no partition keys
    assert plan.asset("mco_viagens").grain is None
    assert plan.dag("bhnav_materialize_mco_linhas_diario").schedule.kind == "assets"
    assert plan.dag("bhnav_materialize_bairro_indicadores").schedule.kind == "assets_or_cron"
