"""The Athena workgroup: its configuration enforced, results encrypted, a per-query scan cap."""

from __future__ import annotations

from lake import aws_names as names
from infra.cfn import Fragment, get_att, ref, tags
from infra.keys import KEY

WORKGROUP = "AthenaWorkGroup"


def fragment(graph, settings) -> Fragment:
    results = f"s3://{names.athena_results_bucket(settings)}/{names.athena_results_prefix(settings)}/"
    return Fragment(resources={WORKGROUP: {
        "Type": "AWS::Athena::WorkGroup",
        "Properties": {
            "Name": settings.athena_workgroup,
            "Description": f"{names.project(settings)} lake queries (the app and analysts)",
            "State": "ENABLED",
            "RecursiveDeleteOption": True,
            "WorkGroupConfiguration": {
                # Clients cannot override the result location, encryption or the scan cap.
                "EnforceWorkGroupConfiguration": True,
                "PublishCloudWatchMetricsEnabled": True,
                "BytesScannedCutoffPerQuery": ref("AthenaBytesScannedCutoff"),
                "EngineVersion": {"SelectedEngineVersion": "Athena engine version 3"},
                "ResultConfiguration": {
                    "OutputLocation": results,
                    "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": get_att(KEY, "Arn")},
                },
            },
            "Tags": tags(settings),
        },
    }})
