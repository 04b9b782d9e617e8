"""Glue: a database per zone, a job per derived asset, the security configuration.

One owner each: the stack declares the databases and the jobs (``lake.glue_job_spec``; the code
only starts runs and refuses a missing or changed job); the code owns the tables, which it
registers with their schema, data, partitions and parameters at each write (``catalog.glue``),
so no table is in the template to be reverted by the next deploy.
"""

from __future__ import annotations

from assets.asset import ZONES
from catalog.glue_model import database_input
from lake import aws_names as names
from infra.cfn import Fragment, get_att, ref
from lake.aws_names import logical_id
from lake.glue_job_spec import glue_job_definition, job_assets
from infra.keys import KEY

SECURITY = "GlueSecurityConfiguration"
LOG_RETENTION_DAYS = 90


def database_id(zone: str) -> str:
    return logical_id("glue_database", zone)


def job_id(asset) -> str:
    return logical_id("glue_job", asset.name)


def job_log_group_id(asset, kind: str = "output") -> str:
    return logical_id("glue_logs", asset.name, kind)


def fragment(graph, settings) -> Fragment:
    from infra.iam_roles import job_role_id

    resources: dict = {
        SECURITY: {
            "Type": "AWS::Glue::SecurityConfiguration",
            "Properties": {
                "Name": names.security_configuration(settings),
                "EncryptionConfiguration": {
                    "S3Encryptions": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": get_att(KEY, "Arn")}],
                    "CloudWatchEncryption": {"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": get_att(KEY, "Arn")},
                    "JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "CSE-KMS", "KmsKeyArn": get_att(KEY, "Arn")},
                },
            },
        },
    }
    for zone in ZONES:
        resources[database_id(zone)] = {
            "Type": "AWS::Glue::Database",
            "Properties": {"CatalogId": ref("AWS::AccountId"), "DatabaseInput": database_input(zone, settings)},
        }
    for asset in job_assets(graph):
        # Both groups Glue 5.x writes the job's logs to, with our retention and key.
        for kind, group in names.job_log_groups(asset, settings).items():
            resources[job_log_group_id(asset, kind)] = {
                "Type": "AWS::Logs::LogGroup",
                "DeletionPolicy": "Delete",
                "UpdateReplacePolicy": "Delete",
                "Properties": {
                    "LogGroupName": group,
                    "RetentionInDays": LOG_RETENTION_DAYS,
                    "KmsKeyId": get_att(KEY, "Arn"),
                },
            }
        resources[job_id(asset)] = {
            "Type": "AWS::Glue::Job",
            # The definition names its role and security configuration; CloudFormation must
            # create them first.
            "DependsOn": [job_role_id(asset), SECURITY, job_log_group_id(asset, "output"),
                          job_log_group_id(asset, "error")],
            "Properties": glue_job_definition(asset, settings),
        }
    return Fragment(resources=resources)
