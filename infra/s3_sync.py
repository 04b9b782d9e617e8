"""Idempotent uploads: an object is put only when its content digest differs from the one stored
with it (``infra.package.content_digest``: the bytes, or an archive's entries)."""

from __future__ import annotations

from pathlib import Path

from infra.package import content_digest

UPLOADED, UNCHANGED, WOULD_UPLOAD = "uploaded", "unchanged", "would upload"


def s3_client(settings):
    import boto3

    return boto3.client("s3", region_name=settings.aws_region, endpoint_url=settings.s3_endpoint_url)


def stored_sha256(client, bucket: str, key: str) -> str | None:
    from botocore.exceptions import ClientError

    try:
        head = client.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return head.get("Metadata", {}).get("sha256")


def sync_file(client, settings, bucket: str, key: str, path: Path, *, dry_run: bool) -> dict:
    """Upload ``path`` to ``s3://bucket/key`` unless the same bytes are there; returns what happened."""
    digest = content_digest(path)
    same = stored_sha256(client, bucket, key) == digest
    action = UNCHANGED if same else (WOULD_UPLOAD if dry_run else UPLOADED)
    if action == UPLOADED:
        extra = {"Metadata": {"sha256": digest}}
        if settings.kms_key_id:
            extra.update(ServerSideEncryption="aws:kms", SSEKMSKeyId=settings.kms_key_id)
        client.upload_file(str(path), bucket, key, ExtraArgs=extra)
    return {"key": f"s3://{bucket}/{key}", "action": action, "bytes": path.stat().st_size, "sha256": digest[:12]}


def stale_keys(client, bucket: str, prefix: str, keep: set[str], pattern: str = "bhnav_") -> list[str]:
    """Keys under ``prefix`` we wrote earlier (named ``pattern``...) that are no longer produced."""
    found = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix.rstrip("/") + "/"):
        for item in page.get("Contents", []):
            name = item["Key"].rsplit("/", 1)[-1]
            if item["Key"] not in keep and name.startswith(pattern):
                found.append(item["Key"])
    return found
