"""Offline landing from the snapshot folder of real city files: layout, manifests, idempotence."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from landing.lander import land_asset
from landing.manifests import Manifest, current_manifests, latest_manifest, list_manifests
from landing.sources.snapshot import snapshot_files
from lake.locations import landing_key
from lake.storage import get_storage
from tests.landing.conftest import lake_files, sha256_of


def test_every_raw_asset_lands_with_the_snapshot_files_sha256(lake_env, raw_assets, snapshot_dir):
    storage = get_storage(lake_env)
    for asset in raw_assets:
        result = land_asset(asset.name, lake_env)
        assert result.landed, f"{asset.name}: {result.reason}"
        landed = {m.resource or "": m for m in current_manifests(storage, asset.name)}
        files = snapshot_files(snapshot_dir, asset)
        if asset.source.selection == "newest":
            files = dict([max(files.items())])
            landed = {max(files): latest_manifest(storage, asset.name)}
        assert sorted(landed) == sorted(files), asset.name
        for relative, source_file in files.items():
            manifest = landed[relative]
            assert manifest.sha256 == sha256_of(source_file), asset.name
            assert manifest.bytes == source_file.stat().st_size
            assert manifest.key == landing_key(asset, datetime.now(timezone.utc).date(), source_file.name)
            assert storage.read_bytes(manifest.key) == source_file.read_bytes()
            assert manifest.source_kind == "snapshot" and manifest.detected_encoding
            assert manifest.period == (asset.source.period_of(source_file.name).label()
                                       if asset.source.period_of(source_file.name) else None)


def test_a_second_run_lands_nothing(lake_env, raw_assets):
    for asset in raw_assets:
        land_asset(asset.name, lake_env)
    before = lake_files(lake_env)
    second = [land_asset(asset.name, lake_env) for asset in raw_assets]
    assert [r.asset for r in second if r.landed] == []
    assert all(f.skipped and "identical to the last landing" in f.reason for r in second for f in (r.files or (r,)))
    assert lake_files(lake_env) == before


def test_manifest_is_written_next_to_its_file_and_round_trips(lake_env):
    storage = get_storage(lake_env)
    result = land_asset("estacoes_onibus_raw", lake_env)
    folder = result.key.rsplit("/", 1)[0]
    assert result.manifest_key == f"{folder}/_manifest.estacao_onibus.csv.json"
    stored = json.loads(storage.read_bytes(result.manifest_key))
    manifest = Manifest.from_dict(stored)
    assert manifest.to_dict() == stored
    assert (manifest.key, manifest.sha256, manifest.bytes) == (result.key, result.sha256, result.bytes)
    with pytest.raises(Exception, match="cannot assign"):
        manifest.sha256 = "x"


def test_a_changed_file_on_the_same_day_lands_under_a_new_name(lake_env, tmp_path):
    folder = tmp_path / "snapshot"
    (folder / "pbh").mkdir(parents=True)
    station_file = folder / "pbh" / "estacao_onibus.csv"
    station_file.write_bytes(b"ID_ESTPB;NOME\n1;Estacao Diamante\n")
    first = land_asset("estacoes_onibus_raw", lake_env, snapshot_dir=folder)
    station_file.write_bytes(b"ID_ESTPB;NOME\n1;Estacao Diamante\n2;Estacao Barreiro\n")
    second = land_asset("estacoes_onibus_raw", lake_env, snapshot_dir=folder)
    assert first.landed and second.landed
    assert first.key.endswith("/estacao_onibus.csv") and second.key.endswith("/estacao_onibus-2.csv")
    storage = get_storage(lake_env)
    assert storage.read_bytes(first.key) == b"ID_ESTPB;NOME\n1;Estacao Diamante\n"
    assert [m.key for m in list_manifests(storage, "estacoes_onibus_raw")] == [first.key, second.key]


def test_a_missing_snapshot_file_is_an_error_naming_the_dataset(lake_env, tmp_path):
    from landing.errors import LandingError

    with pytest.raises(LandingError, match=r"dataset 'iqvu_raw': snapshot file pbh/iqvu_por_up.csv is not in"):
        land_asset("iqvu_raw", lake_env, snapshot_dir=tmp_path)
    assert lake_files(lake_env) == {}


def test_only_raw_assets_are_landed(lake_env):
    from landing.errors import LandingError

    with pytest.raises(LandingError, match="dataset 'acidentes': is a curated asset; only raw assets are landed"):
        land_asset("acidentes", lake_env)


def test_prune_removes_old_landings_but_never_the_newest(lake_env, tmp_path):
    from assets.definitions import load_graph
    from landing.retention import apply_plan, prune_plan

    storage = get_storage(lake_env)
    folder = tmp_path / "snapshot"
    (folder / "pbh").mkdir(parents=True)
    today = datetime.now(timezone.utc)
    # Three versions of one dataset landed 800, 500 and 400 days ago (retention: 365 days).
    for age, rows in ((800, 1), (500, 2), (400, 3)):
        (folder / "pbh" / "estacao_onibus.csv").write_text("ID;NOME\n" + "1;x\n" * rows)
        assert land_asset("estacoes_onibus_raw", lake_env, snapshot_dir=folder, now=today - timedelta(days=age)).landed
    raw = [a for a in load_graph() if a.is_raw]
    plan = prune_plan(storage, raw, lake_env, today=today.date())
    newest = latest_manifest(storage, "estacoes_onibus_raw")
    assert sorted(item.ingest_date for item in plan) == [
        (today - timedelta(days=800)).date().isoformat(), (today - timedelta(days=500)).date().isoformat()
    ]
    assert newest.key not in {item.key for item in plan}
    apply_plan(storage, plan)
    assert [m.key for m in list_manifests(storage, "estacoes_onibus_raw")] == [newest.key]
    assert storage.list("raw/pbh/estacoes_onibus_raw") == sorted([newest.key, newest.manifest_key])


def test_prune_keeps_every_years_current_file_however_old(lake_env, tmp_path):
    from assets.definitions import load_graph
    from landing.retention import prune_plan

    storage = get_storage(lake_env)
    folder = tmp_path / "snapshot"
    (folder / "pbh").mkdir(parents=True)
    today = datetime.now(timezone.utc)
    header = " " + "; ".join(load_graph()["acidentes_raw"].source.layout("original").columns) + "\n"
    # 2017's file landed 900 days ago and never changed; 2018's changed after 800 days.
    (folder / "pbh" / "si-bol-2017.csv").write_bytes(header.encode("iso-8859-1"))
    (folder / "pbh" / "si-bol-2018.csv").write_bytes(header.encode("iso-8859-1"))
    land_asset("acidentes_raw", lake_env, snapshot_dir=folder, now=today - timedelta(days=900))
    (folder / "pbh" / "si-bol-2018.csv").write_bytes((header + "x\n").encode("iso-8859-1"))
    land_asset("acidentes_raw", lake_env, snapshot_dir=folder, now=today - timedelta(days=800))
    plan = prune_plan(storage, [load_graph()["acidentes_raw"]], lake_env, today=today.date())
    assert [item.key.rsplit("/", 1)[-1] for item in plan] == ["si-bol-2018.csv"]  # the superseded 2018 only
    assert plan[0].ingest_date == (today - timedelta(days=900)).date().isoformat()


def test_prune_keeps_landings_within_the_retention(lake_env, tmp_path, monkeypatch):
    from assets.definitions import load_graph
    from landing.retention import prune_plan
    from lake.settings import get_settings

    monkeypatch.setenv("BHNAV_RAW_RETENTION_DAYS", "30")
    settings = get_settings()
    folder = tmp_path / "snapshot"
    (folder / "pbh").mkdir(parents=True)
    today = datetime.now(timezone.utc)
    for age in (40, 20, 1):
        (folder / "pbh" / "estacao_onibus.csv").write_text(f"ID;NOME\n{age};x\n")
        land_asset("estacoes_onibus_raw", settings, snapshot_dir=folder, now=today - timedelta(days=age))
    plan = prune_plan(get_storage(settings), [a for a in load_graph() if a.is_raw], settings, today=today.date())
    assert [item.ingest_date for item in plan] == [(today - timedelta(days=40)).date().isoformat()]
    assert plan[0].retention_days == 30


def test_snapshot_save_round_trips(lake_env, raw_assets, snapshot_dir, tmp_path, monkeypatch):
    from landing.snapshot_save import save_snapshot
    from lake.settings import get_settings

    for asset in raw_assets:
        land_asset(asset.name, lake_env)
    saved_folder = tmp_path / "saved"
    saved = save_snapshot(get_storage(lake_env), raw_assets, saved_folder)
    assert {s.status for s in saved} == {"written"}
    for asset in raw_assets:
        files = snapshot_files(snapshot_dir, asset)
        if asset.source.selection == "newest":
            files = dict([max(files.items())])
        for relative, path in files.items():
            assert sha256_of(saved_folder / relative) == sha256_of(path)
    # The saved folder works as a snapshot folder: a fresh lake lands the same bytes from it.
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(tmp_path / "second_lake"))
    second = get_settings()
    for asset in raw_assets:
        result = land_asset(asset.name, second, snapshot_dir=saved_folder)
        assert result.landed and result.sha256 == latest_manifest(get_storage(lake_env), asset.name).sha256
    assert {s.status for s in save_snapshot(get_storage(lake_env), raw_assets, saved_folder)} == {"unchanged"}


def test_an_unreadable_manifest_is_named_not_a_traceback(lake_env):
    storage = get_storage(lake_env)
    result = land_asset("estacoes_onibus_raw", lake_env)
    storage.write_bytes(result.manifest_key, b"{not json")
    from landing.errors import LandingError

    with pytest.raises(LandingError, match=rf"dataset 'estacoes_onibus_raw': manifest {result.manifest_key} cannot be "
                                           r"read \(JSONDecodeError\); fix or remove it"):
        land_asset("estacoes_onibus_raw", lake_env)


def test_a_source_retention_overrides_the_default(lake_env, tmp_path):
    from dataclasses import replace

    from assets.definitions import load_graph
    from landing.retention import prune_plan

    folder = tmp_path / "snapshot"
    (folder / "pbh").mkdir(parents=True)
    today = datetime.now(timezone.utc)
    for age in (12, 5):
        (folder / "pbh" / "estacao_onibus.csv").write_text(f"ID;NOME\n{age};x\n")
        land_asset("estacoes_onibus_raw", lake_env, snapshot_dir=folder, now=today - timedelta(days=age))
    declared = load_graph()["estacoes_onibus_raw"]
    short_lived = declared.replace(source=replace(declared.source, retention_days=10))
    storage = get_storage(lake_env)
    assert prune_plan(storage, [declared], lake_env, today=today.date()) == []  # 365 days by default
    plan = prune_plan(storage, [short_lived], lake_env, today=today.date())
    assert [(p.ingest_date, p.retention_days) for p in plan] == [((today - timedelta(days=12)).date().isoformat(), 10)]
