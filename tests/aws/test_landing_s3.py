"""Landing into moto's S3: the foundation's bad inputs leave the bucket as it was; keys are never reused."""

from __future__ import annotations

import re

import pytest

from landing.errors import LandingError
from landing.lander import land_asset
from tests.fixtures.moto import BUCKET
from tests.landing.conftest import synthetic_csv
from tests.support.ckan_server import Fault

ASSET = "estacoes_onibus_raw"
PACKAGE = "estacao-de-onibus"
BIG = synthetic_csv(150_000)  # ~6 MB: above one 5 MB part, so it goes up in parts


@pytest.fixture
def s3_ckan_env(aws_env, ckan_server, monkeypatch):
    from lake.settings import get_settings

    monkeypatch.delenv("BHNAV_SNAPSHOT_DIR", raising=False)
    monkeypatch.setenv("BHNAV_CKAN_URL", ckan_server.url)
    monkeypatch.setenv("BHNAV_BACKOFF_BASE", "0.01")
    monkeypatch.setenv("BHNAV_HTTP_RETRIES", "2")
    monkeypatch.setenv("BHNAV_HTTP_TIMEOUT", "1")
    return get_settings()


def bucket_keys(s3) -> list[str]:
    return [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
            for o in page.get("Contents", ())]


@pytest.mark.parametrize(
    "target, fault, content, match",
    [
        pytest.param("file", Fault("status", status=404), BIG, r"HTTP 404 Not Found from http://\S+$", id="http-404"),
        pytest.param("file", Fault("status", status=503), BIG, r"HTTP 503 Service Unavailable .*\(after 3 attempts\)",
                     id="http-503"),
        pytest.param("file", Fault("delay", seconds=2.5), BIG, r"timed out after 1s .*\(after 3 attempts\)", id="timeout"),
        pytest.param("file", Fault("drop"), BIG, r"connection dropped mid-body after \d+ bytes", id="dropped-mid-body"),
        pytest.param("file", Fault("short"), BIG, r"connection closed mid-body: received \d+ of \d+ bytes", id="short"),
        pytest.param("file", Fault("html"), BIG, r"served an HTML page where a csv file was expected", id="html-page"),
        pytest.param("api", Fault("success_false"), BIG, r"package_show for 'estacao-de-onibus' failed \(success: false\)",
                     id="ckan-success-false"),
        pytest.param("api", Fault("html"), BIG, r"did not answer JSON", id="api-html"),
        pytest.param(None, None, b"", r"the source file is empty \(0 bytes\)$", id="empty-file"),
    ],
)
def test_bad_input_lands_nothing_in_s3(s3_ckan_env, ckan_server, s3, target, fault, content, match):
    resource = ckan_server.add_resource(PACKAGE, name="estacao_onibus.csv", content=content)
    if fault is not None:
        ckan_server.fault(resource["id"] if target == "file" else "api", fault)
    with pytest.raises(LandingError) as err:
        land_asset(ASSET, s3_ckan_env)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"dataset '{ASSET}': ") and re.search(match, message), message
    assert bucket_keys(s3) == [], "the raw zone must be left as it was"
    assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


def test_a_file_name_that_tries_to_leave_its_folder_is_refused(s3_ckan_env, ckan_server, s3):
    ckan_server.add_resource(PACKAGE, name="../../x_estacao_onibus.csv", file_name="../../x.csv", content=BIG)
    with pytest.raises(LandingError, match=r"tries to leave its folder; refusing it$"):
        land_asset(ASSET, s3_ckan_env)
    assert bucket_keys(s3) == []


def test_a_landing_goes_up_in_parts_with_its_manifest(s3_ckan_env, ckan_server, s3):
    import hashlib
    import json

    ckan_server.add_resource(PACKAGE, name="estacao_onibus.csv", content=BIG)
    result = land_asset(ASSET, s3_ckan_env)
    assert result.landed and result.bytes == len(BIG)
    assert re.fullmatch(r"raw/pbh/estacoes_onibus_raw/ingest_date=\d{4}-\d\d-\d\d/estacao_onibus.csv", result.key)
    assert s3.get_object(Bucket=BUCKET, Key=result.key)["Body"].read() == BIG
    manifest = json.loads(s3.get_object(Bucket=BUCKET, Key=result.manifest_key)["Body"].read())
    assert manifest["sha256"] == hashlib.sha256(BIG).hexdigest() == result.sha256
    assert sorted(bucket_keys(s3)) == sorted([result.key, result.manifest_key])


def test_landed_keys_are_never_overwritten(s3_ckan_env, ckan_server, s3):
    resource = ckan_server.add_resource(PACKAGE, name="estacao_onibus.csv", content=BIG)
    first = land_asset(ASSET, s3_ckan_env)
    again = land_asset(ASSET, s3_ckan_env)
    assert again.skipped, "the same file is not landed twice"
    newer = BIG + b"999999;linha nova;1,5\n"
    ckan_server.replace_file(resource, content=newer)
    second = land_asset(ASSET, s3_ckan_env)
    assert second.landed and second.key != first.key
    assert s3.get_object(Bucket=BUCKET, Key=first.key)["Body"].read() == BIG
    assert s3.get_object(Bucket=BUCKET, Key=second.key)["Body"].read() == newer


def test_a_bucket_we_cannot_write_is_a_one_line_error(s3_ckan_env, ckan_server, monkeypatch):
    from lake.settings import get_settings

    monkeypatch.setenv("S3_BUCKET", "bucket-that-does-not-exist")
    ckan_server.add_resource(PACKAGE, name="estacao_onibus.csv", content=BIG)
    with pytest.raises(LandingError, match=rf"^dataset '{ASSET}': cannot write to the lake: S3 \w+ of "
                                           r"s3://bucket-that-does-not-exist/\S+ failed: NoSuchBucket$"):
        land_asset(ASSET, get_settings())
