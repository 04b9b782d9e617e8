"""Status per asset: never, fresh, stale and failed against each asset's freshness policy."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from catalog.records import CheckResult, MaterializationRecord
from catalog.status import asset_status
from tests.catalog.lake_tables import accident_rows, write_delta

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
MONTHLY = "acidentes_mensal_regional"  # a table on the monthly policy (35 days)


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
    catalog.register(graph[MONTHLY], _run(MONTHLY, "success", NOW - age, rows=10, delta_version=0))
    status = _status_of(MONTHLY, settings, graph, catalog)
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
    catalog.register(graph[MONTHLY], _run(MONTHLY, "success", NOW - timedelta(days=50), rows=10))
    catalog.record(_run(MONTHLY, "skipped", NOW - timedelta(hours=1)))
    status = _status_of(MONTHLY, settings, graph, catalog)
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


# -- periods held, gaps and the source's cadence ---------------------------------------------

def _accidents_in(months: list[tuple[int, int]], per_month: int = 3) -> list[dict]:
    """A few accidents on the 10th of each (year, month), from the synthetic rows' template."""
    template = accident_rows(per_month=1)[0]
    return [
        {**template, "numero_boletim": f"{y}-{m:02d}-{i}", "data_boletim": date(y, m, 10),
         "data_hora_boletim": datetime(y, m, 10, 8, tzinfo=timezone.utc)}
        for y, m in months for i in range(per_month)
    ]


def test_data_ending_2019_is_late_against_the_yearly_deadline_and_names_the_missing_years(settings, graph, catalog):
    months = [(2016, 1), (2016, 2), (2016, 3)] + [(2019, m) for m in range(1, 13)]
    write_delta(graph["acidentes"], _accidents_in(months), settings)
    catalog.register(graph["acidentes"], _run("acidentes", "success", NOW - timedelta(days=1)))
    status = _status_of("acidentes", settings, graph, catalog)
    assert (status.freshness, status.pipeline_freshness, status.pipeline_lag) == ("late", "fresh", timedelta(days=1))
    assert (status.range_text, status.missing_periods) == ("2016-01..2019-12", ("2016-04..2018-12",))
    assert status.newest_data_date == date(2019, 12, 10)
    assert status.cadence_missing == ("2020", "2021", "2022", "2023", "2024", "2025")
    assert status.cadence == "yearly, last year's data due by 03-31 (acidentes_raw)"
    assert status.late_by == NOW - datetime(2021, 3, 31, tzinfo=timezone.utc), "late since the 2020 file fell due"


def test_a_table_holding_last_year_is_on_time(settings, graph, catalog):
    write_delta(graph["acidentes"], _accidents_in([(2024, 12), (2025, 1), (2025, 12)]), settings)
    catalog.register(graph["acidentes"], _run("acidentes", "success", NOW - timedelta(days=1)))
    status = _status_of("acidentes", settings, graph, catalog)
    assert (status.freshness, status.cadence_status, status.cadence_missing) == ("fresh", "on time (2025 due)", ())
    assert status.missing_periods == ("2025-02..2025-11",)


def test_a_failed_run_outranks_lateness(settings, graph, catalog):
    write_delta(graph["acidentes"], _accidents_in([(2019, 1)]), settings)
    catalog.register(graph["acidentes"], _run("acidentes", "success", NOW - timedelta(days=2)))
    catalog.record(_run("acidentes", "failed", NOW - timedelta(days=1), error="boom"))
    status = _status_of("acidentes", settings, graph, catalog)
    assert (status.freshness, status.pipeline_freshness) == ("failed", "failed")
    assert status.cadence_status.startswith("late: 2020..2025 missing")


def test_a_derived_table_answers_to_its_raw_sources_cadence(settings, graph, catalog):
    from datetime import date as day

    trend = graph["acidentes_mensal_regional"]
    template = {"regional": "CENTRO-SUL", "acidentes": 3, "acidentes_fatais": 0, "proporcao_fatais": 0.0}
    write_delta(trend, [{**template, "mes_referencia": day(y, 1, 1)} for y in (2017, 2019)], settings)
    catalog.register(trend, _run(trend.name, "success", NOW - timedelta(days=1)))
    status = _status_of(trend.name, settings, graph, catalog)
    assert (status.freshness, status.grain, status.range_text, status.missing_periods) == (
        "late", "year", "2017..2019", ("2018",))
    assert status.cadence.endswith("(acidentes_raw)")


def test_cli_status_shows_range_gaps_and_cadence(settings, graph, catalog):
    from typer.testing import CliRunner

    from app.cli.main import build

    write_delta(graph["acidentes"], _accidents_in([(2018, 11), (2019, 2)]), settings)
    catalog.register(graph["acidentes"], _run("acidentes", "success", datetime.now(timezone.utc)))
    result = CliRunner().invoke(build(), ["status", "--format", "json"])
    assert result.exit_code == 0, result.output
    printed = {s["asset"]: s for s in json.loads(result.stdout)}["acidentes"]
    assert (printed["freshness"], printed["pipeline_freshness"]) == ("late", "fresh")
    assert (printed["range"], printed["missing_periods"]) == ("2018-11..2019-02", ["2018-12..2019-01"])
    assert printed["cadence_missing"][0] == "2020" and printed["pipeline_lag_s"] < 600
    table = CliRunner(env={"COLUMNS": "400"}).invoke(build(), ["status"])
    assert table.exit_code == 0, table.output
    line = next(li for li in table.stdout.splitlines() if "│ acidentes " in li)
    assert "late" in line and "2018-11..2019-02" in line and "2018-12..2019-01" in line


def test_a_raw_assets_range_and_gaps_come_from_the_periods_its_files_declare(settings, graph, catalog):
    from landing.manifests import Manifest, write_manifest
    from lake.locations import landing_key
    from lake.storage import LocalStorage

    fetched = NOW - timedelta(days=2)
    for year in (2016, 2017, 2019):
        name = f"si-bol-{year}.csv"
        write_manifest(LocalStorage(settings.lake_dir), Manifest(
            asset="acidentes_raw", source_kind="snapshot", key=landing_key(graph["acidentes_raw"], fetched.date(), name),
            file_name=name, sha256=f"{year}" * 16, bytes=1, ingest_date=fetched.date().isoformat(),
            fetched_at=fetched.isoformat(), source_url=f"file:///{name}", period=str(year)))
    raw = _status_of("acidentes_raw", settings, graph, catalog)
    assert (raw.grain, raw.range_text, raw.missing_periods) == ("year", "2016..2019", ("2018",))
    assert (raw.freshness, raw.pipeline_freshness) == ("late", "fresh")
    assert raw.cadence_missing == ("2020", "2021", "2022", "2023", "2024", "2025")
