"""boto3 clients of the aws environment, made in one place from the settings.

Credentials are never passed here: boto3 finds them through its default chain (environment,
profile, instance or task role). The endpoint is the settings' (an emulator in tests; AWS's own
when unset); S3 may have its own endpoint (``BHNAV_S3_ENDPOINT_URL``) and uses path-style
addressing against an emulator, whose host cannot take bucket subdomains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lake.settings import Settings


def endpoint_for(service: str, settings: "Settings") -> str | None:
    if service == "s3":
        return settings.s3_endpoint_url or settings.aws_endpoint_url
    return settings.aws_endpoint_url


def client(service: str, settings: "Settings") -> Any:
    """A new boto3 client (boto3 clients are thread-safe; sessions are not, so each call makes one)."""
    import boto3
    from botocore.config import Config

    endpoint = endpoint_for(service, settings)
    options: dict[str, Any] = {"retries": {"mode": "standard", "max_attempts": 5}}
    if service == "s3" and endpoint:
        options["s3"] = {"addressing_style": "path"}
    if service == "s3":
        # Checksums only where we ask for them (SHA-256 on landed files), not CRC on every call.
        options["request_checksum_calculation"] = "when_required"
        options["response_checksum_validation"] = "when_required"
    session = boto3.session.Session()
    return session.client(service, region_name=settings.aws_region, endpoint_url=endpoint, config=Config(**options))


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError ('' for anything else)."""
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def status_code(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None) or {}
    return response.get("ResponseMetadata", {}).get("HTTPStatusCode")
