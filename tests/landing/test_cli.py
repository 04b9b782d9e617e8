"""The commands: bhnav land, bhnav lake ls|prune, bhnav snapshot save."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from app.cli.main import build
from landing.lander import land_asset
from tests.landing.conftest import lake_files, sha256_of


@pytest.fixture
def bhnav():
    runner = CliRunner()
    return lambda *args: runner.invoke(build(), list(args))


def test_land_lands_every_raw_asset_then_nothing(lake_env, raw_assets, bhnav, snapshot_dir):
    first = bhnav("land", "--snapshot", str(snapshot_dir), "--format", "json")
    assert first.exit_code == 0, first.output
    rows = json.loads(first.stdout)
    assert sorted(r["asset"] for r in rows) == sorted(a.name for a in raw_assets)
    assert {r["status"] for r in rows} == {"landed"}
    second = json.loads(bhnav("land", "--format", "json").stdout)  # BHNAV_SNAPSHOT_DIR is set
    assert {r["status"] for r in second} == {"skipped"}


def test_land_reports_failures_after_landing_the_others(lake_env, bhnav, tmp_path):
    folder = tmp_path / "partial"
    (folder / "pbh").mkdir(parents=True)
    (folder / "pbh" / "estacao_onibus.csv").write_text("ID_ESTPB;NOME\n1;Estacao Diamante\n")
    done = bhnav("land", "--snapshot", str(folder), "--select", "iqvu_raw", "--select", "estacoes_onibus_raw",
                 "--format", "json")
    assert done.exit_code == 1
    statuses = {r["asset"]: r["status"] for r in json.loads(done.stdout)}
    assert statuses == {"estacoes_onibus_raw": "landed", "iqvu_raw": "failed"}
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: dataset 'iqvu_raw': snapshot file pbh/iqvu_por_up.csv is not in {folder}"]


def test_land_refuses_an_unknown_asset(lake_env, bhnav):
    done = bhnav("land", "--select", "nao_existe_raw")
    assert done.exit_code == 1
    assert "no raw asset named 'nao_existe_raw'" in done.stderr
    assert lake_files(lake_env) == {}


def graph_asset(name):
    from assets.definitions import load_graph

    return load_graph()[name]


def test_lake_ls_lists_landings_per_raw_asset(lake_env, raw_assets, bhnav):
    from landing.sources.snapshot import snapshot_files

    land_asset("acidentes_raw", lake_env)
    rows = {r["asset"]: r for r in json.loads(bhnav("lake", "ls", "--format", "json").stdout)}
    assert set(rows) == {a.name for a in raw_assets}
    accidents = rows["acidentes_raw"]
    assert (accidents["landings"], accidents["current_files"], accidents["periods"]) == (4, 4, "2016..2019")
    assert accidents["bytes"] == sum(p.stat().st_size for p in snapshot_files(lake_env.snapshot_dir, graph_asset("acidentes_raw")).values())
    assert rows["iqvu_raw"]["landings"] == 0 and rows["iqvu_raw"]["file"] is None


def test_lake_prune_is_a_dry_run_until_applied(lake_env, bhnav, tmp_path):
    folder = tmp_path / "snapshot"
    (folder / "pbh").mkdir(parents=True)
    now = datetime.now(timezone.utc)
    for age in (900, 2):
        (folder / "pbh" / "estacao_onibus.csv").write_text(f"ID;NOME\n{age};x\n")
        land_asset("estacoes_onibus_raw", lake_env, snapshot_dir=folder, now=now - timedelta(days=age))
    before = lake_files(lake_env)
    dry = json.loads(bhnav("lake", "prune", "--format", "json").stdout)
    assert [(r["action"], r["ingest_date"]) for r in dry] == [("would delete", (now - timedelta(days=900)).date().isoformat())]
    assert lake_files(lake_env) == before
    applied = bhnav("lake", "prune", "--apply", "--format", "json")
    assert [r["action"] for r in json.loads(applied.stdout)] == ["deleted"]
    assert len(lake_files(lake_env)) == len(before) - 2  # the file and its manifest
    assert json.loads(bhnav("lake", "prune", "--format", "json").stdout) == []


def test_snapshot_save_writes_a_usable_snapshot_folder(lake_env, bhnav, snapshot_dir, tmp_path):
    land_asset("gtfs_paradas_raw", lake_env)
    out = tmp_path / "frozen"
    done = bhnav("snapshot", "save", str(out), "--format", "json")
    assert done.exit_code == 0, done.output
    rows = {r["asset"]: r["status"] for r in json.loads(done.stdout)}
    assert rows["gtfs_paradas_raw"] == "written" and rows["acidentes_raw"] == "not landed"
    saved = out / "bhtrans" / "gtfs_bhtransit_stops.txt"
    assert sha256_of(saved) == sha256_of(snapshot_dir / "bhtrans" / "gtfs_bhtransit_stops.txt")
    assert "not landed yet" in done.stderr
