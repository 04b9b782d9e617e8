"""Write, audit, publish on Airflow's real scheduler: a truncated input is blocked by the audit with an
alert, and nothing downstream runs."""

from __future__ import annotations

import pytest

from tests.airflow_dags.test_dag_run import CURATED, LANDING
from tests.fixtures.airflow import AirflowStack, airflow_environment


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.timeout(1500)
def test_a_truncated_station_file_is_blocked_with_an_alert_and_nothing_downstream(airflow_home, lake_env, snapshot_dir,
                                                                                tmp_path):
    """The station file cut to 23 of 52 rows lands, its curated build is blocked by the audit (a drop
    of more than 20%), the task fails with an alert, and no asset event reaches downstream DAGs."""
    snapshot = tmp_path / "snapshot"
    (snapshot / "pbh").mkdir(parents=True)
    full = (snapshot_dir / "pbh" / "estacao_onibus.csv").read_text(encoding="utf-8")
    (snapshot / "pbh" / "estacao_onibus.csv").write_text(full, encoding="utf-8")
    env = airflow_environment(airflow_home, BHNAV_ENV="local", BHNAV_LAKE_DIR=lake_env.lake_dir,
                              BHNAV_SNAPSHOT_DIR=snapshot, BHNAV_TASK_RETRIES="0",
                              AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True")
    with AirflowStack(airflow_home, env) as stack:
        stack.wait_for("scheduler and dag-processor healthy", stack.healthy, timeout=300)
        stack.wait_for("an API token", stack.login, timeout=60)
        for dag_id in (LANDING, CURATED):
            stack.wait_for(f"DAG {dag_id} parsed", lambda d=dag_id: stack.request("GET", f"/api/v2/dags/{d}")[0] == 200,
                           timeout=300)
        stack.wait_for("the execution API", lambda: stack.request("GET", "/execution/health")[0] == 200, timeout=120)
        for dag_id in (CURATED, LANDING):
            assert stack.request("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})[0] == 200

        def curated_runs(state):
            code, runs = stack.request("GET", f"/api/v2/dags/{CURATED}/dagRuns")
            return [r for r in runs["dag_runs"] if r["state"] == state] if code == 200 else None

        def land():
            status, body = stack.request("POST", f"/api/v2/dags/{LANDING}/dagRuns", {"logical_date": None})
            assert status == 200, body
            run_id = body["dag_run_id"]
            stack.wait_for("the landing run", lambda: stack.request(
                "GET", f"/api/v2/dags/{LANDING}/dagRuns/{run_id}")[1].get("state") == "success", timeout=600, every=2)

        land()
        stack.wait_for("the first curated run to succeed", lambda: curated_runs("success"), timeout=900, every=3)
        lines = full.splitlines()
        (snapshot / "pbh" / "estacao_onibus.csv").write_text("\n".join(lines[:24]) + "\n", encoding="utf-8")
        land()
        [blocked] = stack.wait_for("the curated run on the truncated file to fail", lambda: curated_runs("failed"),
                                   timeout=900, every=3)
        code, events = stack.request("GET", f"/api/v2/assets/events?source_dag_id={CURATED}")
        assert code == 200, events
        emitted = {e["source_run_id"] for e in events["asset_events"]}
        assert blocked["dag_run_id"] not in emitted, f"the blocked build emitted no update: {events['asset_events']}"
        assert emitted <= {r["dag_run_id"] for r in curated_runs("success")}, emitted

    logs = list((airflow_home / "logs").glob(f"dag_id={CURATED}/run_id={blocked['dag_run_id']}/task_id=materialize/*.log"))
    text = "".join(p.read_text() for p in logs)
    assert "blocked by audit" in text and "23 rows against 52" in text, text[-3000:]
    assert "ALERT task failed" in text, text[-3000:]
    from lake.settings import get_settings
    from catalog.base import get_catalog

    last = get_catalog(get_settings(lake_dir=lake_env.lake_dir)).last_record("estacoes_onibus")
    assert last.rows == 52, "readers still see the 52 stations"
