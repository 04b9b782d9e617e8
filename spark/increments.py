"""Which landed files a run reads and which partitions it replaces.

A table built from raw files that each cover a known period (a year's si-bol, a dated snapshot)
is rebuilt partition by partition: only the files that are new or changed since the last success
are read, and only the partitions of their periods are replaced (Delta ``replaceWhere``); the
others keep their data files. A backfill names the period itself. Anything else (a changed
transform or declaration, a file of unknown period, a table built from other tables, a first
build) rebuilds the whole table from every current file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assets.period import Period

if TYPE_CHECKING:
    from assets.asset import Asset
    from assets.graph import AssetGraph
    from catalog.records import MaterializationRecord
    from lake.settings import Settings
    from lake.storage import Storage
    from spark.context import RawInput


@dataclass(frozen=True)
class Increment:
    replace: tuple[Period, ...] = ()  # empty: the whole table
    selection: dict[str, tuple["RawInput", ...]] = field(default_factory=dict)  # empty: every current file
    strict: bool = False  # a row outside the replaced periods is outside its file's period: quarantine it
    reason: str = "full rebuild"

    @property
    def is_full(self) -> bool:
        return not self.replace


def widened(period: Period, grain: str) -> Period:
    """The period stretched to whole partitions of ``grain``."""
    if grain == "year":
        return Period(Period.year(period.start.year).start, Period.year(period.end.year).end)
    if grain == "month":
        return Period(Period.month(period.start.year, period.start.month).start,
                      Period.month(period.end.year, period.end.month).end)
    return period


def replace_predicate(asset: "Asset", periods: tuple[Period, ...]) -> str:
    """A predicate on the time partition columns selecting exactly the partitions of ``periods``."""
    grain = asset.partitioning.grain
    key = {"year": "ano", "month": "(ano * 100 + mes)", "day": "(ano * 10000 + mes * 100 + dia)"}[grain]
    fmt = {"year": "%Y", "month": "%Y%m", "day": "%Y%m%d"}[grain]
    ranges = [f"{key} BETWEEN {p.start.strftime(fmt)} AND {p.end.strftime(fmt)}" for p in periods]
    return " OR ".join(f"({r})" for r in ranges)


def merged(periods: list[Period]) -> tuple[Period, ...]:
    """Sorted, with overlapping or adjacent periods joined."""
    from datetime import timedelta

    out: list[Period] = []
    for p in sorted(periods):
        if out and p.start <= out[-1].end + timedelta(days=1):
            out[-1] = Period(out[-1].start, max(out[-1].end, p.end))
        else:
            out.append(p)
    return tuple(out)


def _raw_inputs(dep: "Asset", settings: "Settings", storage: "Storage") -> tuple["RawInput", ...]:
    from spark.lake_context import current_raw_inputs

    return current_raw_inputs(dep, settings, storage)


def plan(asset: "Asset", graph: "AssetGraph", settings: "Settings", storage: "Storage",
         last: "MaterializationRecord | None", *, period: Period | None, code_unchanged: bool,
         table_exists: bool) -> Increment:
    grain = asset.partitioning.grain
    partitioned = asset.partitioning.date_column is not None
    raw_deps = [graph[n] for n in asset.deps if graph[n].is_raw]
    if period is not None:
        if not partitioned:
            raise ValueError(f"Asset {asset.name!r} has no time partitions: a period cannot select part of it; "
                             "materialise it whole (without --from/--to).")
        replace = (widened(period, grain),)
        selection = {dep.name: tuple(r for r in _raw_inputs(dep, settings, storage)
                                     if r.period is None or r.period.overlaps(replace[0])) for dep in raw_deps}
        return Increment(replace=replace, selection=selection, reason=f"period {replace[0]}")
    by_period = (partitioned and table_exists and code_unchanged and last is not None and len(raw_deps) == len(asset.deps)
                 and all(d.source.selection == "every" and d.source.period_pattern for d in raw_deps))
    if not by_period:
        return Increment()
    known = last.notes.get("raw_files") or {}
    current = {dep.name: _raw_inputs(dep, settings, storage) for dep in raw_deps}
    changed = [r for files in current.values() for r in files if known.get(r.key) != r.sha256]
    if not changed:
        return Increment()  # nothing new at the file level (the caller's skip decides the rest)
    if any(r.period is None for r in changed):
        return Increment(reason="a changed file of unknown period")
    replace = merged([widened(r.period, grain) for r in changed])
    selection = {name: tuple(r for r in files if any(r.period and r.period.overlaps(p) for p in replace))
                 for name, files in current.items()}
    return Increment(replace=replace, selection=selection, strict=True,
                     reason=f"{len(changed)} new or changed file(s): {', '.join(p.label() for p in replace)}")
