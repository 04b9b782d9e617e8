"""Writing fails (disk full, no permission): a clear error, nothing half-written in the lake.

Tests run as root, who ignores file modes, so the failures are made real in ways that bind
root too: a file-size limit (RLIMIT_FSIZE, the kernel's EFBIG, as a full disk's ENOSPC stops a
write) in a child process, and an immutable folder (chattr +i).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from landing.errors import LandingError
from landing.lander import land_asset
from tests.landing.conftest import lake_files

REPO = Path(__file__).resolve().parents[2]


def _limit_file_size():
    limit = 1024 * 1024  # 1 MiB: si-bol-2019.csv is 3.5 MB
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_write_that_runs_out_of_room_fails_cleanly(lake_env, snapshot_dir):
    env = {**os.environ, "BHNAV_LAKE_DIR": str(lake_env.lake_dir), "BHNAV_SNAPSHOT_DIR": str(snapshot_dir),
           "COLUMNS": "300", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "land", "--select", "acidentes_raw", "--select", "estacoes_onibus_raw"],
        cwd=REPO, env=env, capture_output=True, text=True, preexec_fn=_limit_file_size, timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "error: dataset 'acidentes_raw': cannot write to the lake: File too large" in done.stderr
    files = lake_files(lake_env)
    # The small file landed; of the large one nothing at all, not even in staging.
    assert not [k for k in files if "acidentes_raw" in k or k.startswith(".staging/")], files
    assert any(k.endswith("/estacao_onibus.csv") for k in files)


@pytest.fixture
def immutable(tmp_path):
    """chattr +i a folder for the test; even root cannot create entries in it."""
    frozen: list[Path] = []

    def freeze(folder: Path) -> None:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not installed")
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"this file system does not support immutable folders: {done.stderr.strip()}")
        frozen.append(folder)

    yield freeze
    for folder in frozen:
        subprocess.run(["chattr", "-i", str(folder)], check=False)


def test_a_folder_we_may_not_write_fails_cleanly(lake_env, immutable):
    raw = Path(lake_env.lake_dir) / "raw"
    raw.mkdir(parents=True)
    immutable(raw)
    with pytest.raises(LandingError, match=r"^dataset 'iqvu_raw': cannot write to the lake: Operation not permitted"):
        land_asset("iqvu_raw", lake_env)
    assert lake_files(lake_env) == {}
