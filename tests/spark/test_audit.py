"""Write, audit, publish: a version that fails its checks or its audit is never what readers see.

Every case publishes a good version first, then feeds a bad one: the error names the asset, the
rule and both numbers, and readers still see the previous version (rows and Delta version)."""

from __future__ import annotations

import pytest

from tests.spark.conftest import visitas_csv

pytestmark = pytest.mark.spark


def january(n: int, start: int = 1) -> list[str]:
    return [f"{i};{1 + i % 28:02d}/01/2024;Centro;{i};p{i}@example.org;{i}" for i in range(start, start + n)]


@pytest.fixture
def published(runtime_lake):
    """visitas published once with 20 January rows; returns (rows, Delta version)."""
    runtime_lake.write_raw("visitas.csv", visitas_csv(*january(20)))
    record = runtime_lake.run_ok("+visitas")["visitas"]
    return runtime_lake, (record.rows, record.delta_version)


def blocked(lake, previous, match: str) -> str:
    result = lake.run("+visitas")
    assert not result.ok, "the bad version must be blocked"
    message = str(result.error)
    assert "\n" not in message and "'visitas'" in message, message
    import re

    assert re.search(match, message), message
    assert (lake.table("visitas").count(), lake.version("visitas")) == previous, "readers keep the previous version"
    return message


def test_a_header_only_file_fails_the_row_count_bound(published):
    lake, previous = published
    lake.write_raw("visitas.csv", visitas_csv())
    blocked(lake, previous, r"row_count failed: 0 rows, expected at least 1")


def test_a_truncated_file_is_blocked_by_the_volume_rule(published):
    lake, previous = published
    lake.write_raw("visitas.csv", visitas_csv(*january(9)))
    message = blocked(lake, previous, r"blocked by audit.*volume\(drop<=20%\) failed: the new version would hold 9 "
                                      r"rows against 20 in published version 0, a drop of 55.0% \(at most 20% allowed\)")
    assert "readers stay on version 0 (20 rows)" in message


def test_a_blocked_asset_shows_blocked_by_audit_in_status(published):
    from catalog.status import asset_status

    lake, previous = published
    lake.write_raw("visitas.csv", visitas_csv(*january(9)))
    lake.run("+visitas")
    [status] = [s for s in asset_status(lake.settings) if s.asset == "visitas"]
    assert status.freshness == "failed" and "blocked by audit" in status.last_error
    assert (status.rows, status.delta_version) == previous


def test_growth_past_the_bound_warns_and_publishes(published):
    lake, _ = published
    lake.write_raw("visitas.csv", visitas_csv(*january(100)))
    record = lake.run_ok("+visitas")["visitas"]
    [growth] = [c for c in record.checks if c.name == "volume(growth<=300%)"]
    assert (growth.passed, growth.severity) == (False, "warn")
    assert "100 rows against 20" in growth.message and "a growth of 400.0%" in growth.message
    assert lake.table("visitas").count() == 100


def test_a_quarantine_share_over_two_percent_blocks(published):
    lake, previous = published
    # A changed encoding or layout: a quarter of the rows no longer parse.
    bad = [f"{i};{i:02d}/13/2024;Centro;{i};q{i}@example.org;{i}" for i in range(100, 107)]
    lake.write_raw("visitas.csv", visitas_csv(*january(21), *bad))
    blocked(lake, previous, r"quarantine_share\(<=2%\) failed: 7 of 28 rows quarantined \(25.0%; at most 2% allowed\)")


def test_replaced_partitions_are_compared_with_what_readers_will_see(published):
    lake, (rows, version) = published
    # Only a February file: January's 20 rows stay, so the table grows; no drop to block.
    lake.write_raw("visitas.csv", visitas_csv("900;03/02/2024;Centro;1;f@example.org;1"))
    lake.run_ok("+visitas")
    assert (lake.table("visitas").count(), lake.version("visitas")) == (rows + 1, version + 1)


def test_a_second_writer_waits_then_fails_naming_the_holder(published, monkeypatch):
    from lake.locks import table_lock
    from lake.settings import get_settings
    from lake.storage import get_storage

    lake, previous = published
    monkeypatch.setenv("BHNAV_LOCK_WAIT", "0.5")
    lake.settings = get_settings()
    with table_lock(get_storage(lake.settings), "visitas", lake.settings, action="materialize") as held:
        result = lake.run("visitas", force=True)
    assert not result.ok
    assert f"materialize waited 0.5s for the lock held by {held['holder']}" in str(result.error)
    assert (lake.table("visitas").count(), lake.version("visitas")) == previous


def test_vacuum_never_runs_while_a_writer_holds_the_lock(published, monkeypatch):
    from lake.locks import LockHeldError, table_lock
    from lake.settings import get_settings
    from lake.storage import get_storage
    from spark.maintenance import vacuum_tables

    lake, previous = published
    monkeypatch.setenv("BHNAV_LOCK_WAIT", "0.3")
    settings = get_settings()
    with table_lock(get_storage(settings), "visitas", settings, action="materialize"):
        with pytest.raises(LockHeldError, match=r"Table 'visitas': vacuum waited 0.3s for the lock held by .*"
                                                r"\(materialize since "):
            vacuum_tables(["visitas"], settings, retention_hours=0, unsafe_retention=True)
    assert (lake.table("visitas").count(), lake.version("visitas")) == previous


def test_vacuum_below_delta_retention_needs_the_unsafe_flag(published):
    from spark.maintenance import MaintenanceError, vacuum_tables

    lake, previous = published
    with pytest.raises(MaintenanceError, match=r"--retention-hours 0 is below Delta's default of 168 hours.*"
                                               r"--unsafe-retention"):
        vacuum_tables(["visitas"], lake.settings, retention_hours=0)
    assert (lake.table("visitas").count(), lake.version("visitas")) == previous


def test_a_kill_between_commit_and_catalog_update_is_reconciled(published):
    from pathlib import Path

    from catalog.status import asset_status

    lake, (rows, version) = published
    lake.run_ok("visitas", force=True)
    history = Path(lake.settings.lake_dir) / "_catalog" / "history" / "visitas.jsonl"
    lines = history.read_text().splitlines()
    history.write_text("\n".join(lines[:-1]) + "\n")  # the catalog never heard of the commit
    [status] = [s for s in asset_status(lake.settings) if s.asset == "visitas"]
    assert "catalog recorded Delta version 0, the table's log is at 1" in status.extra["reconciled"]
    assert (status.rows, status.delta_version) == (rows, version + 1) == (lake.table("visitas").count(),
                                                                          lake.version("visitas"))
    assert lake.catalog().last_record("visitas").delta_version == version + 1
    [again] = [s for s in asset_status(lake.settings) if s.asset == "visitas"]
    assert "reconciled" not in again.extra, "once reconciled, the catalog agrees with the log"


def test_a_huge_error_is_stored_capped_with_the_full_text_logged(published, caplog):
    lake, previous = published
    lake.write_raw("visitas.csv", visitas_csv(header="ID;" + "X" * 50_000))
    result = lake.run("+visitas")
    assert not result.ok
    [record] = [r for r in lake.catalog().history("visitas_raw") + lake.catalog().history("visitas")
                if r.status == "failed"]
    assert len(record.error) <= 2048 and "the full text is in the run's log" in record.error
    assert any(len(r.getMessage()) > 50_000 for r in caplog.records), "the full text goes to the log"
    assert (lake.table("visitas").count(), lake.version("visitas")) == previous
