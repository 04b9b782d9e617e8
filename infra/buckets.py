"""The lake bucket, the Athena results bucket and the access-log bucket they log to.

Every bucket: all four public-access blocks, owner-enforced objects, a policy denying non-TLS
access, versioning. The lake and results buckets use SSE-KMS with the lake key and a Bucket Key
(fewer KMS calls); raw landings expire after their retention, incomplete uploads after a day.
"""

from __future__ import annotations

from lake import aws_names as names
from infra.cfn import Fragment, get_att, output, ref, skip, tags
from infra.keys import KEY
from lake.locations import table_key

LAKE, RESULTS, ACCESS_LOGS = "LakeBucket", "AthenaResultsBucket", "AccessLogBucket"
PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}
ABORT_UPLOADS = {"Id": "abort-incomplete-uploads", "Status": "Enabled",
                 "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}


def _kms_encryption() -> dict:
    return {"ServerSideEncryptionConfiguration": [{
        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": get_att(KEY, "Arn")},
        "BucketKeyEnabled": True,
    }]}


def _bucket(name: str, settings, *, encryption: dict, lifecycle: list[dict], log_prefix: str | None,
            metadata: dict | None = None) -> dict:
    properties = {
        "BucketName": name,
        "BucketEncryption": encryption,
        "PublicAccessBlockConfiguration": PUBLIC_ACCESS_BLOCK,
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "VersioningConfiguration": {"Status": "Enabled"},
        "LifecycleConfiguration": {"Rules": lifecycle},
        "Tags": tags(settings),
    }
    if log_prefix is not None:
        properties["LoggingConfiguration"] = {"DestinationBucketName": ref(ACCESS_LOGS), "LogFilePrefix": log_prefix}
    resource = {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                "Properties": properties}
    if metadata:
        resource["Metadata"] = metadata
    return resource


def _deny_insecure(bucket_logical: str, extra: list[dict] = ()) -> dict:
    arn = get_att(bucket_logical, "Arn")
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": ref(bucket_logical),
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                 "Resource": [arn, {"Fn::Join": ["", [arn, "/*"]]}],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                *extra,
            ]},
        },
    }


def raw_retention_rules(graph, settings) -> list[dict]:
    """One expiration rule per raw table: its source's retention, else the settings' default."""
    rules = []
    for asset in graph:
        if asset.is_raw:
            days = asset.source.retention_days or settings.raw_retention_days
            rules.append({"Id": f"expire-{asset.name}"[:255], "Status": "Enabled",
                          "Prefix": f"{table_key(asset)}/", "ExpirationInDays": days})
    return rules


def fragment(graph, settings) -> Fragment:
    lake = settings.require_bucket()
    results = names.athena_results_bucket(settings)
    logs = names.access_log_bucket(settings)
    noncurrent = {"Id": "expire-noncurrent-versions", "Status": "Enabled",
                  "NoncurrentVersionExpiration": {"NoncurrentDays": 30}}
    logging_service = {
        "Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{logs}/*",
        "Condition": {"StringEquals": {"aws:SourceAccount": ref("AWS::AccountId")},
                      "ArnLike": {"aws:SourceArn": [f"arn:aws:s3:::{lake}", f"arn:aws:s3:::{results}"]}},
    }
    return Fragment(
        resources={
            ACCESS_LOGS: _bucket(
                logs, settings,
                # S3 server access logging delivers only to SSE-S3 buckets.
                encryption={"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                lifecycle=[ABORT_UPLOADS, noncurrent,
                           {"Id": "expire-access-logs", "Status": "Enabled", "ExpirationInDays": 365}],
                log_prefix=None,
                metadata=skip(("CKV_AWS_18", "This is the access-log bucket; logging it to itself would loop.")),
            ),
            "AccessLogBucketPolicy": _deny_insecure(ACCESS_LOGS, [logging_service]),
            LAKE: _bucket(lake, settings, encryption=_kms_encryption(),
                          lifecycle=[ABORT_UPLOADS, noncurrent, *raw_retention_rules(graph, settings)],
                          log_prefix="lake/"),
            "LakeBucketPolicy": _deny_insecure(LAKE),
            RESULTS: _bucket(results, settings, encryption=_kms_encryption(),
                             lifecycle=[ABORT_UPLOADS, noncurrent,
                                        {"Id": "expire-query-results", "Status": "Enabled", "ExpirationInDays": 30}],
                             log_prefix="athena-results/"),
            "AthenaResultsBucketPolicy": _deny_insecure(RESULTS),
        },
        outputs={
            "LakeBucketName": output(ref(LAKE), "Set S3_BUCKET to this name."),
            "AthenaResultsBucketName": output(ref(RESULTS), "Athena writes query results here."),
        },
    )
