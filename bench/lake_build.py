"""Cold full build of the local lake from the snapshot folder, then the rerun with nothing changed.

    .venv/bin/python bench/lake_build.py [--snapshot ../shared/data] [--keep]

Both runs are `bhnav materialize --snapshot DIR` in a fresh process against the same new temp
lake, as a user would type them: the cold one lands every file, starts Spark and builds every
table; the rerun finds every landing identical and every table's inputs and code unchanged.
Target: rerun <= 10% of cold. Prints per-asset seconds of the cold build and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(lake: Path, snapshot: Path) -> tuple[float, list[dict]]:
    env = {**os.environ, "BHNAV_ENV": "local", "BHNAV_LAKE_DIR": str(lake), "BHNAV_SNAPSHOT_DIR": str(snapshot)}
    env.pop("BHNAV_EXTRA_ASSETS_DIR", None)
    began = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("bhnav")), "materialize", "--snapshot", str(snapshot), "--format", "json"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"bhnav materialize failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return seconds, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--keep", action="store_true", help="keep the temp lake and print its path")
    args = parser.parse_args()
    lake = Path(tempfile.mkdtemp(prefix="bhnav-bench-lake-")) / "lake"
    try:
        cold, cold_rows = run(lake, args.snapshot.absolute())
        rerun, rerun_rows = run(lake, args.snapshot.absolute())
    finally:
        if args.keep:
            print(f"lake kept at {lake}")
        else:
            shutil.rmtree(lake.parent, ignore_errors=True)
    print(f"{'asset':32} {'status':8} {'rows':>9} {'quarantined':>11} {'seconds':>8}")
    for row in cold_rows:
        print(f"{row['asset']:32} {row['status']:8} {row['rows'] or '':>9} {row['quarantined']:>11} {row['seconds']:>8}")
    skipped = sum(r["status"] == "skipped" for r in rerun_rows)
    print(f"\ncold full build : {cold:8.1f} s ({len(cold_rows)} assets)")
    print(f"rerun unchanged : {rerun:8.1f} s ({skipped} of {len(rerun_rows)} skipped)")
    print(f"rerun / cold    : {rerun / cold:8.1%}  (target <= 10%)  on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
