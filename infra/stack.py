"""Create or update the stack through a change set: review what changes, then (unless a dry run)
execute it, wait, and return the outputs. Running it twice changes nothing the second time.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field

from lake import aws_names as names
from infra.template import INLINE_TEMPLATE_LIMIT, to_json

CAPABILITIES = ["CAPABILITY_NAMED_IAM"]
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")


@dataclass
class StackResult:
    stack: str
    change_set_type: str
    changes: list[dict] = field(default_factory=list)
    executed: bool = False
    status: str = ""
    outputs: dict[str, str] = field(default_factory=dict)


def _client(service: str, settings):
    import boto3

    return boto3.client(service, region_name=settings.aws_region)


def stack_status(cloudformation, stack: str) -> str | None:
    from botocore.exceptions import ClientError

    try:
        return cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    except ClientError as exc:
        if "does not exist" in str(exc):
            return None
        raise


def _template_argument(template: dict, settings) -> dict:
    """Inline when small enough, else through the artifacts bucket (made here, idempotently)."""
    body = to_json(template, compact=True)
    if len(body.encode()) <= INLINE_TEMPLATE_LIMIT:
        return {"TemplateBody": body}
    s3 = _client("s3", settings)
    bucket = ensure_artifacts_bucket(s3, settings)
    key = f"templates/{names.stack_name(settings)}-{_digest(body)}.json"
    s3.put_object(Bucket=bucket, Key=key, Body=body.encode(), ContentType="application/json")
    # CloudFormation reads a private template with the caller's own permissions.
    return {"TemplateURL": f"https://{bucket}.s3.{settings.aws_region}.amazonaws.com/{key}"}


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:16]


def ensure_artifacts_bucket(s3, settings) -> str:
    """The bucket holding templates: private, encrypted, TLS only (the lake bucket is the stack's own)."""
    from botocore.exceptions import ClientError

    bucket = names.artifacts_bucket(settings)
    try:
        s3.head_bucket(Bucket=bucket)
        return bucket
    except ClientError:
        pass
    create = {"Bucket": bucket}
    if settings.aws_region != "us-east-1":
        create["CreateBucketConfiguration"] = {"LocationConstraint": settings.aws_region}
    s3.create_bucket(**create)
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    if not s3.meta.endpoint_url.startswith("https://"):
        return bucket  # a local emulator over plain HTTP: a TLS-only policy would refuse every call
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    return bucket


def _parameters(template: dict, given: dict[str, str], updating: bool) -> list[dict]:
    declared = template.get("Parameters", {})
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ValueError(f"stack parameters {', '.join(unknown)} are not in the template; "
                         f"known: {', '.join(sorted(declared))}")
    result = []
    for name, spec in declared.items():
        if name in given:
            result.append({"ParameterKey": name, "ParameterValue": given[name]})
        elif spec["Type"].startswith("AWS::SSM::Parameter::Value") and "Default" in spec:
            # An SSM-backed parameter is its path (resolved again at each deploy), not the value it
            # resolved to last time: the AMI follows Amazon Linux 2023's latest image.
            result.append({"ParameterKey": name, "ParameterValue": spec["Default"]})
        elif updating:
            result.append({"ParameterKey": name, "UsePreviousValue": True})
    return result


def _wait_change_set(cloudformation, stack: str, change_set: str, timeout_s: float = 900) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        described = cloudformation.describe_change_set(StackName=stack, ChangeSetName=change_set)
        if described["Status"] in ("CREATE_COMPLETE", "FAILED"):
            return described
        if time.monotonic() > deadline:
            raise TimeoutError(f"change set {change_set} of {stack} is still {described['Status']}")
        time.sleep(2)


def _changes(described: dict) -> list[dict]:
    rows = []
    for change in described.get("Changes", []):
        resource = change.get("ResourceChange", {})
        rows.append({
            "action": resource.get("Action", ""),
            "logical_id": resource.get("LogicalResourceId", ""),
            "type": resource.get("ResourceType", ""),
            "replacement": resource.get("Replacement", ""),
        })
    return rows


def deploy_stack(template: dict, settings, parameters: dict[str, str], *, dry_run: bool,
                 progress=lambda message: None, timeout_s: float = 3600) -> StackResult:
    cloudformation = _client("cloudformation", settings)
    stack = names.stack_name(settings)
    status = stack_status(cloudformation, stack)
    if status == "ROLLBACK_COMPLETE":
        raise RuntimeError(
            f"stack {stack} failed its first creation and was rolled back; it cannot be updated. See why with "
            f"`aws cloudformation describe-stack-events --stack-name {stack}`, delete it with "
            f"`aws cloudformation delete-stack --stack-name {stack}`, then deploy again."
        )
    if status is not None and status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS":
        raise RuntimeError(f"stack {stack} is {status}: another deployment is running; wait for it to finish.")
    # A stack that only ever held a reviewed change set (a dry run of a first deploy) is empty.
    updating = status is not None and status != "REVIEW_IN_PROGRESS"
    change_set_type = "UPDATE" if updating else "CREATE"
    if dry_run:
        result = StackResult(stack=stack, change_set_type=change_set_type,
                             changes=review(template, cloudformation, stack, updating))
        result.status = "REVIEWED"
        return result
    change_set = f"bhnav-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    progress(f"creating change set {change_set} ({change_set_type}) for stack {stack}")
    cloudformation.create_change_set(
        StackName=stack, ChangeSetName=change_set, ChangeSetType=change_set_type,
        Parameters=_parameters(template, parameters, updating), Capabilities=CAPABILITIES,
        Tags=[{"Key": "project", "Value": names.project(settings)}],
        **_template_argument(template, settings),
    )
    described = _wait_change_set(cloudformation, stack, change_set)
    result = StackResult(stack=stack, change_set_type=change_set_type, changes=_changes(described))
    if described["Status"] == "FAILED":
        reason = described.get("StatusReason", "")
        cloudformation.delete_change_set(StackName=stack, ChangeSetName=change_set)
        if any(text in reason for text in NO_CHANGES):
            result.status = "UNCHANGED"
            result.outputs = outputs(cloudformation, stack)
            return result
        raise RuntimeError(f"change set {change_set} of {stack} failed: {reason}")
    cloudformation.execute_change_set(StackName=stack, ChangeSetName=change_set)
    progress(f"executing change set {change_set}; waiting for {stack}")
    waiter = cloudformation.get_waiter("stack_update_complete" if updating else "stack_create_complete")
    waiter.wait(StackName=stack, WaiterConfig={"Delay": 5, "MaxAttempts": max(1, int(timeout_s // 5))})
    result.executed = True
    result.status = stack_status(cloudformation, stack) or ""
    result.outputs = outputs(cloudformation, stack)
    return result


def review(template: dict, cloudformation, stack: str, updating: bool) -> list[dict]:
    """What a deploy would change, read-only: the stack's current template against the new one,
    resource by resource (a dry run creates no change set, no stack, no bucket, no object)."""
    current: dict = {}
    if updating:
        body = cloudformation.get_template(StackName=stack, TemplateStage="Original")["TemplateBody"]
        current = (json.loads(body) if isinstance(body, str) else dict(body)).get("Resources", {})
    wanted = template.get("Resources", {})
    rows = []
    for logical in sorted(set(current) | set(wanted)):
        old, new = current.get(logical), wanted.get(logical)
        if old == new:
            continue
        action = "Add" if old is None else "Remove" if new is None else "Modify"
        replacement = "" if action != "Modify" else ("True" if old.get("Type") != new.get("Type") else "Conditional")
        rows.append({"action": action, "logical_id": logical, "type": (new or old).get("Type", ""),
                     "replacement": replacement})
    return rows


def outputs(cloudformation, stack: str) -> dict[str, str]:
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
