"""A damaged catalog file or manifest costs only its own table: one line naming the file and the
way out, while every other table keeps working; stored error text is capped."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from catalog.records import MaterializationRecord
from catalog.status import asset_status

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def _success(asset: str, rows: int, version: int = 0) -> MaterializationRecord:
    return MaterializationRecord(asset=asset, status="success", started_at=NOW - timedelta(minutes=1),
                                 finished_at=NOW, rows=rows, delta_version=version)


@pytest.fixture
def two_tables(settings, graph, catalog):
    catalog.register(graph["acidentes"], _success("acidentes", 13_342, 3))
    catalog.register(graph["parques"], _success("parques", 80, 1))
    table_file = Path(settings.lake_dir) / "_catalog" / "tables" / "bhnav_curated" / "acidentes.json"
    assert table_file.exists()
    return table_file


@pytest.mark.parametrize("damage", [
    pytest.param(b'{"database": "bhnav_cur', id="cut-json"),
    pytest.param(b"\xff\xfe\x00binary", id="binary"),
    pytest.param(b"[]", id="not-an-entry"),
])
def test_a_damaged_table_file_is_skipped_and_named_with_the_way_out(two_tables, catalog, caplog, damage):
    two_tables.write_bytes(damage)
    with caplog.at_level(logging.WARNING, logger="bhnav.catalog"):
        names = [e.name for e in catalog.list_tables()]
    assert names == ["parques"], "the other tables keep working"
    [warning] = [r.getMessage() for r in caplog.records]
    assert str(two_tables) in warning and "bhnav materialize --select acidentes --force" in warning
    assert "\n" not in warning


def test_reading_the_damaged_table_raises_one_line_naming_the_file(two_tables, catalog):
    from catalog.local import CatalogFileError

    two_tables.write_bytes(b"{not json")
    with pytest.raises(CatalogFileError, match=rf"catalog file {two_tables} is damaged \(JSONDecodeError: .*\); "
                                               r"rerun `bhnav materialize --select acidentes --force` to rewrite it"):
        catalog.get_table("acidentes")


def test_the_next_registration_rewrites_a_damaged_table_file(two_tables, catalog, graph):
    two_tables.write_bytes(b"{not json")
    catalog.register(graph["acidentes"], _success("acidentes", 13_342, 4))
    assert catalog.get_table("acidentes").delta_version == 4


def test_status_reports_a_damaged_table_file_and_keeps_the_others(two_tables, settings, graph, catalog):
    two_tables.write_bytes(b"{not json")
    statuses = {s.asset: s for s in asset_status(settings, graph=graph, catalog=catalog, now=NOW)}
    assert str(two_tables) in statuses["acidentes"].extra["catalog_error"]
    assert (statuses["parques"].freshness, statuses["parques"].rows) == ("fresh", 80)


def test_a_damaged_history_line_is_skipped(two_tables, settings, catalog, caplog):
    history = Path(settings.lake_dir) / "_catalog" / "history" / "acidentes.jsonl"
    history.write_bytes(history.read_bytes() + b'{"asset": "acidentes", "stat\n')
    with caplog.at_level(logging.WARNING, logger="bhnav.catalog"):
        last = catalog.last_record("acidentes")
    assert (last.rows, last.delta_version) == (13_342, 3), "the previous record is still what readers get"
    assert any(f"{history}" in r.getMessage() and "line 2 skipped" in r.getMessage() for r in caplog.records)


def test_a_corrupt_manifest_fails_only_its_assets_status_line(settings, graph, catalog):
    from landing.manifests import manifest_key_for
    from lake.locations import table_key
    from lake.storage import get_storage

    raw = graph["estacoes_onibus_raw"]
    key = manifest_key_for(f"{table_key(raw)}/ingest_date=2026-11-29/estacao_onibus.csv")
    get_storage(settings).write_bytes(key, b"\x00garbage")
    catalog.register(graph["parques"], _success("parques", 80, 1))
    statuses = {s.asset: s for s in asset_status(settings, graph=graph, catalog=catalog, now=NOW)}
    error = statuses["estacoes_onibus_raw"].extra["manifest_error"]
    assert key in error and "fix or remove it" in error and "\n" not in error
    assert statuses["parques"].rows == 80


@pytest.mark.parametrize("size, stored_size", [
    pytest.param(100, 100, id="short-text-kept-whole"),
    pytest.param(203_522, 2048, id="binary-dump-capped-at-2-kb"),
])
def test_stored_error_text_is_capped(size, stored_size, caplog):
    from catalog.error_text import stored

    text = "E" * size
    with caplog.at_level(logging.ERROR, logger="bhnav.errors"):
        kept = stored("acidentes", text)
    assert len(kept) == stored_size
    if size > stored_size:
        assert kept.endswith(f"[{size - 2048} more characters of {size}; the full text is in the run's log]")
        assert any(text in r.getMessage() for r in caplog.records), "the full text is logged"
