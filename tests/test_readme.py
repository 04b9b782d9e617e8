"""The README's "Add a table" guide, run as written, so it cannot rot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("assets", "lake", "landing", "spark", "catalog", "airflow_dags", "app", "infra")


def guide_commands() -> str:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Add a table", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_add_a_table_guide_runs_as_written(tmp_path):
    # A copy of the sources, so the guide writes its declarations there and not into this checkout.
    work = tmp_path / "project"
    for name in SOURCES:
        shutil.copytree(REPO / name, work / name, ignore=shutil.ignore_patterns("__pycache__"))
    script = f'bhnav() {{ "{sys.executable}" -m app.cli.main "$@"; }}\nset -euo pipefail\n' + guide_commands()
    env = {**os.environ, "PYTHONPATH": str(work), "BHNAV_LAKE_DIR": str(tmp_path / "lake"), "COLUMNS": "200"}
    env.pop("BHNAV_SNAPSHOT_DIR", None)
    done = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (work / "assets" / "feiras" / "feiras_raw.py").is_file()
    assert (work / "assets" / "feiras" / "feiras.py").is_file()
    # show printed the declared columns and the dependency both ways
    assert "id_feira" in done.stdout and "downstream: feiras" in done.stdout
    assert "upstream: feiras_raw" in done.stdout
    landed = list((tmp_path / "lake" / "raw" / "pbh" / "feiras_raw").rglob("feiras.csv"))
    assert len(landed) == 1 and landed[0].read_bytes() == (work / "samples" / "pbh" / "feiras.csv").read_bytes()
