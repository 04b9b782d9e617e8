"""The lake on S3: the same keys as the local folder, in ``S3_BUCKET``.

Landed files are published with a conditional write (``If-None-Match: *``), so a key that exists
is never overwritten, even by two landings racing for it: S3 answers 412 and we raise
``KeyExistsError``. Files larger than one part go up as a multipart upload whose completion
carries the same condition (s3transfer's managed upload cannot pass it, hence our own parts).

Integrity: the file is hashed while it is read for upload and must match the SHA-256 the lander
computed when it staged it; every part carries its own SHA-256, which S3 verifies on receipt; after
the upload the object's checksum as S3 reports it must equal ours. A mismatch removes what was
written (or aborts the parts) and raises. Objects are encrypted with SSE-KMS when a key is set.

Every failure is an ``OSError`` (``S3StorageError``), the storage contract the landing reports as
"cannot write to the lake".
"""

from __future__ import annotations

import base64
import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

from lake.aws import client, error_code, status_code
from lake.settings import Settings
from lake.storage import KeyExistsError, Storage

_MISSING = {"404", "NoSuchKey", "NotFound"}
_TAKEN = {"PreconditionFailed", "ConditionalRequestConflict"}
_UPLOAD_THREADS = 4


class S3StorageError(OSError):
    """An S3 call failed; the message names the bucket, the key and AWS's error code."""


class ChecksumMismatchError(S3StorageError):
    """The bytes in S3 (or read for upload) are not the bytes that were verified when staged."""


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


class S3Storage(Storage):
    def __init__(self, settings: Settings):
        self.settings = settings
        self.bucket = settings.require_bucket()
        self.part_size = max(5, settings.s3_part_size_mb) * 1024 * 1024
        self._client = None

    def __repr__(self) -> str:
        return f"S3Storage(bucket={self.bucket!r})"

    @property
    def s3(self):
        if self._client is None:
            self._client = client("s3", self.settings)
        return self._client

    def _error(self, action: str, key: str, exc: BaseException) -> S3StorageError:
        code = error_code(exc) or type(exc).__name__
        return S3StorageError(f"S3 {action} of s3://{self.bucket}/{key} failed: {code}")

    def _encryption(self) -> dict[str, str]:
        if not self.settings.kms_key_id:
            return {}
        return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self.settings.kms_key_id}

    # -- reads -------------------------------------------------------------------------------
    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.s3.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as exc:
            if error_code(exc) in _MISSING or status_code(exc) == 404:
                return False
            raise self._error("HEAD", key, exc) from None

    def open(self, key: str) -> BinaryIO:
        return self._get(key)["Body"]

    def read_bytes(self, key: str) -> bytes:
        body = self._get(key)["Body"]
        try:
            return body.read()
        finally:
            body.close()

    def _get(self, key: str) -> dict[str, Any]:
        from botocore.exceptions import ClientError

        try:
            return self.s3.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if error_code(exc) in _MISSING:
                raise FileNotFoundError(f"s3://{self.bucket}/{key} does not exist") from None
            raise self._error("GET", key, exc) from None

    def list(self, prefix: str) -> list[str]:
        from botocore.exceptions import ClientError

        keys: list[str] = []
        folder = prefix.rstrip("/") + "/" if prefix else ""
        try:
            for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=folder):
                keys += [item["Key"] for item in page.get("Contents", ())]
            if prefix and not keys and self.exists(prefix.rstrip("/")):
                return [prefix.rstrip("/")]
        except ClientError as exc:
            raise self._error("LIST", prefix, exc) from None
        # As in the local lake: hidden names (a leading dot) anywhere in a key are not lake data.
        return sorted(k for k in keys if not any(part.startswith(".") for part in k.split("/")))

    def size(self, key: str) -> int:
        from botocore.exceptions import ClientError

        try:
            return int(self.s3.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except ClientError as exc:
            if error_code(exc) in _MISSING:
                raise FileNotFoundError(f"s3://{self.bucket}/{key} does not exist") from None
            raise self._error("HEAD", key, exc) from None

    # -- writes ------------------------------------------------------------------------------
    def write_bytes(self, key: str, data: bytes) -> None:
        from botocore.exceptions import ClientError

        try:
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=data, ChecksumAlgorithm="SHA256",
                               ChecksumSHA256=b64(hashlib.sha256(data).digest()),
                               **self._encryption())
        except ClientError as exc:
            raise self._error("PUT", key, exc) from None

    def create_new(self, key: str, data: bytes) -> bool:
        """A conditional put (``If-None-Match: *``): S3 lets one writer of a key win."""
        from botocore.exceptions import ClientError

        try:
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=data, IfNoneMatch="*", **self._encryption())
            return True
        except ClientError as exc:
            if error_code(exc) in _TAKEN:
                return False
            raise self._error("conditional PUT", key, exc) from None

    def delete(self, key: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self.s3.delete_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            raise self._error("DELETE", key, exc) from None

    def put_new(self, local_file: Path, key: str, *, sha256: str) -> None:
        local_file = Path(local_file)
        if local_file.stat().st_size <= self.part_size:
            expected = self._put_single(local_file, key, sha256)
        else:
            expected = self._put_multipart(local_file, key, sha256)
        self._verify_stored(key, expected)

    def _put_single(self, local_file: Path, key: str, sha256: str) -> str:
        from botocore.exceptions import ClientError

        data = local_file.read_bytes()
        digest = hashlib.sha256(data)
        _check_whole(digest.hexdigest(), sha256, local_file, key)
        checksum = b64(digest.digest())
        try:
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=data, IfNoneMatch="*", ChecksumAlgorithm="SHA256",
                               ChecksumSHA256=checksum, Metadata={"sha256": sha256}, **self._encryption())
        except ClientError as exc:
            if error_code(exc) in _TAKEN:
                raise KeyExistsError(f"{key} is already landed; landed bytes are never overwritten") from None
            raise self._error("PUT", key, exc) from None
        return checksum

    def _put_multipart(self, local_file: Path, key: str, sha256: str) -> str:
        from botocore.exceptions import ClientError

        try:
            upload_id = self.s3.create_multipart_upload(
                Bucket=self.bucket, Key=key, ChecksumAlgorithm="SHA256", Metadata={"sha256": sha256},
                **self._encryption())["UploadId"]
        except ClientError as exc:
            raise self._error("multipart upload", key, exc) from None
        try:
            parts = self._upload_parts(local_file, key, upload_id, sha256)
            self.s3.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id, IfNoneMatch="*",
                MultipartUpload={"Parts": [{k: p[k] for k in ("PartNumber", "ETag", "ChecksumSHA256")} for p in parts]})
        except BaseException as exc:
            self._abort(key, upload_id)
            if isinstance(exc, ClientError):
                if error_code(exc) in _TAKEN:
                    raise KeyExistsError(f"{key} is already landed; landed bytes are never overwritten") from None
                raise self._error("multipart upload", key, exc) from None
            raise
        # S3's checksum of a multipart object: the SHA-256 of the parts' SHA-256s, then "-<parts>".
        composite = hashlib.sha256(b"".join(base64.b64decode(p["ChecksumSHA256"]) for p in parts))
        return f"{b64(composite.digest())}-{len(parts)}"

    def _upload_parts(self, local_file: Path, key: str, upload_id: str, sha256: str) -> list[dict]:
        """Read the file once, in order (hashing the whole of it), sending parts a few at a time."""
        whole = hashlib.sha256()
        futures = []
        with ThreadPoolExecutor(_UPLOAD_THREADS) as pool, open(local_file, "rb") as handle:
            number = 0
            while block := handle.read(self.part_size):
                number += 1
                whole.update(block)
                futures.append(pool.submit(self._upload_part, key, upload_id, number, block))
                # Bound memory: at most a few parts in flight.
                if len(futures) >= _UPLOAD_THREADS * 2:
                    futures[-_UPLOAD_THREADS * 2].result()
            parts = [f.result() for f in futures]
        _check_whole(whole.hexdigest(), sha256, local_file, key)
        return parts

    def _upload_part(self, key: str, upload_id: str, number: int, block: bytes) -> dict:
        checksum = b64(hashlib.sha256(block).digest())
        answer = self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number,
                                     Body=block, ChecksumAlgorithm="SHA256", ChecksumSHA256=checksum)
        stored = answer.get("ChecksumSHA256")
        if stored and stored != checksum:
            raise ChecksumMismatchError(f"S3 received part {number} of s3://{self.bucket}/{key} with sha256 {stored}, "
                                        f"sent {checksum}")
        return {"PartNumber": number, "ETag": answer["ETag"], "ChecksumSHA256": checksum}

    def _abort(self, key: str, upload_id: str) -> None:
        try:
            self.s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except Exception:  # noqa: BLE001 - the original error matters more; the lifecycle rule cleans up
            pass

    def _verify_stored(self, key: str, expected: str) -> None:
        from botocore.exceptions import ClientError

        try:
            head = self.s3.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
        except ClientError as exc:
            raise self._error("HEAD", key, exc) from None
        stored = head.get("ChecksumSHA256")
        if stored is not None and stored.split("-")[0] != expected.split("-")[0]:
            # Ours, just written under a key nobody else could take: remove it.
            self.delete(key)
            raise ChecksumMismatchError(f"s3://{self.bucket}/{key} has sha256 checksum {stored}, expected {expected}; "
                                        "the upload was removed")


def _check_whole(actual: str, expected: str, local_file: Path, key: str) -> None:
    if actual != expected:
        raise ChecksumMismatchError(
            f"{local_file.name} read for upload to {key} has sha256 {actual}, but {expected} was verified when it "
            "was staged; the file changed on disk, nothing was published")
