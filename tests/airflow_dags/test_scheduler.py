"""Data-aware scheduling with Airflow's real scheduler: triggering a landing DAG through the REST API
makes its asset event start the curated DAG, which succeeds and sees the landing's Metadata."""

from __future__ import annotations

import pytest

from tests.airflow_dags.test_dag_run import CURATED, LANDING
from tests.fixtures.airflow import AirflowStack, airflow_environment


def healthy(stack: AirflowStack) -> bool:
    status, body = stack.request("GET", "/api/v2/monitor/health")
    return status == 200 and all(body.get(c, {}).get("status") == "healthy" for c in ("scheduler", "dag_processor"))


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.timeout(1500)
def test_a_landing_event_triggers_the_curated_dag_on_the_real_scheduler(airflow_home, lake_env, snapshot_dir):
    # Paused at creation: only the two DAGs under test are unpaused, so no other landing starts.
    env = airflow_environment(airflow_home, BHNAV_ENV="local", BHNAV_LAKE_DIR=lake_env.lake_dir,
                              BHNAV_SNAPSHOT_DIR=snapshot_dir, AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True")
    with AirflowStack(airflow_home, env) as stack:
        stack.wait_for("scheduler and dag-processor healthy", lambda: healthy(stack), timeout=300)
        stack.wait_for("an API token", stack.login, timeout=60)
        for dag_id in (LANDING, CURATED):
            stack.wait_for(f"DAG {dag_id} parsed", lambda d=dag_id: stack.request("GET", f"/api/v2/dags/{d}")[0] == 200,
                           timeout=300)
        stack.wait_for("the execution API", lambda: stack.request("GET", "/execution/health")[0] == 200, timeout=120)
        for dag_id in (CURATED, LANDING):
            status, body = stack.request("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})
            assert status == 200 and body["is_paused"] is False, body

        status, body = stack.request("POST", f"/api/v2/dags/{LANDING}/dagRuns", {"logical_date": None})
        assert status == 200, body
        triggered = body["dag_run_id"]

        def landing_done():
            code, run = stack.request("GET", f"/api/v2/dags/{LANDING}/dagRuns/{triggered}")
            if code == 200 and run["state"] == "failed":
                pytest.fail(f"the landing run failed\n{stack.logs()}")
            return code == 200 and run["state"] == "success"

        stack.wait_for("the triggered landing run to succeed", landing_done, timeout=600, every=2)

        def curated_done():
            code, runs = stack.request("GET", f"/api/v2/dags/{CURATED}/dagRuns")
            if code != 200:
                return None
            if any(r["state"] == "failed" for r in runs["dag_runs"]):
                pytest.fail(f"a curated run failed: {runs['dag_runs']}\n{stack.logs()}")
            return [r for r in runs["dag_runs"] if r["run_type"] == "asset_triggered" and r["state"] == "success"]

        [first, *_] = stack.wait_for("an asset-triggered curated run to succeed", curated_done, timeout=900, every=3)

        code, events = stack.request("GET", f"/api/v2/assets/events?source_dag_id={LANDING}")
        assert code == 200, events
        landed = [e for e in events["asset_events"] if e["extra"].get("landed")]
        assert len(landed) == 1, "the raw file lands once; a later landing of the same bytes is skipped"
        assert landed[0]["extra"]["bytes"] == (snapshot_dir / "pbh" / "estacao_onibus.csv").stat().st_size
        created = {r["run_id"] for e in events["asset_events"] for r in e["created_dagruns"]}
        assert first["dag_run_id"] in created, "the curated run was created by a landing's asset event"

        code, upstream = stack.request("GET", f"/api/v2/dags/{CURATED}/dagRuns/{first['dag_run_id']}/upstreamAssetEvents")
        assert code == 200, upstream
        assert all(e["source_dag_id"] == LANDING and "sha256" in e["extra"] for e in upstream["asset_events"])
        assert upstream["asset_events"], "the consumer sees the producer's Metadata"

    # ... and its materialise task read it through triggering_asset_events (its log says so)
    logs = list((airflow_home / "logs").glob(f"dag_id={CURATED}/run_id={first['dag_run_id']}/task_id=materialize/*.log"))
    assert logs, sorted(str(p) for p in (airflow_home / "logs").rglob("*.log"))
    text = "".join(p.read_text() for p in logs)
    assert "triggered by estacoes_onibus_raw with" in text and landed[0]["extra"]["sha256"] in text


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
        stack.wait_for("scheduler and dag-processor healthy", lambda: healthy(stack), timeout=300)
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
