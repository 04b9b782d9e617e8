"""The app's image repository and its simplest home: one EC2 instance running the container.

The instance (t2.micro, Amazon Linux 2023) uses the app role's instance profile; its user data
installs Docker, logs in to ECR, pulls the image (waiting for it when the stack was deployed before
the image was pushed: the repository is the stack's) and runs it on 8501 with the EBS data volume at
/data. Only the CIDRs of ``AllowedCidrs`` reach 8501; there is no SSH (Session Manager instead).
A new ``ImageTag`` changes the user data: CloudFormation stops the instance, updates it and starts
it, and cloud-init runs the script again on that boot (``scripts-user`` is set to ``always``), so
the new image is pulled and the container replaced.
"""

from __future__ import annotations

from infra import iam, names
from infra.cfn import Fragment, get_att, output, ref, skip, sub, tags
from infra.iam_roles import APP_PROFILE
from infra.parameters import MAX_CIDRS, cidr, cidr_condition

REPOSITORY, SECURITY_GROUP, INSTANCE = "AppRepository", "AppSecurityGroup", "AppInstance"
APP_PORT = 8501
CONTAINER_UID = 10001  # the Dockerfile's non-root user


def app_environment(settings) -> dict[str, str]:
    """The container's configuration: environment variables only, never a credential."""
    return {
        "BHNAV_ENV": "aws",
        "AWS_REGION": settings.aws_region,
        "S3_BUCKET": settings.require_bucket(),
        "ATHENA_WORKGROUP": settings.athena_workgroup,
        "ATHENA_OUTPUT": f"s3://{names.athena_results_bucket(settings)}/{names.athena_results_prefix(settings)}/",
        "BHNAV_NAME_PREFIX": settings.name_prefix,
    }


def image_uri() -> str:
    """The image in this account's registry (a Fn::Sub string)."""
    return "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/${AppRepository}:${ImageTag}"


MIME_BOUNDARY = "==BHNAV=="


def user_data(settings) -> dict:
    """A MIME multi-part: cloud-config making the script run on every boot, then the script."""
    env_flags = " ".join(f"-e {k}={v}" for k, v in app_environment(settings).items())
    cloud_config = """#cloud-config
cloud_final_modules:
- [scripts-user, always]
"""
    script = f"""#!/bin/bash
set -euo pipefail
dnf install -y docker
systemctl enable --now docker
# The EBS data volume: formatted on first boot, mounted at /srv/bhnav, given to the app's user.
DEVICE=/dev/xvdf
for _ in $(seq 1 30); do [ -b "$DEVICE" ] && break; sleep 2; done
blkid "$DEVICE" || mkfs -t xfs "$DEVICE"
mkdir -p /srv/bhnav
grep -q /srv/bhnav /etc/fstab || echo "$DEVICE /srv/bhnav xfs defaults,nofail 0 2" >> /etc/fstab
mount -a
chown {CONTAINER_UID}:{CONTAINER_UID} /srv/bhnav
REGISTRY="${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.amazonaws.com"
# The stack makes the ECR repository, so the image is pushed after the first deploy
# (bhnav deploy image): wait for the tag, up to an hour, logging in again before each try.
for _ in $(seq 1 120); do
  aws ecr get-login-password --region "${{AWS::Region}}" | docker login --username AWS --password-stdin "$REGISTRY" \
    && docker pull "{image_uri()}" && break
  sleep 30
done
docker rm -f bhnav-app 2>/dev/null || true
docker run -d --name bhnav-app --restart unless-stopped -p {APP_PORT}:{APP_PORT} {env_flags} \\
  -v /srv/bhnav:/data --log-driver awslogs --log-opt awslogs-region="${{AWS::Region}}" \\
  --log-opt awslogs-group="{iam.app_log_group(settings)}" "{image_uri()}"
"""
    parts = [("text/cloud-config", "cloud-config.txt", cloud_config), ("text/x-shellscript", "run-app.sh", script)]
    body = [f'Content-Type: multipart/mixed; boundary="{MIME_BOUNDARY}"', "MIME-Version: 1.0", ""]
    for content_type, name, text in parts:
        body += [f"--{MIME_BOUNDARY}", f'Content-Type: {content_type}; charset="us-ascii"', "MIME-Version: 1.0",
                 f'Content-Disposition: attachment; filename="{name}"', "", text]
    body.append(f"--{MIME_BOUNDARY}--")
    return {"Fn::Base64": sub("\n".join(body))}


def fragment(graph, settings) -> Fragment:
    resources: dict = {
        REPOSITORY: {
            "Type": "AWS::ECR::Repository",
            "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": {
                "RepositoryName": names.ecr_repository(settings),
                "ImageScanningConfiguration": {"ScanOnPush": True},
                "ImageTagMutability": "IMMUTABLE",
                "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": get_att("LakeKey", "Arn")},
                "LifecyclePolicy": {"LifecyclePolicyText": (
                    '{"rules":[{"rulePriority":1,"description":"keep the last 20 images",'
                    '"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":20},'
                    '"action":{"type":"expire"}}]}')},
                "Tags": tags(settings),
            },
        },
        SECURITY_GROUP: {
            "Type": "AWS::EC2::SecurityGroup", "Condition": "CreateEc2App",
            "Properties": {
                "GroupDescription": f"{names.project(settings)} app on EC2: 8501 from AllowedCidrs only",
                "VpcId": ref("VpcId"),
                "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0",
                                         "Description": "HTTPS to AWS APIs (ECR, S3, Athena, Glue) and dnf"}],
                "Tags": tags(settings),
            },
        },
        INSTANCE: {
            "Type": "AWS::EC2::Instance", "Condition": "CreateEc2App",
            "Metadata": skip(
                ("CKV_AWS_88", "The app is served from this instance's public IP; port 8501 is open only to AllowedCidrs."),
            ),
            "Properties": {
                "ImageId": ref("AmiId"),
                "InstanceType": ref("InstanceType"),
                "IamInstanceProfile": ref(APP_PROFILE),
                "SubnetId": ref("AppSubnetId"),
                "SecurityGroupIds": [ref(SECURITY_GROUP)],
                "Monitoring": True,
                "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 2},
                "BlockDeviceMappings": [
                    {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3", "Encrypted": True,
                                                        "DeleteOnTermination": True}},
                    {"DeviceName": "/dev/xvdf", "Ebs": {"VolumeSize": ref("DataVolumeSize"), "VolumeType": "gp3",
                                                        "Encrypted": True, "DeleteOnTermination": True}},
                ],
                "UserData": user_data(settings),
                "Tags": tags(settings, Name=f"{names.project(settings)}-app"),
            },
        },
    }
    for index in range(MAX_CIDRS):
        resources[f"AppIngress{index + 1}"] = {
            "Type": "AWS::EC2::SecurityGroupIngress", "Condition": f"Ec2{cidr_condition(index)}",
            "Properties": {"GroupId": ref(SECURITY_GROUP), "IpProtocol": "tcp", "FromPort": APP_PORT, "ToPort": APP_PORT,
                           "CidrIp": cidr(index), "Description": f"Streamlit from allowed CIDR {index + 1}"},
        }
    conditions = {f"Ec2{cidr_condition(i)}": {"Fn::And": [{"Condition": "CreateEc2App"}, {"Condition": cidr_condition(i)}]}
                  for i in range(MAX_CIDRS)}
    return Fragment(
        resources=resources, conditions=conditions,
        outputs={
            "AppRepositoryUri": output(get_att(REPOSITORY, "RepositoryUri"), "Push the app image here."),
            "AppUrl": output({"Fn::Join": ["", ["http://", get_att(INSTANCE, "PublicDnsName"), f":{APP_PORT}"]]},
                             "The app on EC2.", "CreateEc2App"),
            "AppInstanceId": output(ref(INSTANCE), "The app's instance (Session Manager for a shell).", "CreateEc2App"),
        },
    )
