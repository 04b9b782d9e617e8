"""Bad input: a one-line error naming the dataset and the cause, and the raw zone as it was."""

from __future__ import annotations

import pytest

from landing.errors import LandingError
from landing.lander import land_asset
from tests.landing.conftest import lake_files, synthetic_csv
from tests.support.ckan_server import Fault

ASSET = "estacoes_onibus_raw"
PACKAGE = "estacao-de-onibus"
BIG = synthetic_csv(50_000)  # ~2 MB: several chunks, so cuts happen mid-body


def _publish(server, content=BIG, name="estacao_onibus.csv", **kwargs) -> dict:
    return server.add_resource(PACKAGE, name=name, content=content, **kwargs)


def _assert_failed_cleanly(settings, err, match: str) -> None:
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"dataset '{ASSET}': ")
    import re

    assert re.search(match, message), message
    assert lake_files(settings) == {}, "the raw zone must be left as it was"


@pytest.mark.parametrize(
    "fault, match, attempts",
    [
        pytest.param(Fault("status", status=404), r"HTTP 404 Not Found from http://\S+/estacao_onibus.csv$", 1, id="http-404"),
        pytest.param(Fault("status", status=500), r"HTTP 500 Internal Server Error from .* \(after 3 attempts\)", 3,
                     id="http-500"),
        pytest.param(Fault("status", status=503), r"HTTP 503 Service Unavailable from .* \(after 3 attempts\)", 3,
                     id="http-503"),
        pytest.param(Fault("delay", seconds=2.5), r"timed out after 1s waiting for http://\S+ \(after 3 attempts\)", 3,
                     id="timeout"),
        pytest.param(Fault("drop"), r"connection dropped mid-body after \d+ bytes .*\(after 3 attempts\)", 3,
                     id="dropped-mid-body"),
        pytest.param(Fault("short"), r"connection closed mid-body: received \d+ of 2\d{6} bytes announced by "
                                     r"Content-Length .*\(after 3 attempts\)", 3, id="shorter-than-content-length"),
        pytest.param(Fault("html"), r"served an HTML page where a csv file was expected, Content-Type text/html", 1,
                     id="html-page-with-200"),
    ],
)
def test_download_faults(ckan_env, ckan_server, fault, match, attempts):
    resource = _publish(ckan_server)
    ckan_server.fault(resource["id"], fault)
    with pytest.raises(LandingError) as err:
        land_asset(ASSET, ckan_env)
    _assert_failed_cleanly(ckan_env, err, match)
    downloads = [r for r in ckan_server.requests if "/download/" in r.path]
    assert len(downloads) == attempts


@pytest.mark.parametrize(
    "kind",
    [pytest.param(Fault("status", status=503, times=1), id="503-once"), pytest.param(Fault("drop", times=1), id="drop-once"),
     pytest.param(Fault("short", times=1), id="short-once")],
)
def test_a_passing_fault_is_retried_and_the_file_lands(ckan_env, ckan_server, kind):
    resource = _publish(ckan_server)
    ckan_server.fault(resource["id"], kind)
    result = land_asset(ASSET, ckan_env)
    assert result.landed and result.bytes == len(BIG)
    assert len([r for r in ckan_server.requests if "/download/" in r.path]) == 2


@pytest.mark.parametrize(
    "fault, match",
    [
        pytest.param(Fault("success_false"), r"CKAN package_show for 'estacao-de-onibus' failed \(success: false\): "
                                             r"Erro interno do portal$", id="ckan-success-false"),
        pytest.param(Fault("status", status=503), r"HTTP 503 Service Unavailable from package_show\?id=estacao-de-onibus "
                                                  r"\(after 3 attempts\)", id="api-503"),
        pytest.param(Fault("html"), r"package_show\?id=estacao-de-onibus did not answer JSON", id="api-html"),
    ],
)
def test_api_faults(ckan_env, ckan_server, fault, match):
    _publish(ckan_server)
    ckan_server.fault("api", fault)
    with pytest.raises(LandingError) as err:
        land_asset(ASSET, ckan_env)
    _assert_failed_cleanly(ckan_env, err, match)


def test_an_unknown_package(ckan_env, ckan_server):
    with pytest.raises(LandingError) as err:
        land_asset(ASSET, ckan_env)
    _assert_failed_cleanly(ckan_env, err, r"package_show for 'estacao-de-onibus' failed \(success: false\): Not found")


def test_a_package_with_no_matching_resource(ckan_env, ckan_server):
    ckan_server.add_resource(PACKAGE, name="dicionario_de_dados.pdf", content=b"%PDF-1.4", format="PDF")
    ckan_server.add_resource(PACKAGE, name="estacao_onibus.csv", content=BIG, format="XLSX")
    with pytest.raises(LandingError) as err:
        land_asset(ASSET, ckan_env)
    _assert_failed_cleanly(ckan_env, err, r"CKAN package 'estacao-de-onibus' has no resource with name matching .* and "
                                          r"format CSV$")


def test_an_empty_file(ckan_env, ckan_server):
    _publish(ckan_server, content=b"")
    with pytest.raises(LandingError) as err:
        land_asset(ASSET, ckan_env)
    _assert_failed_cleanly(ckan_env, err, r"the source file is empty \(0 bytes\)$")


@pytest.mark.parametrize(
    "file_name",
    [pytest.param("../../etc/passwd", id="dot-dot-slash"), pytest.param("..\\..\\windows\\win.ini", id="backslashes"),
     pytest.param(".bashrc", id="hidden-name")],
)
def test_a_file_name_that_tries_to_leave_its_folder(ckan_env, ckan_server, file_name):
    # Both the resource's name and its download URL carry the attack.
    _publish(ckan_server, file_name=file_name, name=f"{file_name}_estacao_onibus.csv")
    with pytest.raises(LandingError) as err:
        land_asset(ASSET, ckan_env)
    _assert_failed_cleanly(ckan_env, err, r"the source's file name .* tries to leave its folder; refusing it$")


def test_odd_characters_in_a_file_name_are_made_safe(ckan_env, ckan_server):
    _publish(ckan_server, file_name="estação ônibus (2025).csv")
    result = land_asset(ASSET, ckan_env)
    assert result.key.endswith("/estação_ônibus_2025_.csv")


def test_the_lake_folder_is_a_file(ckan_env, ckan_server, tmp_path, monkeypatch):
    from lake.settings import get_settings

    blocker = tmp_path / "lake_is_a_file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(blocker))
    _publish(ckan_server)
    with pytest.raises(LandingError, match=rf"^dataset '{ASSET}': cannot write to the lake: Not a directory"):
        land_asset(ASSET, get_settings())
    assert blocker.read_text() == "not a folder"
