"""Status per asset: never, fresh, stale and failed against each asset's freshness policy."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from catalog.records import CheckResult, MaterializationRecord
from catalog.status import asset_status
from tests.catalog.lake_tables import accident_rows, write_delta

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def _run(asset: str, status: str, finished: datetime, **fields) -> MaterializationRecord:
    return MaterializationRecord(asset=asset, status=status, started_at=finished - timedelta(minutes=2),
                                 finished_at=finished, **fields)


def _status_of(name, settings, graph, catalog):
    return {s.asset: s for s in asset_status(settings, graph=graph, catalog=catalog, now=NOW)}[name]


def test_never_materialised(settings, graph, catalog):
    statuses = asset_status(settings, graph=graph, catalog=catalog, now=NOW)
    assert [s.asset for s in statuses] == list(graph.topological_order())
    acidentes = next(s for s in statuses if s.asset == "acidentes")
    assert (acidentes.freshness, acidentes.last_materialized_at, acidentes.late_by) == ("never", None, None)
    assert (acidentes.rows, acidentes.partitions, acidentes.database) == (None, None, "bhnav_curated")


@pytest.mark.parametrize(("age", "freshness", "late_by"), [
    pytest.param(timedelta(days=1), "fresh", None, id="one-day-old-monthly-table-is-fresh"),
    pytest.param(timedelta(days=34, hours=23), "fresh", None, id="just-inside-35-days"),
    pytest.param(timedelta(days=40), "stale", timedelta(days=5), id="forty-days-is-five-days-late"),
])
def test_freshness_against_the_policy(settings, graph, catalog, age, freshness, late_by):
    catalog.register(graph["acidentes"], _run("acidentes", "success", NOW - age, rows=10, delta_version=0))
    status = _status_of("acidentes", settings, graph, catalog)
    assert (status.freshness, status.late_by) == (freshness, late_by)
    assert status.last_materialized_at == NOW - age
    assert status.policy == "stale after 35 days"


def test_failed_run_after_a_success_is_failed(settings, graph, catalog):
    catalog.register(graph["acidentes"], _run("acidentes", "success", NOW - timedelta(days=2), rows=10))
    catalog.record(_run("acidentes", "failed", NOW - timedelta(days=1), error="not_null(numero_boletim): 3 rows"))
    status = _status_of("acidentes", settings, graph, catalog)
    assert (status.freshness, status.last_run_status) == ("failed", "failed")
    assert status.last_error == "not_null(numero_boletim): 3 rows"
    assert (status.rows, status.last_materialized_at) == (10, NOW - timedelta(days=2))


def test_success_after_a_failure_clears_it(settings, graph, catalog):
    catalog.record(_run("acidentes", "failed", NOW - timedelta(days=2), error="boom"))
    catalog.register(graph["acidentes"], _run("acidentes", "success", NOW - timedelta(days=1), rows=10))
    status = _status_of("acidentes", settings, graph, catalog)
    assert (status.freshness, status.last_error) == ("fresh", None)


def test_skipped_run_does_not_refresh_the_table(settings, graph, catalog):
    catalog.register(graph["acidentes"], _run("acidentes", "success", NOW - timedelta(days=50), rows=10))
    catalog.record(_run("acidentes", "skipped", NOW - timedelta(hours=1)))
    status = _status_of("acidentes", settings, graph, catalog)
    assert (status.freshness, status.last_run_status) == ("stale", "skipped")


def test_rows_partitions_and_newest_date_come_from_the_delta_log_when_the_record_lacks_them(settings, graph, catalog):
    rows = accident_rows(per_month=50)
    version = write_delta(graph["acidentes"], rows, settings)
    catalog.register(graph["acidentes"], _run("acidentes", "success", NOW - timedelta(days=1)))
    status = _status_of("acidentes", settings, graph, catalog)
    assert status.rows == len(rows)
    assert status.partitions == len({(r["data_boletim"].year, r["data_boletim"].month) for r in rows})
    assert status.newest_data_date == max(r["data_boletim"] for r in rows)
    assert status.delta_version == version


def test_checks_and_quarantine_of_the_last_run(settings, graph, catalog):
    checks = (
        CheckResult(name="not_null(numero_boletim)", severity="block", passed=True),
        CheckResult(name="accepted_values(regional)", severity="warn", passed=False, failing_rows=4),
    )
    catalog.register(graph["acidentes"], _run("acidentes", "success", NOW - timedelta(days=1), rows=13300,
                                              checks=checks, quarantined_rows=42,
                                              newest_data_date=date(2019, 12, 31)))
    status = _status_of("acidentes", settings, graph, catalog)
    assert status.checks_summary == "1 ok, 1 warn"
    assert (status.quarantined_rows, status.newest_data_date) == (42, date(2019, 12, 31))


def test_source_update_comes_from_the_landing_manifest(settings, graph, catalog):
    from landing.manifests import Manifest, write_manifest
    from lake.locations import landing_key
    from lake.storage import LocalStorage

    fetched = NOW - timedelta(days=2)
    key = landing_key(graph["acidentes_raw"], fetched.date(), "si-bol-2019.csv")
    write_manifest(LocalStorage(settings.lake_dir), Manifest(
        asset="acidentes_raw", source_kind="ckan", key=key, file_name="si-bol-2019.csv", sha256="0" * 64,
        bytes=1, ingest_date=fetched.date().isoformat(), fetched_at=fetched.isoformat(),
        source_url="https://dados.pbh.gov.br/x.csv", ckan_last_modified="2026-11-03T09:15:00"))
    statuses = {s.asset: s for s in asset_status(settings, graph=graph, catalog=catalog, now=NOW)}
    raw, curated = statuses["acidentes_raw"], statuses["acidentes"]
    assert (raw.freshness, raw.last_materialized_at, raw.partitions) == ("fresh", fetched, 1)
    assert raw.source_updated_at == datetime(2026, 11, 3, 9, 15, tzinfo=timezone.utc)
    assert curated.source_updated_at == raw.source_updated_at
    assert curated.source_of_update == "acidentes_raw: ckan last_modified"
    assert curated.freshness == "never"


def test_cli_status_prints_json_and_exits_0(settings, graph, catalog):
    from typer.testing import CliRunner

    from app.cli.main import build

    catalog.register(graph["acidentes"], _run("acidentes", "success", datetime.now(timezone.utc), rows=7))
    result = CliRunner().invoke(build(), ["status", "--format", "json"])
    assert result.exit_code == 0, result.output
    printed = {s["asset"]: s for s in json.loads(result.stdout)}
    assert set(printed) == set(graph.names)
    assert (printed["acidentes"]["freshness"], printed["acidentes"]["rows"]) == ("fresh", 7)
    table = CliRunner().invoke(build(), ["status"])
    assert table.exit_code == 0 and "acidentes" in table.stdout
