"""Landing from a real local HTTP server that speaks CKAN's package_show and serves the files."""

from __future__ import annotations

import pytest

from landing.lander import land_asset
from landing.manifests import current_manifests, latest_manifest, list_manifests
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
        served = ckan_server.published_all[asset.name]
        if asset.source.selection == "newest":
            served = served[-1:]
        landed = {m.resource_id: m for m in current_manifests(storage, asset.name)}
        assert sorted(landed) == sorted(r["id"] for r, _ in served), asset.name
        for resource, path in served:
            manifest = landed[resource["id"]]
            assert manifest.sha256 == sha256_of(path)
            assert manifest.source_url == resource["url"]
            assert manifest.etag and manifest.last_modified and manifest.ckan_hash == resource["hash"]
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


SIBOL_PACKAGE = "6511cb66-3635-4560-95cc-d0c39aafb547"


def test_every_years_resource_lands_once_by_id_and_content(ckan_env, ckan_server):
    storage = get_storage(ckan_env)
    for year in (2017, 2018):
        ckan_server.add_resource(SIBOL_PACKAGE, name=f"si-bol-{year}.csv", content=synthetic_csv(year - 2010))
    ckan_server.add_resource(SIBOL_PACKAGE, name="dicionario-si-bol.pdf", content=b"%PDF-1.4", format="PDF")
    first = land_asset("acidentes_raw", ckan_env)
    assert first.landed and [f.period for f in first.files] == ["2017", "2018"]
    assert land_asset("acidentes_raw", ckan_env).skipped  # both unchanged at the source
    # next year's file appears on the portal: it alone is downloaded
    ckan_server.add_resource(SIBOL_PACKAGE, name="si-bol-2019.csv", content=synthetic_csv(9), created="2025-06-01")
    third = land_asset("acidentes_raw", ckan_env)
    assert [(f.period, f.status) for f in third.files] == [("2017", "skipped"), ("2018", "skipped"), ("2019", "landed")]
    current = current_manifests(storage, "acidentes_raw")
    assert sorted(m.period for m in current) == ["2017", "2018", "2019"]
    assert len({m.resource_id for m in current}) == 3 and all(m.resource == m.resource_id for m in current)


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
