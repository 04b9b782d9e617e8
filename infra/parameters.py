"""The template's parameters and conditions: what differs between deployments of the same lake."""

from __future__ import annotations

from infra.cfn import Fragment, ref

MAX_CIDRS = 5  # CloudFormation cannot loop over a list; one ingress rule per slot, made when filled
AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def cidr_condition(index: int) -> str:
    return f"HasAllowedCidr{index + 1}"


def cidr(index: int) -> dict:
    """The index-th CIDR of AllowedCidrs, or "" when the list is shorter (padded before the split)."""
    padded = {"Fn::Join": [",", [{"Fn::Join": [",", ref("AllowedCidrs")]}, *([""] * MAX_CIDRS)]]}
    return {"Fn::Select": [index, {"Fn::Split": [",", padded]}]}


def _flag(description: str, default: str) -> dict:
    return {"Type": "String", "AllowedValues": ["true", "false"], "Default": default, "Description": description}


def fragment(graph, settings) -> Fragment:
    parameters = {
        "AllowedCidrs": {
            "Type": "CommaDelimitedList",
            "Description": f"Up to {MAX_CIDRS} CIDRs allowed to reach the app (8501 on EC2, 443 on the load "
                           "balancer), e.g. your address as 203.0.113.7/32. There is no default on purpose.",
        },
        "ImageTag": {"Type": "String", "MinLength": 1, "Description": "The app image's tag in ECR (bhnav deploy image)."},
        "VpcId": {"Type": "AWS::EC2::VPC::Id", "Description": "The VPC of the app (the default VPC works)."},
        "AppSubnetId": {"Type": "AWS::EC2::Subnet::Id",
                        "Description": "A public subnet for the EC2 app (auto-assigns public IPs)."},
        "AmiId": {"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": AL2023,
                  "Description": "Amazon Linux 2023, resolved from SSM at deploy time."},
        "InstanceType": {"Type": "String", "Default": "t2.micro", "AllowedValues": ["t2.micro", "t3.micro", "t3.small"],
                         "Description": "t2.micro is in the free tier."},
        "DataVolumeSize": {"Type": "Number", "Default": 10, "MinValue": 1, "MaxValue": 100,
                           "Description": "GiB of the EBS data volume mounted into the container at /data."},
        "EnableEc2App": _flag("Run the app on one EC2 instance.", "true"),
        "EnableEcs": _flag("Run the app on ECS Fargate behind an HTTPS load balancer (production).", "false"),
        "PublicSubnetIds": {"Type": "CommaDelimitedList", "Default": "",
                            "Description": "Two or more public subnets for the load balancer and tasks (ECS only)."},
        "CertificateArn": {"Type": "String", "Default": "",
                           "Description": "ACM certificate for the load balancer's HTTPS listener (ECS only)."},
        "EnableMwaa": _flag("Create an MWAA (Airflow 3) environment running the generated DAGs.", "false"),
        "MwaaSubnetIds": {"Type": "CommaDelimitedList", "Default": "",
                          "Description": "Two private subnets (with a NAT) for MWAA (MWAA only)."},
        "AlertEmail": {"Type": "String", "Default": "", "Description": "E-mail subscribed to the alert topic (optional)."},
        "AthenaBytesScannedCutoff": {"Type": "Number", "Default": 10737418240, "MinValue": 10485760,
                                     "Description": "Largest scan one Athena query may make, in bytes (10 GiB)."},
    }
    conditions = {
        "CreateEc2App": {"Fn::Equals": [ref("EnableEc2App"), "true"]},
        "CreateEcs": {"Fn::Equals": [ref("EnableEcs"), "true"]},
        "CreateMwaa": {"Fn::Equals": [ref("EnableMwaa"), "true"]},
        "HasAlertEmail": {"Fn::Not": [{"Fn::Equals": [ref("AlertEmail"), ""]}]},
    }
    for index in range(MAX_CIDRS):
        conditions[cidr_condition(index)] = {"Fn::Not": [{"Fn::Equals": [cidr(index), ""]}]}
    return Fragment(parameters=parameters, conditions=conditions)
