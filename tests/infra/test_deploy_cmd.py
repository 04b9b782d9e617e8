"""``bhnav deploy`` against moto's server: dry runs change nothing, second runs change nothing."""

from __future__ import annotations

import json
import zipfile

import pytest

pytestmark = pytest.mark.slow

STACK = "bhnav-lakehouse"


@pytest.fixture
def cli():
    from typer.testing import CliRunner

    from app.cli.main import build

    app, runner = build(), CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args))

    return invoke


@pytest.fixture
def aws(moto_server, monkeypatch):
    """A reset moto with the test settings, and a boto3 client factory; no bucket made beforehand."""
    import boto3

    from tests.fixtures.moto import BUCKET, REGION, aws_test_environment, moto_api

    moto_api(moto_server, "reset")
    aws_test_environment(monkeypatch, moto_server)
    monkeypatch.delenv("ATHENA_OUTPUT")
    return {"client": lambda name: boto3.client(name, region_name=REGION, endpoint_url=moto_server), "bucket": BUCKET}


@pytest.fixture
def network(aws):
    ec2 = aws["client"]("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24")["Subnet"]["SubnetId"]
    return ["--vpc-id", vpc, "--subnet-id", subnet, "--image-tag", "0123abcd", "--allowed-cidr", "203.0.113.7/32"]


def _stack_exists(aws) -> bool:
    stacks = aws["client"]("cloudformation").list_stacks()["StackSummaries"]
    return any(s["StackName"] == STACK and s["StackStatus"] != "DELETE_COMPLETE" for s in stacks)


def test_stack_dry_run_prints_the_changes_and_changes_nothing(cli, aws, network):
    s3, cloudformation = aws["client"]("s3"), aws["client"]("cloudformation")
    result = cli("deploy", "stack", "--dry-run", *network)
    assert result.exit_code == 0, result.output
    assert f"change set for {STACK} (CREATE)" in result.output
    assert "GlueJobApetiteInvestidor" in result.output and "AWS::Glue::Job" in result.output
    assert "nothing changed" in result.output
    # Nothing was made: no stack (not even one under review), no bucket, no template object.
    assert cloudformation.list_stacks()["StackSummaries"] == []
    assert s3.list_buckets()["Buckets"] == []


def test_a_dry_run_after_a_deploy_reports_only_what_differs(cli, aws, network):
    assert cli("deploy", "stack", *network).exit_code == 0
    again = cli("deploy", "stack", "--dry-run", "--format", "json", *network)
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["changes"] == []


def test_stack_creates_the_resources(cli, aws, network):
    """(moto gives a stack made through a change set no outputs, so none are asserted here.)"""
    result = cli("deploy", "stack", "--format", "json", *network)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output[result.output.index("{"):])
    assert answer["status"] == "CREATE_COMPLETE" and answer["type"] == "CREATE"
    assert {"LakeBucket", "AppRepository", "AppInstance", "LandingRole"} <= {c["logical_id"] for c in answer["changes"]}
    buckets = {b["Name"] for b in aws["client"]("s3").list_buckets()["Buckets"]}
    assert {aws["bucket"], f"{aws['bucket']}-athena", f"{aws['bucket']}-access-logs"} <= buckets
    assert aws["client"]("ecr").describe_repositories()["repositories"][0]["repositoryName"] == "bhnav-app"


def test_a_second_stack_run_changes_nothing(aws):
    """Idempotence comes from the change set: no difference, nothing executed (a small template:
    moto's update of the whole one trips on its own ECS and list-parameter handling)."""
    from assets.definitions import load_graph
    from infra.stack import deploy_stack
    from infra.template import build_template
    from lake.settings import get_settings

    settings = get_settings()
    template = build_template(load_graph(), settings, parts=("keys", "buckets"))
    first = deploy_stack(template, settings, {}, dry_run=False)
    second = deploy_stack(template, settings, {}, dry_run=False)
    assert (first.status, first.executed) == ("CREATE_COMPLETE", True)
    assert (second.status, second.executed, second.change_set_type) == ("UNCHANGED", False, "UPDATE")


def test_stack_refuses_to_open_the_app_to_everyone(cli, aws, network):
    result = cli("deploy", "stack", "--dry-run", *network[:-1], "0.0.0.0/0")
    assert result.exit_code == 1
    assert "--allowed-cidr 0.0.0.0/0 opens the app to everyone" in result.output


def test_package_uploads_once(cli, aws):
    s3 = aws["client"]("s3")
    s3.create_bucket(Bucket=aws["bucket"])
    dry = cli("deploy", "package", "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.output
    assert {row["action"] for row in json.loads(dry.output)} == {"would upload"}
    assert s3.list_objects_v2(Bucket=aws["bucket"])["KeyCount"] == 0
    first = json.loads(cli("deploy", "package", "--format", "json").output)
    keys = {row["key"].split("/", 3)[-1]: row["action"] for row in first}
    assert set(keys.values()) == {"uploaded"}
    assert {"deploy/bhnav.zip", "deploy/runs/job.py"} <= set(keys)
    assert any(k.startswith("deploy/wheels/bhnav-") and k.endswith(".whl") for k in keys)
    second = json.loads(cli("deploy", "package", "--format", "json").output)
    assert {row["action"] for row in second} == {"unchanged"}
    body = s3.get_object(Bucket=aws["bucket"], Key="deploy/bhnav.zip")["Body"].read()
    import io

    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert "runs/job.py" in names and "assets/definitions.py" in names
    assert not any(n.startswith(("tests/", "app/")) for n in names)


def test_image_prints_the_build_and_push_steps_without_a_docker_engine(cli, aws, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no docker binary: the steps are printed
    result = cli("deploy", "image", "--tag", "0123abcd")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
    assert f"aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin {registry}" in lines
    assert any(line.startswith(f"docker build --pull --tag {registry}/bhnav-app:0123abcd ") for line in lines)
    assert f"docker push {registry}/bhnav-app:0123abcd" in lines


def test_mwaa_bundle_and_dags_upload(cli, aws, tmp_path):
    out = tmp_path / "bundle"
    result = cli("deploy", "mwaa-bundle", "--out", str(out))
    assert result.exit_code == 0, result.output
    dags = sorted(p.name for p in (out / "dags").glob("*.py"))
    assert dags and all(name.startswith("bhnav_") for name in dags)
    requirements = (out / "requirements.txt").read_text().splitlines()
    assert requirements[0].startswith('--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-3.3.1/')
    wheel = requirements[1].split("/")[-1].removesuffix("[aws]")
    assert zipfile.ZipFile(out / "plugins.zip").namelist() == [wheel]

    s3 = aws["client"]("s3")
    s3.create_bucket(Bucket=aws["bucket"])
    s3.put_object(Bucket=aws["bucket"], Key="mwaa/dags/bhnav_removed_asset.py", Body=b"# old")
    first = json.loads(cli("deploy", "dags", "--format", "json").output)
    actions = {row["key"].split("/", 3)[-1]: row["action"] for row in first}
    assert actions["mwaa/dags/bhnav_removed_asset.py"] == "deleted"
    assert actions["mwaa/requirements.txt"] == actions["mwaa/plugins.zip"] == "uploaded"
    assert {f"mwaa/dags/{name}" for name in dags} <= set(actions)
    second = json.loads(cli("deploy", "dags", "--format", "json").output)
    assert {row["action"] for row in second} == {"unchanged"}


def test_two_stacks_with_different_name_prefixes_coexist_in_one_account(cli, aws, network, monkeypatch):
    """Every account-wide name (roles, jobs, databases, the stack, the ECR repository) carries the prefix."""
    first = cli("deploy", "stack", "--format", "json", *network)
    assert first.exit_code == 0, first.output
    monkeypatch.setenv("BHNAV_NAME_PREFIX", "bhnavb")
    monkeypatch.setenv("S3_BUCKET", "bhnavb-lake-test")
    second = cli("deploy", "stack", "--format", "json", *network)
    assert second.exit_code == 0, second.output
    assert json.loads(second.output[second.output.index("{"):])["status"] == "CREATE_COMPLETE"
    stacks = {s["StackName"] for s in aws["client"]("cloudformation").list_stacks()["StackSummaries"]
              if s["StackStatus"] == "CREATE_COMPLETE"}
    assert stacks == {"bhnav-lakehouse", "bhnavb-lakehouse"}
    roles = {r["RoleName"] for r in aws["client"]("iam").list_roles()["Roles"]}
    assert {"bhnav-glue-empresas", "bhnavb-glue-empresas", "bhnav-landing", "bhnavb-landing"} <= roles
