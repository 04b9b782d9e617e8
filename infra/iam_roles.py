"""The roles: one per Glue job, landing, the app (EC2 instance / ECS task), ECS task execution, Airflow.

Each role carries exactly the documents of ``infra.iam``, with the account and the lake key
resolved by CloudFormation (Fn::Sub on ``${AWS::AccountId}`` and ``${LakeKey.Arn}``).
"""

from __future__ import annotations

from infra import iam
from lake import aws_names as names
from infra.cfn import Fragment, get_att, output, ref, resolve_placeholders, tags
from lake.glue_job_spec import job_assets
from lake.aws_names import ACCOUNT_REF, logical_id

KEY_REF = "${LakeKey.Arn}"
LANDING, APP, APP_PROFILE, ECS_EXECUTION, AIRFLOW = "LandingRole", "AppRole", "AppInstanceProfile", "EcsExecutionRole", "AirflowRole"


def job_role_id(asset) -> str:
    return logical_id("glue_role", asset.name)


def _trust(services: list[str], *, extra_principals: list | None = None) -> dict:
    principal: dict = {"Service": services}
    if extra_principals:
        principal["AWS"] = extra_principals
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole",
        # Confused-deputy guard: only this account's services may assume the role.
        **({"Condition": {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}} if not extra_principals else {}),
    }]}


def _role(name: str, trust: dict, policies: dict[str, dict], settings, *, managed: list[str] = (), **tag_values) -> dict:
    properties = {
        "RoleName": name,
        "AssumeRolePolicyDocument": trust,
        "Policies": [{"PolicyName": policy_name, "PolicyDocument": resolve_placeholders(document)}
                     for policy_name, document in policies.items()],
        "Tags": tags(settings, **tag_values),
    }
    if managed:
        properties["ManagedPolicyArns"] = list(managed)
    return {"Type": "AWS::IAM::Role", "Properties": properties}


def fragment(graph, settings) -> Fragment:
    ctx = {"account": ACCOUNT_REF, "kms_key_arn": KEY_REF}
    resources: dict = {}
    for asset in job_assets(graph):
        resources[job_role_id(asset)] = _role(
            names.job_role_name(asset, settings), _trust(["glue.amazonaws.com"]),
            {"glue-job": iam.glue_job_policy(asset, graph, settings, **ctx)}, settings, asset=asset.name,
        )
    resources[AIRFLOW] = _role(
        names.role_name(settings, "airflow"),
        _trust(["airflow.amazonaws.com", "airflow-env.amazonaws.com"]),
        {"airflow": iam.airflow_policy(settings, graph, **ctx)}, settings,
    )
    resources[LANDING] = _role(
        names.role_name(settings, "landing"),
        _trust(["ecs-tasks.amazonaws.com"], extra_principals=[get_att(AIRFLOW, "Arn")]),
        {"landing": iam.landing_policy(settings, graph, **ctx)}, settings,
    )
    resources[APP] = _role(
        names.role_name(settings, "app"), _trust(["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]),
        {"app": iam.app_policy(settings, **ctx), "app-host": iam.app_host_policy(settings, account=ACCOUNT_REF)},
        settings,
        # Session Manager replaces SSH: no key pair, no port 22.
        managed=["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
    )
    resources[APP_PROFILE] = {"Type": "AWS::IAM::InstanceProfile", "Properties": {"Roles": [ref(APP)]}}
    resources[ECS_EXECUTION] = _role(
        names.role_name(settings, "ecs-execution"), _trust(["ecs-tasks.amazonaws.com"]),
        {"pull-and-log": iam.app_host_policy(settings, account=ACCOUNT_REF)}, settings,
    )
    return Fragment(
        resources=resources,
        outputs={
            "AppRoleArn": output(get_att(APP, "Arn"), "The app's role (EC2 instance profile, ECS task)."),
            "LandingRoleArn": output(get_att(LANDING, "Arn"), "Landing writes raw/ only."),
            "AirflowRoleArn": output(get_att(AIRFLOW, "Arn"), "The Airflow (MWAA) execution role."),
        },
    )
