"""The lake's customer-managed KMS key: S3 (SSE-KMS with Bucket Key), Glue, logs, secrets, SNS."""

from __future__ import annotations

from lake import aws_names as names
from infra.cfn import Fragment, get_att, output, ref, sub

KEY = "LakeKey"


def fragment(graph, settings) -> Fragment:
    region = settings.aws_region
    # The account's IAM policies decide who uses the key (the root statement delegates to IAM);
    # services that write encrypted data on their own (logs, alarms, events) are named explicitly.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "AccountAdministersThroughIam", "Effect": "Allow",
             "Principal": {"AWS": sub("arn:aws:iam::${AWS::AccountId}:root")},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "CloudWatchLogsEncrypt", "Effect": "Allow",
             "Principal": {"Service": f"logs.{region}.amazonaws.com"},
             "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
             "Resource": "*",
             "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                       sub(f"arn:aws:logs:{region}:${{AWS::AccountId}}:log-group:*")}}},
            {"Sid": "AlarmsAndEventsPublishToEncryptedTopic", "Effect": "Allow",
             "Principal": {"Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]},
             "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
             "Condition": {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")}}},
        ],
    }
    return Fragment(
        resources={
            KEY: {
                "Type": "AWS::KMS::Key",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "Description": f"{names.project(settings)} lake: S3, Glue, logs, secrets and alerts",
                    "EnableKeyRotation": True,
                    "KeyPolicy": policy,
                },
            },
            "LakeKeyAlias": {
                "Type": "AWS::KMS::Alias",
                "Properties": {"AliasName": names.kms_alias(settings), "TargetKeyId": ref(KEY)},
            },
        },
        outputs={"KmsKeyArn": output(get_att(KEY, "Arn"), "Set BHNAV_KMS_KEY_ID to this ARN.")},
    )
