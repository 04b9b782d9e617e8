"""Landing checks what the source promises: CKAN's size and hash, a size cap, an overall deadline,
content sniffing and redirects within declared hosts. Each refusal is one line naming the dataset,
the rule and the numbers, and the previous landing stays the one readers see."""

from __future__ import annotations

import gzip
import re

import pytest

from landing.errors import LandingError
from landing.lander import land_asset
from landing.manifests import latest_manifest
from lake.storage import get_storage
from tests.landing.conftest import synthetic_csv
from tests.support.ckan_server import Fault

ASSET = "estacoes_onibus_raw"
PACKAGE = "estacao-de-onibus"
GOOD = synthetic_csv(2_000)  # ~90 KB: more than one read, less than a chunk


@pytest.fixture
def landed_once(ckan_env, ckan_server):
    """A first good landing: the version every refusal below must leave in place."""
    resource = ckan_server.add_resource(PACKAGE, name="estacao_onibus.csv", content=GOOD)
    first = land_asset(ASSET, ckan_env)
    assert first.landed
    return resource, first


def _refused(settings, first, match: str) -> str:
    with pytest.raises(LandingError) as err:
        land_asset(ASSET, settings)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"dataset '{ASSET}': "), message
    assert re.search(match, message), message
    manifest = latest_manifest(get_storage(settings), ASSET)
    assert (manifest.key, manifest.sha256) == (first.key, first.sha256), "readers must keep the previous landing"
    return message


@pytest.mark.parametrize(
    "content, match",
    [
        pytest.param(b"<!-- gerado pelo portal -->\n<!DOCTYPE html><html><body>Manutencao</body></html>",
                     r"served an HTML page where a csv file was expected", id="html-after-a-comment"),
        pytest.param(b"\n\n   \t\n<html><head><title>Login</title></head></html>",
                     r"served an HTML page where a csv file was expected", id="html-after-whitespace"),
        pytest.param(b" \t\r\n ", r"holds only whitespace \(5 bytes\)", id="five-bytes-of-whitespace"),
        pytest.param(gzip.compress(GOOD), r"served gzip-compressed bytes where a csv text file was expected",
                     id="gzip-bytes-declared-csv"),
        pytest.param(b"ID;NOME\x00\x00\x00\x01\x02" * 50, r"served binary \(NUL bytes\) bytes", id="nul-bytes"),
    ],
)
def test_content_that_is_not_the_declared_text_is_refused(ckan_env, ckan_server, landed_once, content, match):
    resource, first = landed_once
    ckan_server.replace_file(resource, content=content)
    _refused(ckan_env, first, match)


def test_half_a_body_without_a_length_is_caught_by_the_ckan_size(ckan_env, ckan_server, landed_once):
    resource, first = landed_once
    new = synthetic_csv(3_000)
    ckan_server.replace_file(resource, content=new)
    ckan_server.fault(resource["id"], Fault("unsized"))
    message = _refused(ckan_env, first, rf"received {len(new) // 2} bytes from \S+, but the source's resource "
                                        rf"says size {len(new)}.*\(after 3 attempts\)")
    assert "rerun the landing" in message


def test_bytes_that_do_not_match_the_ckan_hash_are_refused(ckan_env, ckan_server, landed_once):
    resource, first = landed_once
    ckan_server.replace_file(resource, content=synthetic_csv(2_100))
    resource["hash"] = "md5:" + "0" * 32  # the portal's metadata says other bytes of the same size
    _refused(ckan_env, first, r"have md5 [0-9a-f]{32}, but the source's resource says 0{32}")


def test_a_source_trickling_bytes_is_cut_at_the_overall_deadline(ckan_env, ckan_server, landed_once, monkeypatch):
    resource, first = landed_once
    monkeypatch.setenv("BHNAV_LANDING_DEADLINE", "1.5")
    monkeypatch.setenv("BHNAV_HTTP_RETRIES", "0")
    ckan_server.replace_file(resource, content=synthetic_csv(50))
    ckan_server.fault(resource["id"], Fault("trickle", seconds=0.05))  # every read arrives well within 1 s
    from lake.settings import get_settings

    message = _refused(get_settings(), first, r"passed its overall deadline of 1.5s after (\d+) bytes")
    received = int(re.search(r"after (\d+) bytes", message).group(1))
    assert 0 < received < len(synthetic_csv(50)), "cut mid-body, not after the whole file"


def test_a_redirect_to_an_undeclared_host_is_not_followed(ckan_env, ckan_server, landed_once):
    resource, first = landed_once
    ckan_server.replace_file(resource, content=synthetic_csv(2_100))
    ckan_server.redirect(resource, to_host="localhost")
    _refused(ckan_env, first, r"redirects to host 'localhost', which is not a declared host of the source "
                              r"\(declared: .*127\.0\.0\.1.*\)")
    assert not [r for r in ckan_server.requests if r.headers.get("Host", "").startswith("localhost")]


@pytest.mark.parametrize(
    "fault, match",
    [
        pytest.param(None, r"announces \d+ bytes, over the cap of 10485 bytes", id="content-length-over-the-cap"),
        pytest.param(Fault("unsized"), r"sent more than 10485 bytes, over the cap of 10485 bytes",
                     id="unannounced-body-over-the-cap"),
    ],
)
def test_a_download_over_the_size_cap_is_refused(ckan_env, ckan_server, landed_once, monkeypatch, fault, match):
    resource, first = landed_once
    monkeypatch.setenv("BHNAV_LANDING_MAX_MB", "0.01")
    ckan_server.replace_file(resource, content=synthetic_csv(3_000))
    if fault:
        ckan_server.fault(resource["id"], fault)
    from lake.settings import get_settings

    _refused(get_settings(), first, match)
