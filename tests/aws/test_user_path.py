"""A user's path on AWS through the command line: `--env aws` everywhere, and one line naming the
setting when credentials, the workgroup or the bucket name are wrong. Commands run as a user runs
them, in their own process (``python -m app.cli.main``), against moto's server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.moto import BUCKET, REGION

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def bhnav(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """The command line, its stdout a pipe (as in `bhnav ... | less`)."""
    environment = {"PATH": os.environ["PATH"], "HOME": str(cwd), "PYTHONPATH": str(REPO),
                   "BHNAV_LAKE_DIR": str(cwd / "lake"), "AWS_CONFIG_FILE": str(cwd / "no-config"),
                   "AWS_SHARED_CREDENTIALS_FILE": str(cwd / "no-credentials"), "AWS_EC2_METADATA_DISABLED": "true",
                   **env}
    return subprocess.run([sys.executable, "-m", "app.cli.main", *args], env=environment, cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def aws_user(aws_env, moto_server) -> dict[str, str]:
    """What a user on AWS exports (credentials, region, bucket), here pointing at moto."""
    return {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": REGION,
            "AWS_ENDPOINT_URL": moto_server, "S3_BUCKET": BUCKET}


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_status_takes_the_aws_environment(aws_user, tmp_path):
    from assets.definitions import load_graph

    result = bhnav("status", "--env", "aws", "--format", "csv", env=aws_user, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[1:]
    assert sorted(r.split(",")[0] for r in rows) == sorted(load_graph().names)
    assert {r.split(",")[2] for r in rows} == {"never"}  # moto's Glue holds no table yet


@pytest.mark.parametrize("command", [
    pytest.param(("status", "--env", "aws"), id="status"),
    pytest.param(("deploy", "package", "--dry-run"), id="deploy-package"),
    pytest.param(("query", "--env", "aws", "SELECT 1"), id="query"),
])
def test_missing_credentials_give_one_line_naming_the_settings(aws_user, tmp_path, command):
    user = {k: v for k, v in aws_user.items() if not k.startswith("AWS_ACCESS") and not k.startswith("AWS_SECRET")}
    line = _one_line_error(bhnav(*command, env=user, cwd=tmp_path))
    assert line.startswith("error: no AWS credentials found") and "AWS_PROFILE" in line and "AWS_ACCESS_KEY_ID" in line


def test_a_missing_workgroup_gives_one_line_naming_athena_workgroup(aws_user, tmp_path):
    line = _one_line_error(bhnav("query", "--env", "aws", "SELECT 1", env={**aws_user, "ATHENA_WORKGROUP": "nope"},
                                 cwd=tmp_path))
    assert "ATHENA_WORKGROUP='nope' does not exist" in line and "bhnav deploy stack" in line


@pytest.mark.parametrize("bucket", [
    pytest.param("Bhnav_Lake", id="uppercase-underscore"),
    pytest.param("ab", id="too-short"),
    pytest.param("b" * 52, id="no-room-for-the-derived-buckets"),
    pytest.param("192.168.0.1", id="ip-address"),
    pytest.param("bhnav..lake", id="double-dot"),
    pytest.param("xn--bhnav", id="reserved-prefix"),
])
def test_a_bad_bucket_name_gives_one_line_naming_s3_bucket(aws_user, tmp_path, bucket):
    line = _one_line_error(bhnav("status", "--env", "aws", env={**aws_user, "S3_BUCKET": bucket}, cwd=tmp_path))
    assert line.startswith(f"error: S3_BUCKET={bucket!r} is not a valid bucket name")


def test_a_bad_name_prefix_gives_one_line_naming_the_setting(aws_user, tmp_path):
    line = _one_line_error(bhnav("status", "--env", "aws", env={**aws_user, "BHNAV_NAME_PREFIX": "BH-nav"},
                                 cwd=tmp_path))
    assert line.startswith("error: BHNAV_NAME_PREFIX='BH-nav' is not a valid name prefix")


def test_tables_printed_to_a_pipe_are_not_cut(tmp_path):
    from assets.definitions import load_graph

    result = bhnav("status", env={"COLUMNS": "60"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    for name in load_graph().names:
        assert f" {name} " in result.stdout
