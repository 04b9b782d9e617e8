"""A materialisation killed (SIGKILL, whole process group) in the middle of its Delta write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROWS = 200_000


def parquet_files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*.parquet") if "_delta_log" not in p.parts}


def test_sigkill_mid_write_leaves_previous_version_and_rerun_converges(runtime_lake):
    from lake.locations import local_path

    runtime_lake.write_raw("volume.csv", f"ROWS;TAG\n{ROWS};v1\n")
    first = runtime_lake.run_ok("+volume")["volume"]
    folder = local_path(runtime_lake.path("volume"))
    before = parquet_files(folder)

    runtime_lake.write_raw("volume.csv", f"ROWS;TAG\n{ROWS};v2\n")
    runtime_lake.run_ok("volume_raw")  # land the new file; the job below only materialises
    env = {**os.environ, "PYTHONPATH": str(REPO), "BHNAV_SPARK_SHUFFLE_PARTITIONS": "2"}
    job = subprocess.Popen(
        [sys.executable, "-m", "runs.job", "--asset", "volume", "--env", "local", "--force"],
        cwd=REPO, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 600
        while not (parquet_files(folder) - before):
            assert job.poll() is None, f"the job ended before writing: {job.stderr.read().decode()[-2000:]}"
            assert time.monotonic() < deadline, "the job wrote no file in 10 minutes"
            time.sleep(0.02)
        os.killpg(job.pid, signal.SIGKILL)  # the driver, its JVM and its Python workers at once
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
        job.wait(timeout=60)
    orphans = parquet_files(folder) - before
    assert orphans, "the kill must land after the first new data file"

    assert runtime_lake.version("volume") == first.delta_version, "the interrupted commit never happened"
    table = runtime_lake.table("volume")
    assert table.count() == ROWS and {r["tag"] for r in table.select("tag").distinct().collect()} == {"v1"}

    rerun = runtime_lake.run_ok("+volume")["volume"]
    assert rerun.status == "success" and rerun.delta_version == first.delta_version + 1
    table = runtime_lake.table("volume")
    assert table.count() == ROWS and table.select("id").distinct().count() == ROWS
    assert {r["tag"] for r in table.select("tag").distinct().collect()} == {"v2"}
