"""The S3, IAM, ECR, EC2 and ECS parts deploy into moto's CloudFormation (its server, started here).

moto skips Glue, Athena, Secrets Manager, alarms and bucket policies and drops S3 versioning,
lifecycle and public-access blocks: those are covered by the lint tests, not asserted here.
"""

from __future__ import annotations

import json
import time

import pytest

pytestmark = pytest.mark.slow

PARTS = ("parameters", "keys", "buckets", "iam", "app_ec2", "app_ecs")
MY_CIDRS = ("203.0.113.7/32", "198.51.100.0/24")
REGION = "us-east-1"
STACK = "bhnav-lakehouse"


@pytest.fixture(scope="module")
def deployed(moto_server):
    """One stack for the module: moto reset, a VPC with two subnets, a certificate, then create_stack."""
    import boto3

    from assets.definitions import load_graph
    from infra.template import build_template, to_json
    from tests.fixtures.moto import moto_api
    from tests.infra.conftest import BUCKET, template_settings

    moto_api(moto_server, "reset")
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    client = lambda name: session.client(name, endpoint_url=moto_server)  # noqa: E731
    settings = template_settings(aws_region=REGION)
    graph = load_graph()
    template = build_template(graph, settings, parts=PARTS)
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
               for i, zone in enumerate("ab")]
    certificate = client("acm").request_certificate(DomainName="navigator.example.org")["CertificateArn"]
    # The template is larger than an inline body may be: it goes through S3, as `deploy stack` does.
    s3 = client("s3")
    s3.create_bucket(Bucket="bhnav-templates")
    s3.put_object(Bucket="bhnav-templates", Key="t.json", Body=to_json(template, compact=True).encode())
    parameters = {"AllowedCidrs": ",".join(MY_CIDRS), "ImageTag": "0123abcd", "VpcId": vpc, "AppSubnetId": subnets[0],
                  "EnableEcs": "true", "PublicSubnetIds": ",".join(subnets), "CertificateArn": certificate}
    cloudformation = client("cloudformation")
    cloudformation.create_stack(
        StackName=STACK, TemplateURL=f"https://bhnav-templates.s3.{REGION}.amazonaws.com/t.json",
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    deadline = time.monotonic() + 120
    while (status := cloudformation.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"]).endswith("IN_PROGRESS"):
        assert time.monotonic() < deadline, status
        time.sleep(0.5)
    return {"client": client, "status": status, "graph": graph, "settings": settings, "template": template,
            "vpc": vpc, "subnets": subnets, "bucket": BUCKET}


def test_the_stack_is_created(deployed):
    assert deployed["status"] == "CREATE_COMPLETE"


def test_the_buckets_exist_with_kms_encryption(deployed):
    s3 = deployed["client"]("s3")
    names = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    lake = deployed["bucket"]
    assert {lake, f"{lake}-athena", f"{lake}-access-logs"} <= names
    rule = s3.get_bucket_encryption(Bucket=lake)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"].startswith(f"arn:aws:kms:{REGION}:")


def test_every_job_role_exists_with_its_own_policy(deployed):
    from lake.glue_job_spec import job_assets
    from infra.iam import glue_job_policy

    iam = deployed["client"]("iam")
    graph, settings = deployed["graph"], deployed["settings"]
    account = iam.get_role(RoleName="bhnav-app")["Role"]["Arn"].split(":")[4]
    key_arn = next(o["OutputValue"] for o in deployed["client"]("cloudformation").describe_stacks(StackName=STACK)
                   ["Stacks"][0]["Outputs"] if o["OutputKey"] == "KmsKeyArn")
    for asset in job_assets(graph):
        role = f"bhnav-glue-{asset.name}"
        trust = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
        assert trust["Statement"][0]["Principal"] == {"Service": ["glue.amazonaws.com"]}
        stored = iam.get_role_policy(RoleName=role, PolicyName="glue-job")["PolicyDocument"]
        stored = _document(stored)
        # CloudFormation resolved the account and the key: the result is the plain function's document.
        assert stored == glue_job_policy(asset, graph, settings, account=account, kms_key_arn=key_arn)


def _document(stored):
    """moto returns a CloudFormation-made inline policy as the text of a Python dict, boto3 a dict."""
    import ast

    if isinstance(stored, dict):
        return stored
    try:
        return json.loads(stored)
    except json.JSONDecodeError:
        return ast.literal_eval(stored)


def test_the_app_role_is_the_instance_profile_of_the_app(deployed):
    ec2, iam = deployed["client"]("ec2"), deployed["client"]("iam")
    profiles = iam.list_instance_profiles_for_role(RoleName="bhnav-app")["InstanceProfiles"]
    assert len(profiles) == 1
    (reservation,) = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["bhnav-app"]}])["Reservations"]
    (instance,) = reservation["Instances"]
    assert instance["ImageId"].startswith("ami-") and instance["SubnetId"] == deployed["subnets"][0]
    associations = ec2.describe_iam_instance_profile_associations(
        Filters=[{"Name": "instance-id", "Values": [instance["InstanceId"]]}])["IamInstanceProfileAssociations"]
    assert associations[0]["IamInstanceProfile"]["Arn"] == profiles[0]["Arn"]


def test_the_app_port_is_open_only_to_the_given_cidrs(deployed):
    ec2 = deployed["client"]("ec2")
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [deployed["vpc"]]}])["SecurityGroups"]
    app = next(g for g in groups if g.get("Description", "").startswith("bhnav app on EC2"))
    opened = {(p["FromPort"], r["CidrIp"]) for p in app["IpPermissions"] for r in p.get("IpRanges", [])}
    assert opened == {(8501, cidr) for cidr in MY_CIDRS}
    balancer = next(g for g in groups if g.get("Description", "").startswith("bhnav load balancer"))
    assert {(p["FromPort"], r["CidrIp"]) for p in balancer["IpPermissions"] for r in p.get("IpRanges", [])} == \
        {(443, cidr) for cidr in MY_CIDRS}


def test_the_repository_scans_on_push_with_immutable_tags(deployed):
    ecr = deployed["client"]("ecr")
    (repository,) = ecr.describe_repositories(repositoryNames=["bhnav-app"])["repositories"]
    assert repository["imageTagMutability"] == "IMMUTABLE"
    # moto keeps CloudFormation's "ScanOnPush" casing, which its API answer then drops: read the template.
    properties = deployed["template"]["Resources"]["AppRepository"]["Properties"]
    assert properties["ImageScanningConfiguration"] == {"ScanOnPush": True}


def test_the_ecs_service_runs_the_image_behind_the_https_listener(deployed):
    ecs, elb = deployed["client"]("ecs"), deployed["client"]("elbv2")
    (service,) = ecs.describe_services(cluster="bhnav-app", services=ecs.list_services(cluster="bhnav-app")["serviceArns"])["services"]
    assert service["desiredCount"] == 1  # (moto reports every CloudFormation service as EC2-launched)
    task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
    (container,) = task["containerDefinitions"]
    assert container["image"].endswith(".dkr.ecr.us-east-1.amazonaws.com/bhnav-app:0123abcd")
    environment = {e["name"]: e["value"] for e in container["environment"]}
    assert environment["S3_BUCKET"] == deployed["bucket"] and environment["BHNAV_ENV"] == "aws"
    assert not any("SECRET" in name or "PASSWORD" in name for name in environment)
    (balancer,) = elb.describe_load_balancers()["LoadBalancers"]
    (listener,) = elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    assert (listener["Port"], listener["Protocol"]) == (443, "HTTPS")


def test_the_instance_user_data_installs_docker_and_runs_the_image_on_8501(deployed):
    import base64

    ec2 = deployed["client"]("ec2")
    (reservation,) = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["bhnav-app"]}])["Reservations"]
    instance_id = reservation["Instances"][0]["InstanceId"]
    encoded = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")["UserData"]["Value"]
    text = base64.b64decode(encoded).decode()
    account = "123456789012"
    registry = f"{account}.dkr.ecr.{REGION}.amazonaws.com"
    assert "- [scripts-user, always]" in text  # the start script runs on every boot
    assert "dnf install -y docker" in text
    assert f'REGISTRY="{registry}"' in text and "docker login --username AWS --password-stdin" in text
    assert f'docker pull "{registry}/bhnav-app:0123abcd"' in text
    assert "-p 8501:8501" in text and f"-e S3_BUCKET={deployed['bucket']}" in text and "-v /srv/bhnav:/data" in text
    assert "${" not in text.replace("${!", "")  # every CloudFormation placeholder was resolved
    assert "AWS_SECRET_ACCESS_KEY" not in text and "AWS_ACCESS_KEY_ID" not in text
