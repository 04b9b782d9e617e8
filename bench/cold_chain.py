"""The cold chain through Airflow's real scheduler against ``bhnav materialize`` of the same lake.

    .venv/bin/python bench/cold_chain.py [--snapshot ../shared/data] [--select NAME ...] [--keep]

Both start from an empty lake and the same snapshot folder:

- in-process: ``bhnav materialize --snapshot DIR`` in a fresh process (one Spark session for
  every table, in topological order);
- scheduler: ``bhnav dags up`` (api-server, scheduler and dag-processor on SQLite, two task
  slots), the DAGs unpaused, every landing DAG triggered through the REST API (a landing per
  period once per period of the snapshot's files, with that partition key), then every DAG
  followed until it has succeeded and nothing is queued or running (asset-triggered runs,
  partitioned runs, asset-or-time once every input updated). Each task is its own process:
  each materialisation starts its own JVM, and a yearly file fans out to a run per month.

Printed: seconds of each, the Airflow start-up apart, and the ratio scheduler / in-process.
``--select`` keeps a sub-graph for a quicker comparison (the same selectors as ``bhnav
materialize``, e.g. ``--select estacoes_onibus_raw --select estacoes_onibus``), in both runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from airflow_dags.local_airflow import LocalAirflow, airflow_environment, free_port  # noqa: E402

BIN = Path(sys.executable).parent


def periods(snapshot: Path, select: list[str]) -> dict[str, list[str]]:
    """Landing DAG id -> the partition keys of the snapshot's files, for raw assets landed per period."""
    from airflow_dags.plan import landing_dag_id
    from assets.definitions import load_graph

    graph = load_graph()
    keep = set(graph.select(select)) if select else set(graph.names)
    found: dict[str, list[str]] = {}
    for asset in graph:
        if asset.is_raw and asset.name in keep and asset.source.period_pattern:
            names = {p.name for pattern in asset.source.snapshot_patterns for p in snapshot.glob(pattern)}
            keys = sorted({period.label() for n in names if (period := asset.source.period_of(n))})
            found[landing_dag_id(asset.name)] = keys
    return found


def dag_ids(env: dict[str, str], select: list[str]) -> tuple[list[str], list[str]]:
    """Landing DAG ids and derived DAG ids of the plan (of the selected raw assets' downstream)."""
    code = (
        "import json; from airflow_dags.plan import build_plan; p = build_plan(); "
        "print(json.dumps([[d.dag_id, d.kind, [t.asset for t in d.tasks]] for d in p.dags]))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    import json

    dags = json.loads(done.stdout)
    if select:
        graph_code = (
            "import json, sys; from assets.definitions import load_graph; g = load_graph(); "
            "print(json.dumps(list(g.select(sys.argv[1:]))))"
        )
        keep = set(json.loads(subprocess.run([sys.executable, "-c", graph_code, *select], env=env, cwd=REPO,
                                             capture_output=True, text=True, check=True).stdout))
        dags = [d for d in dags if set(d[2]) & keep]
    landing = [d[0] for d in dags if d[1] == "landing"]
    derived = [d[0] for d in dags if d[1] == "derived"]
    return landing, derived


def in_process(lake: Path, snapshot: Path, select: list[str]) -> float:
    env = {**os.environ, "BHNAV_ENV": "local", "BHNAV_LAKE_DIR": str(lake), "BHNAV_SNAPSHOT_DIR": str(snapshot)}
    argv = [str(BIN / "bhnav"), "materialize", "--snapshot", str(snapshot), "--format", "json"]
    for name in select:
        argv += ["--select", name]
    began = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"bhnav materialize failed:\n{done.stderr[-3000:]}")
    return seconds


def through_scheduler(work: Path, snapshot: Path, select: list[str]) -> tuple[float, float, int]:
    home, port = work / "airflow", free_port()
    home.mkdir(parents=True)
    env = airflow_environment(home, BHNAV_ENV="local", BHNAV_LAKE_DIR=work / "lake", BHNAV_SNAPSHOT_DIR=snapshot)
    landing, derived = dag_ids(env, select)
    began = time.perf_counter()
    log = open(work / "dags-up.log", "w")
    process = subprocess.Popen([str(BIN / "bhnav"), "dags", "up", "--home", str(home), "--port", str(port)],
                               env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    client = LocalAirflow(home, env, port=port)
    try:
        while "Airflow is up at" not in (work / "dags-up.log").read_text():
            if process.poll() is not None:
                raise SystemExit((work / "dags-up.log").read_text()[-3000:])
            time.sleep(0.5)
        client.login()
        for dag_id in landing + derived:
            client.poll(f"{dag_id} parsed", lambda d=dag_id: client.request("GET", f"/api/v2/dags/{d}")[0] == 200)
            client.request("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})
        started = time.perf_counter()
        startup = started - began
        keys = periods(snapshot, select)
        for dag_id in landing:  # a landing per period runs once per period the snapshot holds
            for key in keys.get(dag_id, [None]):
                status, body = client.request("POST", f"/api/v2/dags/{dag_id}/dagRuns",
                                              {"logical_date": None, "partition_key": key})
                if status != 200:
                    raise SystemExit(f"cannot trigger {dag_id} ({key}): {body}")

        def all_done():
            pending = []
            for dag_id in landing + derived:
                _, body = client.request("GET", f"/api/v2/dags/{dag_id}/dagRuns")
                found = body.get("dag_runs", [])
                if any(r["state"] == "failed" for r in found):
                    raise SystemExit(f"{dag_id} failed: see {home}/logs")
                if not any(r["state"] == "success" for r in found) or any(r["state"] in ("queued", "running")
                                                                          for r in found):
                    pending.append(dag_id)
            return not pending

        client.poll("every DAG to succeed", all_done, timeout=3600, every=3)
        return time.perf_counter() - started, startup, len(landing) + len(derived)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=Path(os.environ.get("BHNAV_SNAPSHOT_DIR", REPO.parent / "shared" / "data")))
    parser.add_argument("--select", action="append", default=[], help="assets to build (bhnav materialize's selectors)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folders (lakes, Airflow logs)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bhnav-cold-chain-"))
    try:
        local = in_process(work / "in-process-lake", args.snapshot.absolute(), args.select)
        chain, startup, count = through_scheduler(work / "scheduler", args.snapshot.absolute(), args.select)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    what = ", ".join(args.select) if args.select else "the whole graph"
    print(f"cold chain of {what} ({count} DAGs), empty lake, on {os.cpu_count()} cores")
    print(f"  bhnav materialize (one process, one Spark session)   {local:8.1f} s")
    print(f"  real scheduler (a process and a JVM per task)         {chain:8.1f} s  (+ {startup:.1f} s Airflow start-up)")
    print(f"  ratio scheduler / in-process                          {chain / local:8.2f}x")
    if args.keep:
        print(f"  kept: {work}")


if __name__ == "__main__":
    main()
