"""The README's "Run it on AWS" section, run as written against moto's server, so it cannot rot.

moto's CloudFormation skips AWS::Glue::Job (see ARCHITECTURE.md): right after the guide's
`bhnav deploy stack` the test creates the stack's jobs from the same definitions, as the real
stack would have. Nothing else is added to the guide's commands.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
REGION = "sa-east-1"  # the guide's

CREATE_STACK_JOBS = """
from assets.definitions import load_graph
from lake.aws import client
from lake.glue_job_spec import glue_job_definition, job_assets
from lake.settings import get_settings
settings = get_settings(env="aws")
for asset in job_assets(load_graph()):
    client("glue", settings).create_job(**glue_job_definition(asset, settings))
"""


def aws_guide() -> str:
    section = (REPO / "README.md").read_text().split("## Run it on AWS", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_the_aws_guide_runs_as_written_against_moto(moto_server, snapshot_dir, tmp_path):
    import boto3

    from tests.fixtures.moto import moto_api

    moto_api(moto_server, "reset")
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=moto_server,
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.1.0/24")["Subnet"]["SubnetId"]
    python = sys.executable
    script = (
        f'bhnav() {{ "{python}" -m app.cli.main "$@" || return $?; '
        f'if [ "$1 $2" = "deploy stack" ] && [[ " $* " != *" --dry-run "* ]]; then '
        f'"{python}" -c \'{CREATE_STACK_JOBS}\'; fi; }}\n'
        "set -euo pipefail\n" + aws_guide()
    )
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "COLUMNS": "200",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": moto_server,
           "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_EC2_METADATA_DISABLED": "true",
           "VPC": vpc, "SUBNET": subnet, "BHNAV_SNAPSHOT_DIR": str(snapshot_dir),
           "BHNAV_LAKE_DIR": str(tmp_path / "staging"), "BHNAV_GLUE_POLL_SECONDS": "0.05"}
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    s3 = boto3.client("s3", region_name=REGION, endpoint_url=moto_server,
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="my-bhnav-lake")["Contents"]}
    assert {"deploy/bhnav.zip", "deploy/runs/job.py", "mwaa/requirements.txt"} <= keys
    assert any(k.startswith("raw/pbh/estacoes_onibus_raw/ingest_date=") for k in keys)
    assert "nothing changed" in done.stdout and "estacoes_onibus" in done.stdout
    status = [line for line in done.stdout.splitlines() if " estacoes_onibus_raw " in line]
    assert status and "fresh" in status[-1], done.stdout[-3000:]
