"""The DAGs on Airflow's real scheduler, started by ``bhnav dags up`` once for this module (the
api-server, scheduler and dag-processor on SQLite cost about 20 s to start; every test shares them):
a landing's asset event starts the curated DAG, a landing of bytes already landed sends no
update, nothing runs on the first unpause, a backfill of two years lands and materialises those
two partitions and nothing else, and the command stops Airflow cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.airflow_dags.extra_assets import YEARLY, write_extra_assets, write_yearly_files
from tests.airflow_dags.test_dag_run import CURATED, LANDING
from tests.fixtures.airflow import AirflowStack, airflow_environment, free_port

BHNAV = Path(sys.executable).parent / "bhnav"


@pytest.fixture(scope="module")
def stack(tmp_path_factory, snapshot_dir):
    """``bhnav dags up`` in a fresh home and lake; on teardown, Ctrl-C must stop it cleanly."""
    work = tmp_path_factory.mktemp("scheduler")
    home, port = work / "airflow", free_port()
    snapshot = work / "snapshot"  # the city's stations file, and three years of a small yearly source
    (snapshot / "pbh").mkdir(parents=True)
    (snapshot / "pbh" / "estacao_onibus.csv").symlink_to(snapshot_dir / "pbh" / "estacao_onibus.csv")
    write_yearly_files(snapshot, 2019, 2020, 2021)
    extra = write_extra_assets(work / "extra", anual=YEARLY)
    env = airflow_environment(home, BHNAV_ENV="local", BHNAV_LAKE_DIR=work / "lake", BHNAV_SNAPSHOT_DIR=snapshot,
                              BHNAV_EXTRA_ASSETS_DIR=extra)
    out = open(work / "dags-up.log", "w")
    process = subprocess.Popen([str(BHNAV), "dags", "up", "--home", str(home), "--port", str(port)], env=env,
                               cwd=work, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    client = AirflowStack(home, env, port=port)  # a client of the command's processes (never started)
    try:
        deadline = time.monotonic() + 300
        while "Airflow is up at" not in (work / "dags-up.log").read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"bhnav dags up did not come up:\n{(work / 'dags-up.log').read_text()[-3000:]}")
            time.sleep(1)
        assert f"Airflow is up at {client.base}" in (work / "dags-up.log").read_text(), "the URL is printed"
        assert client.login()
        client.lake_dir, client.snapshot = work / "lake", snapshot
        yield client
    finally:
        os.killpg(process.pid, signal.SIGINT)
        code = process.wait(timeout=60)
        log = (work / "dags-up.log").read_text()
    assert code == 0 and log.rstrip().endswith("Airflow stopped."), log[-3000:]
    assert airflow_processes(home) == [], "no Airflow process outlives the command"


def airflow_processes(home: Path) -> list[str]:
    import psutil

    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if process.environ().get("AIRFLOW_HOME") == str(home):
                found.append(" ".join(process.info["cmdline"] or []))
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return found


def wait(stack, what, check, timeout=600, every=2):
    return stack.wait_for(what, check, timeout=timeout, every=every)


def unpause(stack, *dag_ids):
    for dag_id in dag_ids:
        wait(stack, f"DAG {dag_id} parsed", lambda d=dag_id: stack.request("GET", f"/api/v2/dags/{d}")[0] == 200, 300, 1)
        status, body = stack.request("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})
        assert status == 200 and body["is_paused"] is False, body


def trigger(stack, dag_id) -> str:
    status, body = stack.request("POST", f"/api/v2/dags/{dag_id}/dagRuns", {"logical_date": None})
    assert status == 200, body
    run_id = body["dag_run_id"]

    def done():
        code, run = stack.request("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")
        if code == 200 and run["state"] == "failed":
            pytest.fail(f"{dag_id} run {run_id} failed\n{stack.logs()}")
        return code == 200 and run["state"] == "success"

    wait(stack, f"{dag_id} run {run_id} to succeed", done)
    return run_id


def runs(stack, dag_id) -> list[dict]:
    code, body = stack.request("GET", f"/api/v2/dags/{dag_id}/dagRuns")
    assert code == 200, body
    return body["dag_runs"]


def events(stack, dag_id) -> list[dict]:
    code, body = stack.request("GET", f"/api/v2/assets/events?source_dag_id={dag_id}")
    assert code == 200, body
    return body["asset_events"]


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.timeout(1500)
def test_a_landing_event_triggers_the_curated_dag_on_the_real_scheduler(stack):
    unpause(stack, CURATED, LANDING)
    triggered = trigger(stack, LANDING)

    def curated_done():
        found = runs(stack, CURATED)
        if any(r["state"] == "failed" for r in found):
            pytest.fail(f"a curated run failed: {found}\n{stack.logs()}")
        return [r for r in found if r["run_type"] == "asset_triggered" and r["state"] == "success"]

    [first, *_] = wait(stack, "an asset-triggered curated run to succeed", curated_done, timeout=900, every=3)
    [landed] = [e for e in events(stack, LANDING) if e["source_run_id"] == triggered]
    assert landed["extra"]["landed"] is True
    assert landed["extra"]["bytes"] == (stack.snapshot / "pbh" / "estacao_onibus.csv").stat().st_size
    assert first["dag_run_id"] in {r["run_id"] for r in landed["created_dagruns"]}, "created by the landing's event"

    code, upstream = stack.request("GET", f"/api/v2/dags/{CURATED}/dagRuns/{first['dag_run_id']}/upstreamAssetEvents")
    assert code == 200 and upstream["asset_events"], upstream
    assert all(e["source_dag_id"] == LANDING and "sha256" in e["extra"] for e in upstream["asset_events"])
    # ... and its materialise task read it through triggering_asset_events (its log says so)
    logs = list((stack.home / "logs").glob(f"dag_id={CURATED}/run_id={first['dag_run_id']}/task_id=materialize/*.log"))
    assert logs, sorted(str(p) for p in (stack.home / "logs").rglob("*.log"))
    text = "".join(p.read_text() for p in logs)
    assert "triggered by bhnav.estacoes_onibus_raw" in text and landed["extra"]["sha256"] in text


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_landing_of_bytes_already_landed_sends_no_update_downstream(stack):
    unpause(stack, CURATED, LANDING)
    trigger(stack, LANDING)  # lands the file, unless an earlier run did
    before_events, before_runs = len(events(stack, LANDING)), len(runs(stack, CURATED))
    again = trigger(stack, LANDING)
    code, tis = stack.request("GET", f"/api/v2/dags/{LANDING}/dagRuns/{again}/taskInstances")
    assert code == 200, tis
    assert {t["task_id"]: t["state"] for t in tis["task_instances"]} == {"land": "success", "register_raw": "skipped"}
    time.sleep(8)  # several scheduler loops: a queued event would have created a run by now
    assert len(events(stack, LANDING)) == before_events, "no asset event for a landing that changed nothing"
    assert len(runs(stack, CURATED)) == before_runs, "so no downstream run"


@pytest.mark.slow
def test_the_first_unpause_runs_nothing_until_the_next_tick(stack):
    dag_id = "bhnav_land_parques_raw"
    unpause(stack, dag_id)
    time.sleep(6)  # three DAG-folder refreshes and many scheduler loops
    assert runs(stack, dag_id) == [], "no landing starts on unpause: the schedule's next tick is next month"
    code, dag = stack.request("GET", f"/api/v2/dags/{dag_id}")
    assert code == 200 and dag["next_dagrun_run_after"] > time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())


@pytest.mark.slow
@pytest.mark.spark
@pytest.mark.timeout(1200)
def test_a_backfill_of_two_years_lands_and_materialises_those_partitions_only(stack):
    from deltalake import DeltaTable

    landing, table = "bhnav_land_contagens_raw", "bhnav_materialize_contagens"
    unpause(stack, table, landing)
    status, body = stack.request("POST", "/api/v2/backfills", {
        "dag_id": landing, "from_date": "2019-01-01T00:00:00Z", "to_date": "2020-12-31T00:00:00Z",
        "max_active_runs": 1})
    assert status == 200, body

    def landed():
        found = [r for r in runs(stack, landing) if r["run_type"] == "backfill"]
        if any(r["state"] == "failed" for r in found):
            pytest.fail(f"a backfill run failed: {found}\n{stack.logs()}")
        return len(found) == 2 and all(r["state"] == "success" for r in found) and found

    backfilled = wait(stack, "the two backfill runs", landed, timeout=600)
    assert sorted(r["partition_key"] for r in backfilled) == ["2019", "2020"], "one run per year of the range"

    def materialised():
        found = runs(stack, table)
        if any(r["state"] == "failed" for r in found):
            pytest.fail(f"a contagens run failed: {found}\n{stack.logs()}")
        done = [r for r in found if r["state"] == "success"]
        return len(done) == 2 and done

    built = wait(stack, "a contagens run per backfilled year", materialised, timeout=900, every=3)
    assert sorted(r["partition_key"] for r in built) == ["2019", "2020"], "each run is its year's partition"
    files = sorted(e["extra"]["file"].rsplit("/", 1)[-1] for e in events(stack, landing))
    assert files == ["contagens-2019.csv", "contagens-2020.csv"], "2021 is outside the range: not landed"
    rows = DeltaTable(str(stack.lake_dir / "curated" / "contagens")).to_pyarrow_table().to_pylist()
    assert sorted({r["ano"] for r in rows}) == [2019, 2020]
    assert sorted(r["quantidade"] for r in rows) == [20191, 20192, 20193, 20201, 20202, 20203]
