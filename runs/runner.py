"""Runs: one asset (what an Airflow task or a Glue job calls), or a selection in topological order.

Raw assets are landed, derived ones materialised. A selection stops at its first failure: the
assets published before it stay published (each was one Delta commit), nothing after it runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from catalog.records import MaterializationRecord
from spark.materialize import MaterializationError

if TYPE_CHECKING:
    from assets.period import Period
    from assets.graph import AssetGraph
    from lake.settings import Settings

# progress(event, asset_name, index, total, record): event is "start" or "done"
Progress = Callable[[str, str, int, int, "MaterializationRecord | None"], None]


@dataclass
class RunResult:
    selected: tuple[str, ...]
    records: list[MaterializationRecord] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    error: MaterializationError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def failed_asset(self) -> str | None:
        return self.error.record.asset if self.error else None


def graph_for(settings: "Settings") -> "AssetGraph":
    """The project's graph, with the settings' extra assets folder."""
    from assets.definitions import graph_of

    return graph_of(settings.extra_assets_dir)


def _run_one(name: str, graph: "AssetGraph", settings: "Settings", *, force: bool, snapshot_dir,
             allow_breaking: bool, catalog, storage, period: "Period | None" = None) -> MaterializationRecord:
    asset = graph[name]
    if asset.is_raw:
        from runs.raw_step import land_raw

        return land_raw(asset, settings, catalog=catalog, snapshot_dir=snapshot_dir, period=period)
    from spark.materialize import materialize_derived

    if period is not None and asset.partitioning.date_column is None:
        period = None  # a table without time partitions is always built whole
    return materialize_derived(asset, graph, settings, catalog=catalog, storage=storage, force=force,
                               allow_breaking=allow_breaking, period=period)


def materialize_asset(asset_name: str, settings: "Settings | None" = None, *, force: bool = False,
                      snapshot_dir: Path | str | None = None, allow_breaking: bool = False,
                      period: "Period | None" = None) -> MaterializationRecord:
    """Land (raw) or materialise (derived) one asset; raises MaterializationError on failure.

    ``period`` lands only the files of that period and rebuilds only its partitions."""
    from catalog.base import get_catalog
    from lake.settings import get_settings
    from lake.storage import get_storage

    settings = settings or get_settings()
    return _run_one(asset_name, graph_for(settings), settings, force=force, snapshot_dir=snapshot_dir,
                    allow_breaking=allow_breaking, catalog=get_catalog(settings), storage=get_storage(settings),
                    period=period)


def materialize(selection: list[str] | tuple[str, ...] | None = None, settings: "Settings | None" = None,
                force: bool = False, snapshot_dir: Path | str | None = None, progress: Progress | None = None,
                *, allow_breaking: bool = False, period: "Period | None" = None) -> RunResult:
    """The selected assets (``name``, ``name+``, ``+name``; all when empty) in topological order.

    ``period`` (a backfill) lands only the raw files of that period and rebuilds only its
    partitions of each time-partitioned table; tables without time partitions are built whole."""
    from catalog.base import get_catalog
    from lake.settings import get_settings
    from lake.storage import get_storage

    settings = settings or get_settings()
    graph = graph_for(settings)
    names = graph.select(list(selection or ()))
    # Raw assets land first: an upstream file that fails to land stops the run before any Spark work.
    names = tuple(n for n in names if graph[n].is_raw) + tuple(n for n in names if not graph[n].is_raw)
    catalog, storage = get_catalog(settings), get_storage(settings)
    result = RunResult(selected=names)
    for index, name in enumerate(names):
        if progress:
            progress("start", name, index, len(names), None)
        began = time.perf_counter()
        try:
            record = _run_one(name, graph, settings, force=force, snapshot_dir=snapshot_dir,
                              allow_breaking=allow_breaking, catalog=catalog, storage=storage, period=period)
        except MaterializationError as exc:
            result.seconds[name] = time.perf_counter() - began
            result.records.append(exc.record)
            result.error = exc
            if progress:
                progress("done", name, index, len(names), exc.record)
            break
        result.seconds[name] = time.perf_counter() - began
        result.records.append(record)
        if progress:
            progress("done", name, index, len(names), record)
    return result
