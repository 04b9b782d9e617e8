"""Registration follows the asset, is idempotent, and keeps the last success's statistics."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

from catalog.records import CheckResult, MaterializationRecord
from lake.locations import table_uri


def _record(asset: str, status: str, *, rows=None, version=None, when=None, **extra) -> MaterializationRecord:
    when = when or datetime.now(timezone.utc)
    return MaterializationRecord(asset=asset, status=status, started_at=when - timedelta(seconds=3),
                                 finished_at=when, rows=rows, delta_version=version, **extra)


def test_curated_table_follows_the_asset(catalog, graph, settings):
    asset = graph["acidentes"]
    entry = catalog.register(asset)
    assert entry.database == "bhnav_curated"
    assert entry.table_type == "DELTA"
    assert entry.location == table_uri(asset, settings)
    assert [k["Name"] for k in entry.partition_keys] == ["ano", "mes"]
    assert [k["Type"] for k in entry.partition_keys] == ["int", "int"]
    declared = [c for c in asset.schema if c.name not in ("ano", "mes")]
    assert [(c["Name"], c["Type"], c["Comment"]) for c in entry.columns] == [
        (c.name, c.type, c.description) for c in declared
    ]
    assert entry.parameters["bhnav.owner"] == "bhtrans"
    assert catalog.get_table("acidentes") == entry


def test_raw_table_has_its_location_and_parser(catalog, graph, settings):
    asset = graph["acidentes_raw"]
    entry = catalog.register(asset)
    assert entry.database == "bhnav_raw"
    assert entry.location.endswith("/raw/pbh/acidentes_raw")
    assert entry.table_type != "DELTA"
    assert [k["Name"] for k in entry.partition_keys] == ["ingest_date"]
    serde = entry.table_input["StorageDescriptor"]["SerdeInfo"]
    assert serde["SerializationLibrary"].endswith("OpenCSVSerde")
    assert serde["Parameters"]["separatorChar"] == ";"
    assert entry.parameters["bhnav.parser.encoding"] == "iso-8859-1"
    assert entry.parameters["projection.ingest_date.type"] == "date"
    assert entry.parameters["storage.location.template"] == entry.location + "/ingest_date=${ingest_date}"
    assert len(entry.columns) == len(asset.source.header)


def test_register_is_idempotent(catalog, graph, settings):
    asset = graph["acidentes"]
    first = catalog.register(asset)
    version = catalog.version()
    second = catalog.register(asset)
    assert second == first
    assert catalog.version() == version
    files = list((settings.lake_dir / "_catalog" / "tables").rglob("*.json"))
    assert [f.name for f in files] == ["acidentes.json"]


def test_same_success_record_twice_is_recorded_once(catalog, graph):
    record = _record("acidentes", "success", rows=10, version=0)
    catalog.register(graph["acidentes"], record)
    version = catalog.version()
    catalog.register(graph["acidentes"], record)
    assert catalog.version() == version
    assert catalog.history("acidentes") == [record]


def test_success_record_sets_the_table_statistics(catalog, graph):
    check = CheckResult(name="not_null(numero_boletim)", severity="block", passed=True, total_rows=13342)
    record = _record("acidentes", "success", rows=13300, version=4, code_version="abc",
                     input_versions={"acidentes_raw": "sha256:1"}, checks=(check,), quarantined_rows=42)
    entry = catalog.register(graph["acidentes"], record)
    assert (entry.rows, entry.delta_version, entry.quarantined_rows) == (13300, 4, 42)
    assert entry.input_versions == {"acidentes_raw": "sha256:1"}
    assert entry.parameters["bhnav.code_version"] == "abc"
    assert entry.checks[0]["name"] == "not_null(numero_boletim)"
    assert entry.last_materialized_at == record.finished_at
    assert catalog.last_record("acidentes") == record


@pytest.mark.parametrize("status", [pytest.param("skipped", id="skipped"), pytest.param("failed", id="failed")])
def test_skipped_or_failed_run_keeps_the_last_success_statistics(catalog, graph, status):
    success = _record("acidentes", "success", rows=100, version=1,
                      when=datetime(2026, 1, 1, tzinfo=timezone.utc))
    catalog.register(graph["acidentes"], success)
    later = _record("acidentes", status, rows=0, version=None, error="boom" if status == "failed" else None)
    entry = catalog.register(graph["acidentes"], later)
    assert (entry.rows, entry.delta_version) == (100, 1)
    assert entry.last_materialized_at == success.finished_at
    assert catalog.history("acidentes") == [success, later]
    assert catalog.last_record("acidentes") == success
    assert catalog.last_record("acidentes", status=None) == later


def test_record_of_a_failure_changes_the_version_not_the_table(catalog, graph):
    entry = catalog.register(graph["acidentes"], _record("acidentes", "success", rows=5, version=0))
    version = catalog.version()
    failure = _record("acidentes", "failed", error="check not_null(numero_boletim) failed on 3 rows")
    catalog.record(failure)
    assert catalog.version() != version
    assert catalog.get_table("acidentes") == entry
    assert catalog.last_record("acidentes", status="failed") == failure


def test_record_of_another_asset_is_refused(catalog, graph):
    with pytest.raises(ValueError, match="record of 'bairros' cannot be registered on table 'acidentes'"):
        catalog.register(graph["acidentes"], _record("bairros", "success"))


def test_every_declared_asset_registers_in_its_zone_database(catalog, graph):
    for asset in graph:
        catalog.register(asset)
    tables = catalog.list_tables()
    assert sorted(t.name for t in tables) == sorted(graph.names)
    assert {(t.name, t.database) for t in tables} == {(a.name, f"bhnav_{a.zone}") for a in graph}
    assert {d["Name"] for d in catalog.databases()} == {"bhnav_raw", "bhnav_curated", "bhnav_analytics"}


def test_a_reader_never_sees_a_half_written_table(catalog, graph):
    asset = graph["acidentes"]
    catalog.register(asset)
    stop = threading.Event()
    errors: list[Exception] = []

    def write():
        for i in range(60):
            catalog.register(asset.replace(description=f"Accidents, revision {i} " + "x" * 5000))
        stop.set()

    def read():
        path = catalog.root / "tables" / "bhnav_curated" / "acidentes.json"
        while not stop.is_set():
            try:
                json.loads(path.read_text())
            except Exception as exc:  # noqa: BLE001 - any failure to parse is what this test looks for
                errors.append(exc)

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert catalog.get_table("acidentes").table_input["Description"].startswith("Accidents, revision 59")


def _record_many(lake_dir: str, worker: int, count: int) -> None:
    from catalog.base import get_catalog
    from lake.settings import get_settings

    catalog = get_catalog(get_settings(env="local", lake_dir=lake_dir))
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for i in range(count):
        catalog.record(_record("acidentes", "failed", when=base + timedelta(minutes=i, seconds=worker),
                               error=f"worker {worker} run {i}"))


def test_concurrent_writers_in_two_processes_lose_no_record(settings):
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_record_many, args=(str(settings.lake_dir), w, 25)) for w in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    from catalog.base import get_catalog

    catalog = get_catalog(settings)
    errors = sorted(r.error for r in catalog.history("acidentes"))
    assert errors == sorted(f"worker {w} run {i}" for w in (1, 2) for i in range(25))
    assert catalog.version().split("-")[0] == "50"
