"""The app image: hadolint clean, multi-stage, non-root, health-checked, configured by environment.

No Docker engine runs here: the Dockerfile is linted, its sources checked against the repo and
.dockerignore, and its install step (a requirements line naming our wheel with extras) run by pip.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra.conftest import REPO

DOCKERFILE = REPO / "Dockerfile"


def _hadolint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("hadolint")), "--no-color", str(path)],
                          capture_output=True, text=True, timeout=120)


def _instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
            for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_hadolint_is_clean():
    result = _hadolint(DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_hadolint_would_flag_an_unpinned_image(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install streamlit\n")
    found = set(re.findall(r"DL\d{4}", _hadolint(bad).stdout))
    assert {"DL3007", "DL3013"} <= found


def test_two_stages_on_slim_python_3_11():
    stages = [args for op, args in _instructions() if op == "FROM"]
    assert [s.split(" AS ")[-1] for s in stages] == ["wheels", "runtime"]
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in DOCKERFILE.read_text()


def test_runs_as_a_non_root_user_with_a_health_check_on_8501():
    instructions = _instructions()
    runtime = instructions[[i for i, (op, _) in enumerate(instructions) if op == "FROM"][-1]:]
    users = [args for op, args in runtime if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert ("EXPOSE", "8501") in runtime
    (check,) = [args for op, args in runtime if op == "HEALTHCHECK"]
    assert "http://localhost:8501/_stcore/health" in check
    (cmd,) = [args for op, args in runtime if op == "CMD"]
    assert cmd.startswith('["bhnav", "app"')


def test_configuration_by_environment_and_no_credentials():
    environment = " ".join(args for op, args in _instructions() if op == "ENV")
    for name in ("BHNAV_ENV=aws", "AWS_REGION=", "S3_BUCKET=", "ATHENA_WORKGROUP="):
        assert name in environment
    text = DOCKERFILE.read_text()
    for forbidden in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PASSWORD"):
        assert forbidden not in text


def test_the_image_copies_every_package_of_the_project_and_nothing_ignored():
    from infra.package import _packages

    copied = [args.split()[0] for op, args in _instructions() if op == "COPY" and "--from" not in args]
    assert set(_packages(REPO)) <= set(copied), "a package of pyproject.toml is missing from the image"
    ignored = {line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    for source in copied:
        assert (REPO / source).exists(), source
        assert source not in ignored, source


def test_the_cmd_is_a_bhnav_command():
    from typer.main import get_command

    from app.cli.main import build

    assert "app" in get_command(build()).commands


@pytest.mark.slow
def test_the_install_step_accepts_our_wheel_with_its_extras(tmp_path):
    """The runtime stage's pip line, run here against the wheel the project builds."""
    from infra.package import build_wheel

    wheel = build_wheel(tmp_path / "wheels")
    requirements = tmp_path / "wheels" / "requirements.txt"
    requirements.write_text(f"{wheel}[app,aws,query]\n")  # what the wheels stage writes
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--no-index", "--ignore-installed",
         f"--find-links={wheel.parent}", "--requirement", str(requirements)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Would install bhnav-" in result.stdout
