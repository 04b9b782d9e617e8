"""Landing from a real local HTTP server that speaks CKAN's package_show and serves the files."""

from __future__ import annotations

import pytest

from landing.lander import land_asset
from landing.manifests import latest_manifest, list_manifests
from lake.storage import get_storage
from tests.landing.conftest import lake_files, sha256_of, synthetic_csv


def _downloads(server, resource) -> list:
    return [r for r in server.requests if f"/resource/{resource['id']}/download/" in r.path]


def test_every_raw_asset_lands_from_ckan_with_its_files_sha256(ckan_env, ckan_server, raw_assets, snapshot_dir):
    ckan_assets = [a for a in raw_assets if a.source.kind == "ckan"]  # IBGE's income lands by FTP
    published = ckan_server.serve_assets(ckan_assets, snapshot_dir)
    storage = get_storage(ckan_env)
    for asset in ckan_assets:
        result = land_asset(asset.name, ckan_env)
        assert result.landed, f"{asset.name}: {result.reason}"
        manifest = latest_manifest(storage, asset.name)
        assert manifest.sha256 == sha256_of(snapshot_dir / asset.source.snapshot_file)
        assert manifest.resource_id == published[asset.name]["id"]
        assert manifest.source_url == published[asset.name]["url"]
        assert manifest.etag and manifest.last_modified and manifest.ckan_hash == published[asset.name]["hash"]
        assert manifest.source_kind == "ckan"


def test_requests_carry_a_browser_like_user_agent(ckan_env, ckan_server):
    # The local server answers 403 without one, as the portal does.
    ckan_server.add_resource("estacao-de-onibus", name="estacao_onibus.csv", content=synthetic_csv(10))
    assert land_asset("estacoes_onibus_raw", ckan_env).landed
    assert all("Mozilla" in r.headers["User-Agent"] for r in ckan_server.requests)


def test_an_unchanged_ckan_hash_skips_without_downloading(ckan_env, ckan_server):
    resource = ckan_server.add_resource("estacao-de-onibus", name="estacao_onibus.csv", content=synthetic_csv(10))
    land_asset("estacoes_onibus_raw", ckan_env)
    second = land_asset("estacoes_onibus_raw", ckan_env)
    assert second.skipped and "CKAN hash" in second.reason
    assert len(_downloads(ckan_server, resource)) == 1


def test_without_a_ckan_hash_a_conditional_get_answers_304(ckan_env, ckan_server):
    resource = ckan_server.add_resource(
        "estacao-de-onibus", name="estacao_onibus.csv", content=synthetic_csv(10), ckan_hash=None
    )
    resource["last_modified"] = None
    first = land_asset("estacoes_onibus_raw", ckan_env)
    second = land_asset("estacoes_onibus_raw", ckan_env)
    assert first.landed and second.skipped and "304" in second.reason
    conditional = _downloads(ckan_server, resource)[-1]
    assert conditional.headers["If-None-Match"] == latest_manifest(get_storage(ckan_env), "estacoes_onibus_raw").etag
    assert conditional.status == 304


def test_a_republished_file_lands_beside_the_first_on_the_same_day(ckan_env, ckan_server):
    resource = ckan_server.add_resource("estacao-de-onibus", name="estacao_onibus.csv", content=synthetic_csv(10))
    first = land_asset("estacoes_onibus_raw", ckan_env)
    ckan_server.replace_file(resource, content=synthetic_csv(12))
    second = land_asset("estacoes_onibus_raw", ckan_env)
    assert second.landed and second.key == first.key.replace("estacao_onibus.csv", "estacao_onibus-2.csv")
    storage = get_storage(ckan_env)
    assert storage.read_bytes(first.key) == synthetic_csv(10)
    assert storage.read_bytes(second.key) == synthetic_csv(12)


def test_same_bytes_under_a_new_hash_are_skipped_as_identical(ckan_env, ckan_server):
    resource = ckan_server.add_resource("estacao-de-onibus", name="estacao_onibus.csv", content=synthetic_csv(10))
    land_asset("estacoes_onibus_raw", ckan_env)
    ckan_server.replace_file(resource, content=synthetic_csv(10), ckan_hash="republished-same-bytes",
                               etag='"re-stamped"')
    before = lake_files(ckan_env)
    second = land_asset("estacoes_onibus_raw", ckan_env)
    assert second.skipped and "identical to the last landing" in second.reason
    assert lake_files(ckan_env) == before


@pytest.mark.parametrize(
    "resources, expected",
    [
        pytest.param(
            [("20240101_atividade_economica.csv", "CSV", "2024-01-02"),
             ("20250401_atividade_economica.csv", "CSV", "2025-04-02"),
             ("20250501_atividade_economica.json", "JSON", "2025-05-02")],
            "20250401_atividade_economica.csv",
            id="newest-created-among-name-and-format-matches",
        ),
        pytest.param(
            [("dicionario_atividade_economica.pdf", "PDF", "2026-01-01"),
             ("20230101_atividade_economica.csv", "CSV", "2023-01-02")],
            "20230101_atividade_economica.csv",
            id="pattern-excludes-other-files",
        ),
    ],
)
def test_resource_choice_by_pattern_format_and_created(ckan_env, ckan_server, resources, expected):
    for name, fmt, created in resources:
        ckan_server.add_resource("atividade-economica", name=name, content=synthetic_csv(3), format=fmt, created=created)
    result = land_asset("atividade_economica_raw", ckan_env)
    assert result.key.endswith("/" + expected)


def test_resource_choice_by_declared_id_wins_over_newer_files(ckan_env, ckan_server):
    ckan_server.add_resource("6511cb66-3635-4560-95cc-d0c39aafb547", name="si-bol-2019.csv", content=synthetic_csv(5),
                             resource_id="ab6db535-b706-4e7b-9fdc-3bc1e823401e", created="2019-01-01")
    ckan_server.add_resource("6511cb66-3635-4560-95cc-d0c39aafb547", name="si-bol-2019-v2.csv",
                             content=synthetic_csv(6), created="2025-01-01")
    result = land_asset("acidentes_raw", ckan_env)
    assert result.key.endswith("/si-bol-2019.csv")
    assert list_manifests(get_storage(ckan_env), "acidentes_raw")[0].resource_id == "ab6db535-b706-4e7b-9fdc-3bc1e823401e"


def test_without_a_hash_an_unchanged_ckan_last_modified_skips(ckan_env, ckan_server):
    resource = ckan_server.add_resource("estacao-de-onibus", name="estacao_onibus.csv", content=synthetic_csv(10),
                                        ckan_hash=None, created="2025-03-01T10:00:00")
    first = land_asset("estacoes_onibus_raw", ckan_env)
    second = land_asset("estacoes_onibus_raw", ckan_env)
    assert first.landed and second.skipped and "CKAN last_modified 2025-03-01T10:00:00" in second.reason
    assert len(_downloads(ckan_server, resource)) == 1


def test_a_redirected_download_is_followed(ckan_env, ckan_server):
    resource = ckan_server.add_resource("estacao-de-onibus", name="estacao_onibus.csv", content=synthetic_csv(20))
    url = ckan_server.redirect(resource)
    result = land_asset("estacoes_onibus_raw", ckan_env)
    assert result.landed and result.source_url == url and result.key.endswith("/estacao_onibus.csv")
    assert get_storage(ckan_env).read_bytes(result.key) == synthetic_csv(20)
    assert [r.status for r in ckan_server.requests if "/api/" not in r.path] == [302, 200]
