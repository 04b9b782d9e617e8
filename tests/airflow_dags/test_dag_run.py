"""The generated DAGs run on a real Airflow (SQLite, ``airflow db migrate``) with ``dag.test()`` in
a fresh process: a landing DAG then the curated DAG it feeds put real rows in the lake, their asset
events carry the Metadata, an unchanged input is skipped without Spark and sends no update, and a failing task retries
as configured before its failure callback alerts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.airflow_dags.extra_assets import BROKEN_TRANSFORM, FAILING, write_extra_assets
from tests.fixtures.airflow import airflow_environment, run_python

RUNNER = Path(__file__).with_name("dag_test_runner.py")
LANDING, CURATED = "bhnav_land_estacoes_onibus_raw", "bhnav_materialize_estacoes_onibus"


def dag_test(dag_id: str, env: dict) -> tuple[dict, str]:
    out = Path(env["AIRFLOW_HOME"]) / f"{dag_id}.json"
    done = run_python(RUNNER, [dag_id, str(out)], env, timeout=900)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    return json.loads(out.read_text()), output


def this_run(report: dict) -> list[dict]:
    return [e for e in report["events"] if e["run_id"] == report["run_id"]]


@pytest.mark.slow
@pytest.mark.spark
def test_landing_then_curated_dag_put_rows_in_the_lake_and_events_carry_metadata(airflow_home, lake_env, snapshot_dir):
    from deltalake import DeltaTable

    from catalog.base import get_catalog
    from lake.locations import local_path, table_uri
    from assets.definitions import load_graph

    env = airflow_environment(airflow_home, BHNAV_ENV="local", BHNAV_LAKE_DIR=lake_env.lake_dir,
                              BHNAV_SNAPSHOT_DIR=snapshot_dir)
    published = (snapshot_dir / "pbh" / "estacao_onibus.csv").read_bytes()

    landing, output = dag_test(LANDING, env)
    assert landing["state"] == "success", output[-4000:]
    assert {t: v["state"] for t, v in landing["tasks"].items()} == {"land": "success", "register_raw": "success"}
    [event] = this_run(landing)
    assert event["asset"] == "bhnav.estacoes_onibus_raw"
    assert event["extra"]["bytes"] == len(published)
    assert event["extra"]["sha256"] == hashlib.sha256(published).hexdigest()
    assert (event["extra"]["landed"], event["extra"]["skipped"]) == (True, False)
    assert event["extra"]["file"].startswith("raw/pbh/estacoes_onibus_raw/ingest_date=")
    assert landing["spark_started"] is False

    curated, output = dag_test(CURATED, env)
    assert curated["state"] == "success", output[-4000:]
    [event] = this_run(curated)
    assert event["asset"] == "bhnav.estacoes_onibus"
    assert (event["extra"]["rows"], event["extra"]["delta_version"], event["extra"]["skipped"]) == (52, 0, False)
    table = DeltaTable(str(local_path(table_uri(load_graph()["estacoes_onibus"], lake_env))))
    assert table.to_pyarrow_table().num_rows == 52
    catalog = get_catalog(lake_env)
    assert catalog.get_table("estacoes_onibus").rows == 52
    assert [r.status for r in catalog.history("estacoes_onibus")] == ["success"], "one run, recorded once"

    again, output = dag_test(CURATED, env)
    assert again["state"] == "success", output[-4000:]
    assert again["tasks"]["register"]["state"] == "skipped"
    assert this_run(again) == [], "an unchanged input sends no update downstream"
    assert again["spark_started"] is False, "an unchanged input is skipped before Spark starts"
    assert DeltaTable(str(local_path(table_uri(load_graph()["estacoes_onibus"], lake_env)))).version() == 0


@pytest.mark.slow
def test_a_failing_task_retries_as_configured_then_alerts_once(airflow_home, lake_env, snapshot_dir, tmp_path):
    extra = write_extra_assets(tmp_path / "extra", falha=FAILING.format(retries=2, delay=1))
    env = airflow_environment(airflow_home, BHNAV_ENV="local", BHNAV_LAKE_DIR=lake_env.lake_dir,
                              BHNAV_SNAPSHOT_DIR=snapshot_dir, BHNAV_EXTRA_ASSETS_DIR=extra)
    report, output = dag_test("bhnav_land_falha_raw", env)
    assert report["state"] == "failed"
    land = report["tasks"]["land"]
    assert (land["state"], land["try_number"], land["max_tries"]) == ("failed", 3, 2), "1 try + 2 retries"
    assert report["tasks"]["register_raw"]["state"] == "upstream_failed"
    assert output.count("snapshot file teste/nao_existe.csv is not in") >= 3, "each try failed on the missing file"
    alerts = [line for line in output.splitlines() if "ALERT task failed" in line]
    assert len(alerts) == 1, "the callback runs once, after the last retry"
    assert "dag=bhnav_land_falha_raw task=land try=3" in alerts[0]
    assert report["events"] == []


@pytest.mark.slow
@pytest.mark.spark
def test_grouped_by_source_one_dag_lands_then_materialises(airflow_home, lake_env, snapshot_dir):
    env = airflow_environment(airflow_home, BHNAV_ENV="local", BHNAV_LAKE_DIR=lake_env.lake_dir,
                              BHNAV_SNAPSHOT_DIR=snapshot_dir, BHNAV_DAG_GROUPING="source")
    report, output = dag_test("bhnav_pipeline_estacoes_onibus", env)
    assert report["state"] == "success", output[-4000:]
    assert {t: v["state"] for t, v in report["tasks"].items()} == {
        "land": "success", "register_raw": "success", "materialize": "success", "register": "success"}
    events = {e["asset"]: e["extra"] for e in this_run(report)}
    assert set(events) == {"bhnav.estacoes_onibus_raw", "bhnav.estacoes_onibus"}, "both outlets get their event"
    assert events["bhnav.estacoes_onibus_raw"]["landed"] is True
    assert (events["bhnav.estacoes_onibus"]["rows"], events["bhnav.estacoes_onibus"]["skipped"]) == (52, False)


@pytest.mark.slow
@pytest.mark.spark
def test_a_transform_that_raises_fails_its_task_after_the_retries_then_alerts(airflow_home, lake_env, snapshot_dir,
                                                                              tmp_path):
    from catalog.base import get_catalog

    extra = write_extra_assets(tmp_path / "extra", quebrado=BROKEN_TRANSFORM.format(retries=1, delay=1))
    env = airflow_environment(airflow_home, BHNAV_ENV="local", BHNAV_LAKE_DIR=lake_env.lake_dir,
                              BHNAV_SNAPSHOT_DIR=snapshot_dir, BHNAV_EXTRA_ASSETS_DIR=extra)
    landing, output = dag_test(LANDING, env)
    assert landing["state"] == "success", output[-4000:]
    report, output = dag_test("bhnav_materialize_estacoes_quebradas", env)
    assert report["state"] == "failed"
    task = report["tasks"]["materialize"]
    assert (task["state"], task["try_number"], task["max_tries"]) == ("failed", 2, 1), "1 try + 1 retry"
    assert report["tasks"]["register"]["state"] == "upstream_failed"
    alerts = [line for line in output.splitlines() if "ALERT task failed" in line]
    assert len(alerts) == 1 and "task=materialize try=2" in alerts[0], alerts
    history = get_catalog(lake_env).history("estacoes_quebradas")
    assert [r.status for r in history] == ["failed", "failed"]
    assert all("fails on purpose" in r.error for r in history)
    assert report["events"] == []
    assert not (lake_env.lake_dir / "curated" / "estacoes_quebradas").exists(), "nothing is published"


@pytest.mark.slow
def test_moving_the_lake_keeps_the_airflow_assets_and_the_landing_runs(airflow_home, tmp_path, snapshot_dir):
    """With the location in the URI, a moved lake renamed every asset's URI under the same name and
    tasks failed with AirflowInactiveAssetInInletOrOutletException; the logical URI stays put."""
    before = airflow_environment(airflow_home, BHNAV_ENV="local", BHNAV_LAKE_DIR=tmp_path / "lake-a",
                                 BHNAV_SNAPSHOT_DIR=snapshot_dir)
    first, output = dag_test(LANDING, before)
    assert first["state"] == "success", output[-4000:]
    moved = {**before, "BHNAV_LAKE_DIR": str(tmp_path / "lake-b")}
    second, output = dag_test(LANDING, moved)
    assert second["state"] == "success", output[-4000:]
    assert "AirflowInactiveAssetInInletOrOutletException" not in output
    [event] = this_run(second)
    assert (event["asset"], event["extra"]["landed"]) == ("bhnav.estacoes_onibus_raw", True), "landed in the new lake"
    assert (tmp_path / "lake-b" / event["extra"]["file"]).is_file()
