"""Every read the app makes, cached: the catalog, the freshness status and the query engine.

Pages never touch the catalog or the query engine directly. Each render asks the catalog for its
``version()`` once (a cheap token); every other read is an ``st.cache_data`` entry keyed by that
token, so a page showing 200 assets makes one catalog call when nothing changed, and a new
materialisation invalidates every cached read at once. The TTL bounds what the version does not
cover (a source's last update read from the landing manifests).

``CALLS`` counts the reads that reached the catalog or the query engine (cache misses), by kind;
the benchmark and the tests read it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import streamlit as st

if TYPE_CHECKING:
    import pandas as pd

    from assets.asset import Asset
    from assets.graph import AssetGraph
    from lake.settings import Settings

CALLS: Counter = Counter()
# Cached reads expire after this even when the catalog did not change (a source's last update
# comes from the landing manifests, which the catalog version does not track).
TTL_S = 300


class MissingTableError(LookupError):
    """A table a panel needs is not in the catalog, or has never been materialised."""


@dataclass(frozen=True)
class Lake:
    """The settings of this render and the catalog token every cached read is keyed by."""

    settings: "Settings"
    key: str
    version: str


def _settings_key(settings: "Settings") -> str:
    # Settings holds a dict (unhashable); these fields decide where the app reads from.
    return "|".join(str(v) for v in (
        settings.env, settings.lake_dir, settings.glue_database_prefix, settings.s3_bucket,
        settings.athena_workgroup, settings.extra_assets_dir,
    ))


@st.cache_resource(show_spinner=False)
def _catalog(_settings: "Settings", key: str):
    from catalog.base import get_catalog

    return get_catalog(_settings)


@st.cache_resource(show_spinner=False)
def _engine(_settings: "Settings", key: str):
    from catalog.query import get_query_engine

    return get_query_engine(_settings)


def lake() -> Lake:
    """Read the settings now and ask the catalog for its version: the one call every render makes."""
    from lake.settings import get_settings

    settings = get_settings()
    key = _settings_key(settings)
    CALLS["version"] += 1
    return Lake(settings=settings, key=key, version=_catalog(settings, key).version())


def graph() -> "AssetGraph":
    """The declared assets (built once per process by ``load_graph``)."""
    from assets.definitions import load_graph

    return load_graph()


def database(lk: Lake, asset: "Asset") -> str:
    return lk.settings.database(asset.zone)


def qualified(lk: Lake, name: str) -> str:
    """How Athena (and the local engine) address a table: ``bhnav_analytics.apetite_investidor``."""
    return f"{database(lk, graph()[name])}.{name}"


# -- catalog reads ---------------------------------------------------------------------------

@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def _status_rows(_settings: "Settings", key: str, version: str) -> list[dict[str, Any]]:
    from catalog.status import asset_status

    CALLS["asset_status"] += 1
    return [status_row(s) for s in asset_status(_settings, graph=graph(), catalog=_catalog(_settings, key))]


def status_rows(lk: Lake) -> list[dict[str, Any]]:
    """One plain row per declared asset: zone, owner, last run, rows, freshness, checks..."""
    return _status_rows(lk.settings, lk.key, lk.version)


def status_of(lk: Lake, names: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    by_name = {r["asset"]: r for r in status_rows(lk)}
    return [by_name[n] for n in names if n in by_name]


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=256)
def _table(_settings: "Settings", key: str, version: str, name: str) -> dict[str, Any] | None:
    CALLS["get_table"] += 1
    entry = _catalog(_settings, key).get_table(name)
    if entry is None:
        return None
    return {
        "database": entry.database, "name": entry.name, "location": entry.location,
        "table_type": entry.table_type, "columns": entry.columns, "partition_keys": entry.partition_keys,
        "parameters": entry.parameters, "rows": entry.rows, "delta_version": entry.delta_version,
        "last_materialized_at": entry.last_materialized_at, "updated_at": entry.updated_at,
    }


def table(lk: Lake, name: str) -> dict[str, Any] | None:
    """The catalog's entry for a table (Glue's model as plain data); None when not registered."""
    return _table(lk.settings, lk.key, lk.version, name)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=256)
def _history(_settings: "Settings", key: str, version: str, name: str) -> list[dict[str, Any]]:
    CALLS["history"] += 1
    return [r.to_dict() for r in _catalog(_settings, key).history(name)]


def history(lk: Lake, name: str) -> list[dict[str, Any]]:
    """Every recorded run of the asset, newest first, as plain dicts."""
    return list(reversed(_history(lk.settings, lk.key, lk.version, name)))


def require_tables(lk: Lake, names: tuple[str, ...] | list[str]) -> None:
    """Raise ``MissingTableError`` naming every table the panel needs that cannot be read yet."""
    rows = {r["asset"]: r for r in status_rows(lk)}
    missing = []
    for name in names:
        row = rows.get(name)
        if row is None:
            missing.append(f"{name} (not declared)")
        elif row["last_materialized"] is None:
            missing.append(f"{qualified(lk, name)} (never materialised)")
    if missing:
        raise MissingTableError(
            f"missing table{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
            f"Build it with `bhnav materialize --select +{names[0]}`."
        )


# -- queries ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Result:
    frame: "pd.DataFrame"
    bytes_scanned: int | None
    truncated: bool = False  # the engine had more rows than the limit
    engine: str = ""


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def _query(_settings: "Settings", key: str, version: str, sql: str, limit: int | None) -> Result:
    CALLS["query"] += 1
    return to_result(_engine(_settings, key).run(sql, limit=limit))


def query(lk: Lake, sql: str, limit: int | None = None) -> Result:
    """A read-only query in Athena SQL, cached until the catalog changes."""
    return _query(lk.settings, lk.key, lk.version, sql, limit)


def run_uncached(lk: Lake, sql: str, limit: int | None) -> Result:
    """The SQL page's runs: always executed, so the bytes scanned are this run's."""
    CALLS["query"] += 1
    return to_result(_engine(lk.settings, lk.key).run(sql, limit=limit))


# -- conversions from the catalog's objects to plain rows -------------------------------------

def to_result(result: Any) -> Result:
    return Result(frame=result.to_pandas(), bytes_scanned=result.bytes_scanned,
                  truncated=bool(getattr(result, "truncated", False)), engine=getattr(result, "engine", ""))


def status_row(s: Any) -> dict[str, Any]:
    """A ``catalog.status.AssetStatus`` as the plain row the pages show (and the cache pickles)."""
    checks = list(s.checks or ())
    failed = [c for c in checks if not _get(c, "passed")]
    return {
        "asset": s.asset,
        "zone": s.zone,
        "database": s.database,
        "owner": s.owner,
        "policy": s.policy,
        "last_materialized": s.last_materialized_at,
        "rows": s.rows,
        "partitions": s.partitions,
        "status": s.freshness,
        "late_by": s.late_by,
        "newest_data": s.newest_data_date,
        "source_updated": s.source_updated_at,
        "source_of_update": s.source_of_update,
        "checks": [dict(c) for c in checks],
        "checks_total": len(checks),
        "checks_failed": [f"{_get(c, 'name')} ({_get(c, 'severity')})" for c in failed],
        "quarantined": s.quarantined_rows,
        "last_run_status": s.last_run_status,
        "error": s.last_error,
        "pipeline_status": s.pipeline_freshness,
        "pipeline_lag": s.pipeline_lag,
        "grain": s.grain,
        "range": s.range_text,
        "missing_periods": list(s.missing_periods),
        "periods_held": list(s.periods_held),
        "cadence": s.cadence,
        "cadence_status": s.cadence_status,
        "cadence_missing": list(s.cadence_missing),
    }


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def when(value: datetime | date | None) -> str:
    """A date or time as people read it in a table; '—' when absent."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def duration(delta: timedelta | None) -> str:
    """'3 d 4 h', '5 h', '12 min'; '' when there is nothing to say."""
    if not delta:
        return ""
    seconds = int(delta.total_seconds())
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    return f"{hours} h" if hours else f"{minutes} min"
