"""Per asset: is it fresh, what does it hold, how did its last run go, and when did its source change.

Everything comes through the catalog interface (records and table parameters), the Delta log
(partitions, the periods they cover, newest date when the record lacks it) and the landing
manifests (the source's own last update, the periods landed), so the same code serves the local
lake and AWS.

Two clocks decide ``freshness``: the pipeline's (time since the last successful run against the
asset's window: fresh or stale) and the source's cadence (a yearly source owes last year's data
by its deadline: late when the data held stops before it). Both are kept apart as well.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from assets.freshness import FAILED, FRESH, LATE, STALE
from assets.period import Period
from catalog.cadence import cadence_source, cadence_status
from catalog.coverage import Coverage, from_labels, from_partitions
from catalog.records import MaterializationRecord

if TYPE_CHECKING:
    from assets.asset import Asset
    from assets.graph import AssetGraph
    from catalog.base import Catalog, TableEntry
    from lake.settings import Settings


@dataclass(frozen=True)
class AssetStatus:
    asset: str
    zone: str
    database: str
    owner: str
    freshness: str  # fresh | stale | late | never | failed
    policy: str
    last_materialized_at: datetime | None = None
    late_by: timedelta | None = None  # past its window, or since its data fell due when late (else None)
    rows: int | None = None
    partitions: int | None = None
    delta_version: int | None = None
    checks: tuple[dict[str, Any], ...] = ()
    quarantined_rows: int = 0
    newest_data_date: date | None = None
    source_updated_at: datetime | None = None
    source_of_update: str | None = None  # which raw asset and which field gave source_updated_at
    last_run_status: str | None = None
    last_run_at: datetime | None = None
    last_error: str | None = None
    pipeline_freshness: str | None = None  # fresh | stale | never | failed: the pipeline's clock alone
    pipeline_lag: timedelta | None = None  # time since the last successful run, measured now
    grain: str | None = None  # the grain of the periods below (the table's time partitions)
    range_first: str | None = None  # the first period held ("2016-01")
    range_last: str | None = None
    missing_periods: tuple[str, ...] = ()  # gaps between the first and the last ("2017-03..2017-05")
    periods_held: tuple[str, ...] = ()
    cadence: str | None = None  # "yearly, last year's data due by 03-31 (acidentes_raw)"
    cadence_status: str | None = None  # "on time (2025 due)" | "late: 2020..2025 missing (due since ...)"
    cadence_missing: tuple[str, ...] = ()  # the due periods after the newest data held
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def checks_summary(self) -> str:
        if not self.checks:
            return "-"
        passed = sum(1 for c in self.checks if c.get("passed"))
        failed = [c for c in self.checks if not c.get("passed")]
        blocking = sum(1 for c in failed if c.get("severity") == "block")
        parts = [f"{passed} ok"]
        if failed and len(failed) > blocking:
            parts.append(f"{len(failed) - blocking} warn")
        if blocking:
            parts.append(f"{blocking} failed")
        return ", ".join(parts)

    @property
    def late_by_text(self) -> str:
        if self.late_by is None:
            return ""
        days = self.late_by.total_seconds() / 86400
        return f"{days:.1f}d late" if days >= 1 else f"{self.late_by.total_seconds() / 3600:.1f}h late"

    @property
    def range_text(self) -> str:
        if self.range_first is None:
            return ""
        return self.range_first if self.range_first == self.range_last else f"{self.range_first}..{self.range_last}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["late_by_s"] = int(self.late_by.total_seconds()) if self.late_by is not None else None
        data["pipeline_lag_s"] = int(self.pipeline_lag.total_seconds()) if self.pipeline_lag is not None else None
        data.pop("late_by")
        data.pop("pipeline_lag")
        data["range"] = self.range_text
        data["checks_summary"] = self.checks_summary
        return data


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def asset_status(settings: "Settings | None" = None, *, graph: "AssetGraph | None" = None,
                 catalog: "Catalog | None" = None, now: datetime | None = None) -> list[AssetStatus]:
    """The status of every asset of the graph, in topological order."""
    from assets.definitions import load_graph
    from catalog.base import get_catalog
    from lake.settings import get_settings

    settings = settings or get_settings()
    graph = graph or load_graph()
    catalog = catalog or get_catalog(settings)
    now = _utc(now) or datetime.now(timezone.utc)
    landings = _SourceUpdates(settings, graph)
    return [_one(graph[name], catalog, settings, landings, graph, now) for name in graph.topological_order()]


def _one(asset: "Asset", catalog: "Catalog", settings: "Settings", landings: "_SourceUpdates",
         graph: "AssetGraph", now: datetime) -> AssetStatus:
    entry = catalog.get_table(asset.name)
    success = catalog.last_record(asset.name)
    last_run = catalog.last_record(asset.name, status=None)
    last_success_at = _utc(success.finished_at) if success else (_utc(entry.last_materialized_at) if entry else None)
    source_at, source_of = landings.newest_for(asset)
    extra: dict[str, Any] = {}
    if asset.is_raw and last_success_at is None:
        # A raw table is materialised by its landing: the newest landed file is its last success.
        last_success_at = landings.landed_at(asset.name)
    failed = last_run is not None and last_run.status == FAILED
    pipeline = asset.freshness.status(last_success_at, failed=failed, now=now)
    rows, version, newest, partitions, coverage = _table_facts(asset, entry, success, settings, landings, extra)
    run_with_checks = last_run if last_run is not None and last_run.checks else success
    late_by = asset.freshness.lateness(last_success_at, now=now) if last_success_at else None
    freshness, cadence = pipeline, _cadence(asset, graph, coverage, newest, now)
    if cadence is not None and cadence[1] is not None and cadence[1].late and pipeline in (FRESH, STALE):
        freshness, late_by = LATE, cadence[1].late_by(now)
    return AssetStatus(
        asset=asset.name, zone=asset.zone, database=settings.database(asset.zone), owner=asset.owner,
        freshness=freshness, policy=asset.freshness.describe(), last_materialized_at=last_success_at,
        late_by=late_by,
        rows=rows, partitions=partitions, delta_version=version,
        checks=tuple(run_with_checks.to_dict()["checks"]) if run_with_checks else (),
        quarantined_rows=success.quarantined_rows if success else (entry.quarantined_rows if entry else 0),
        newest_data_date=newest, source_updated_at=source_at, source_of_update=source_of,
        last_run_status=last_run.status if last_run else None,
        last_run_at=_utc(last_run.finished_at) if last_run else None,
        last_error=last_run.error if last_run and last_run.status == FAILED else None,
        pipeline_freshness=pipeline, pipeline_lag=now - last_success_at if last_success_at else None,
        **_coverage_fields(coverage), **_cadence_fields(cadence),
        extra=extra,
    )


def _cadence(asset: "Asset", graph: "AssetGraph", coverage: Coverage | None, newest: date | None, now: datetime):
    """(policy text, CadenceStatus) when the asset answers to a source's deadline; the data held ends
    with its last period, else with its newest date."""
    found = cadence_source(asset, graph)
    if found is None:
        return None
    source, policy = found
    held_until = coverage.last.end if coverage is not None and coverage.held else newest
    status = cadence_status(source, policy, held_until, now)
    where = "" if source == asset.name else f" ({source})"
    return f"{policy.describe_cadence()}{where}", status


def _coverage_fields(coverage: Coverage | None) -> dict[str, Any]:
    if coverage is None or not coverage.held:
        return {"grain": coverage.grain if coverage else None}
    return {"grain": coverage.grain, "range_first": coverage.first.label(), "range_last": coverage.last.label(),
            "missing_periods": coverage.missing_text(), "periods_held": tuple(p.label() for p in coverage.held)}


def _cadence_fields(cadence) -> dict[str, Any]:
    if cadence is None:
        return {}
    text, status = cadence
    if status is None:
        return {"cadence": text}
    return {"cadence": text, "cadence_status": status.text(),
            "cadence_missing": tuple(p.label() for p in status.missing)}


def _table_facts(asset, entry: "TableEntry | None", success: MaterializationRecord | None, settings,
                 landings: "_SourceUpdates", extra: dict):
    """rows, Delta version, newest data date, partitions, coverage: the record first, the Delta log to fill
    gaps; the coverage of a raw asset comes from the periods its manifests declare."""
    rows = success.rows if success and success.rows is not None else (entry.rows if entry else None)
    version = success.delta_version if success and success.delta_version is not None else (
        entry.delta_version if entry else None)
    newest = (success.newest_data_date if success else None) or (entry.newest_data_date if entry else None)
    if asset.is_raw:
        return rows, version, newest, landings.landing_count(asset.name) or None, landings.coverage(asset.name)
    from catalog.table_stats import delta_stats
    from lake.locations import table_uri

    try:
        stats = delta_stats(entry.location if entry else table_uri(asset, settings), settings,
                            asset.partitioning.date_column, asset.partitioning.time_columns)
    except Exception as exc:  # noqa: BLE001 - a status line must not fail for one unreadable table
        extra["delta_log_error"] = f"{type(exc).__name__}: {exc}"
        stats = None
    if stats is None:
        return rows, version, newest, None, None
    extra.update(files=stats.files, bytes=stats.bytes)
    coverage = from_partitions(stats.time_partitions, asset.partitioning.grain) if asset.partitioning.date_column \
        else None
    return (rows if rows is not None else stats.rows, version if version is not None else stats.version,
            newest or stats.newest_date, stats.partitions, coverage)


class _SourceUpdates:
    """The landing manifests of the raw assets, read once per status call."""

    def __init__(self, settings: "Settings", graph: "AssetGraph"):
        self.settings = settings
        self.graph = graph
        self._cache: dict[str, list] = {}

    def _manifests(self, name: str) -> list:
        if name not in self._cache:
            from landing.manifests import list_manifests
            from lake.storage import get_storage

            try:
                self._cache[name] = list_manifests(get_storage(self.settings), self.graph[name])
            except FileNotFoundError:
                self._cache[name] = []
        return self._cache[name]

    def landed_at(self, name: str) -> datetime | None:
        manifests = self._manifests(name)
        return _utc(datetime.fromisoformat(manifests[-1].fetched_at)) if manifests else None

    def landing_count(self, name: str) -> int:
        return len({m.ingest_date for m in self._manifests(name)})

    def coverage(self, name: str) -> Coverage | None:
        """The periods the landed files declare (``period`` in their manifests); None when none does."""
        labels = [getattr(m, "period", None) for m in self._manifests(name)]
        if not any(labels):
            return None
        held = from_labels(labels).held
        # Yearly files have gaps (a year never landed); dated snapshots are a history with no expected grid.
        yearly = all(p == Period.year(p.start.year) for p in held)
        return Coverage(grain="year" if yearly else "snapshot", held=held)

    def source_update(self, name: str) -> tuple[datetime | None, str | None]:
        """The source's own last update for a raw asset: CKAN's last_modified, else the server's, else
        when we fetched it."""
        manifests = self._manifests(name)
        if not manifests:
            return None, None
        newest = manifests[-1]
        for label, value in (("ckan last_modified", newest.ckan_last_modified),
                             ("last_modified", newest.last_modified), ("fetched_at", newest.fetched_at)):
            parsed = _parse_time(value)
            if parsed is not None:
                return parsed, f"{name}: {label}"
        return None, None

    def newest_for(self, asset: "Asset") -> tuple[datetime | None, str | None]:
        names = [asset.name] if asset.is_raw else [n for n in self.graph.ancestors(asset.name) if self.graph[n].is_raw]
        found = [self.source_update(n) for n in names]
        found = [f for f in found if f[0] is not None]
        return max(found, key=lambda f: f[0]) if found else (None, None)


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return _utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return _utc(parsedate_to_datetime(value))  # HTTP Last-Modified
    except (TypeError, ValueError):
        return None
