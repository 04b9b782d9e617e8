"""The lake on moto's S3: conditional publishing, multipart uploads, checksums, SSE-KMS, listing."""

from __future__ import annotations

import base64
import hashlib

import pytest

from lake.s3_storage import ChecksumMismatchError, S3Storage, S3StorageError
from lake.storage import KeyExistsError, get_storage
from tests.fixtures.moto import BUCKET

MB = 1024 * 1024


def _file(tmp_path, name: str, size: int) -> tuple:
    path = tmp_path / name
    # Not a repeated pattern: each part of a multipart upload must differ for the checksum to mean something.
    block = hashlib.sha256(name.encode()).digest() * (MB // 32)
    data = (block * (size // len(block) + 1))[:size]
    data = bytes(b ^ (i // MB % 251) for i, b in enumerate(data)) if size > MB else data
    path.write_bytes(data)
    return path, data, hashlib.sha256(data).hexdigest()


def test_the_aws_environment_stores_the_lake_in_s3(aws_env):
    storage = get_storage(aws_env)
    assert isinstance(storage, S3Storage) and storage.bucket == BUCKET


@pytest.mark.parametrize("size", [pytest.param(3 * 1024, id="one-put"), pytest.param(11 * MB, id="multipart-3-parts")])
def test_a_published_file_is_the_verified_bytes(aws_env, s3, tmp_path, size):
    path, data, sha = _file(tmp_path, "f.csv", size)
    key = "raw/pbh/x_raw/ingest_date=2026-01-02/f.csv"
    S3Storage(aws_env).put_new(path, key, sha256=sha)
    head = s3.head_object(Bucket=BUCKET, Key=key, ChecksumMode="ENABLED")
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == data
    assert head["Metadata"]["sha256"] == sha
    if size > 5 * MB:
        # Three parts of 5 MB (the setting's floor); S3's checksum is that of the parts' checksums,
        # suffixed "-3" by AWS (moto leaves the suffix out).
        parts = [data[i:i + 5 * MB] for i in range(0, size, 5 * MB)]
        composite = hashlib.sha256(b"".join(hashlib.sha256(p).digest() for p in parts)).digest()
        assert head["ChecksumSHA256"].split("-")[0] == base64.b64encode(composite).decode()
    else:
        assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()


@pytest.mark.parametrize("size", [pytest.param(100, id="one-put"), pytest.param(6 * MB, id="multipart")])
def test_a_landed_key_is_never_overwritten(aws_env, s3, tmp_path, size):
    first, data, sha = _file(tmp_path, "a.csv", size)
    second, _, other_sha = _file(tmp_path, "b.csv", size)
    key = "raw/pbh/x_raw/ingest_date=2026-01-02/a.csv"
    storage = S3Storage(aws_env)
    storage.put_new(first, key, sha256=sha)
    with pytest.raises(KeyExistsError, match="is already landed; landed bytes are never overwritten"):
        storage.put_new(second, key, sha256=other_sha)
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == data
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


@pytest.mark.parametrize("size", [pytest.param(100, id="one-put"), pytest.param(6 * MB, id="multipart")])
def test_a_file_changed_since_it_was_staged_is_not_published(aws_env, s3, tmp_path, size):
    path, _, _ = _file(tmp_path, "a.csv", size)
    key = "raw/pbh/x_raw/ingest_date=2026-01-02/a.csv"
    with pytest.raises(ChecksumMismatchError, match=r"a.csv read for upload .* has sha256 [0-9a-f]{64}, but 0{64} was "
                                                    r"verified when it was staged"):
        S3Storage(aws_env).put_new(path, key, sha256="0" * 64)
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


def test_objects_are_encrypted_with_the_configured_kms_key(aws_env, s3, tmp_path, monkeypatch):
    from lake.aws import client
    from lake.settings import get_settings

    key_id = client("kms", aws_env).create_key(Description="lake")["KeyMetadata"]["KeyId"]
    monkeypatch.setenv("BHNAV_KMS_KEY_ID", key_id)
    storage = S3Storage(get_settings())
    path, _, sha = _file(tmp_path, "a.csv", 6 * MB)
    storage.put_new(path, "raw/a.csv", sha256=sha)
    storage.write_bytes("raw/_manifest.a.csv.json", b"{}")
    for key in ("raw/a.csv", "raw/_manifest.a.csv.json"):
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["ServerSideEncryption"] == "aws:kms" and key_id in head["SSEKMSKeyId"]


def test_listing_reads_every_page_and_hides_dot_names(aws_env, s3):
    storage = S3Storage(aws_env)
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    # More than one page of ListObjectsV2 (1000 keys), put straight into the in-process server's
    # state: 1005 HTTP PUTs would take half a minute and test nothing of ours.
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    for i in range(1005):
        backend.put_object(BUCKET, f"raw/pbh/t/ingest_date=2026-01-01/f{i:04d}.csv", b"x")
    s3.put_object(Bucket=BUCKET, Key="raw/pbh/t/.staging/part", Body=b"x")
    s3.put_object(Bucket=BUCKET, Key="raw/pbh/tt/other.csv", Body=b"x")  # a sibling sharing the prefix's text
    keys = storage.list("raw/pbh/t")
    assert len(keys) == 1005 and keys == sorted(keys) and all(k.startswith("raw/pbh/t/ingest_date=") for k in keys)
    assert storage.list("raw/pbh/t/ingest_date=2026-01-01/f0007.csv") == ["raw/pbh/t/ingest_date=2026-01-01/f0007.csv"]
    assert storage.list("raw/none") == []


def test_reads_sizes_and_deletes(aws_env):
    storage = S3Storage(aws_env)
    storage.write_bytes("_catalog/x.json", b'{"a": 1}')
    assert storage.exists("_catalog/x.json") and storage.size("_catalog/x.json") == 8
    with storage.open("_catalog/x.json") as body:
        assert body.read() == b'{"a": 1}'
    storage.delete("_catalog/x.json")
    assert not storage.exists("_catalog/x.json")
    with pytest.raises(FileNotFoundError, match=r"s3://bhnav-lake-test/_catalog/x.json does not exist"):
        storage.read_bytes("_catalog/x.json")


def test_a_missing_bucket_is_an_os_error_naming_it(aws_env, tmp_path, monkeypatch):
    from lake.settings import get_settings

    monkeypatch.setenv("S3_BUCKET", "no-such-bucket")
    path, _, sha = _file(tmp_path, "a.csv", 10)
    with pytest.raises(S3StorageError, match=r"^S3 PUT of s3://no-such-bucket/raw/a.csv failed: NoSuchBucket$"):
        S3Storage(get_settings()).put_new(path, "raw/a.csv", sha256=sha)
