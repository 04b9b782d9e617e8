"""When each DAG runs, as plain data (no Airflow import): cron, assets, asset-or-time, partitions.

- A time-partitioned raw asset (its source names the period a file covers, ``period_pattern``)
  lands on a cron partition timetable: one run per period, its partition key the period
  (``2019``, ``2019-03``, ``2019-03-15``: what ``Period.parse`` reads), the period just ended.
- A derived asset whose own partitions are time partitions and whose inputs are all partitioned
  runs per partition of its inputs, with the mapping the two grains imply: the same grain maps
  key to key, a coarser input fans out (a yearly file into its twelve months), a finer input rolls
  up (every day of a month into that month, once all have arrived).
- A derived asset of several inputs that all must update also runs on its freshness cadence
  (asset-or-time): a failed or silent input no longer holds it; it reads the newest published
  (audited) version of each input.
- Everything else keeps a cron (landings) or an asset schedule (derived assets).
"""

from __future__ import annotations

from typing import NamedTuple

MONTHLY_CRON = "0 6 1 * *"
GRAINS = ("year", "month", "day")  # coarse to fine
KEY_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}
# A run per period, after the period ends (the run's partition is the period before its tick).
PERIOD_CRONS = {"year": "0 6 1 1 *", "month": MONTHLY_CRON, "day": "0 6 * * *"}
IDENTITY, FAN_OUT, ROLLUP = "identity", "fan_out", "rollup"


class ScheduleError(ValueError):
    """Two grains have no partition mapping Airflow offers."""


class Mapping(NamedTuple):
    """How an upstream asset's partition keys become this DAG's keys."""

    asset: str
    kind: str  # identity | fan_out | rollup
    upstream_grain: str
    grain: str


class Schedule(NamedTuple):
    """``cron`` | ``assets`` (combined by ``mode``) | ``assets_or_cron`` | ``partition_cron``
    (cron, one run per ``grain`` period) | ``partitioned_assets`` (``mappings`` per input)."""

    kind: str
    cron: str | None = None
    assets: tuple[str, ...] = ()
    mode: str = "all"  # all: every one updated; any: joined with |
    grain: str | None = None
    mappings: tuple[Mapping, ...] = ()

    @property
    def partitioned(self) -> bool:
        return self.kind in ("partition_cron", "partitioned_assets")

    def describe(self) -> str:
        joined = (" & " if self.mode == "all" else " | ").join(self.assets)
        if self.kind == "cron":
            return self.cron
        if self.kind == "assets":
            return joined
        if self.kind == "assets_or_cron":
            return f"({joined}) or {self.cron}"
        if self.kind == "partition_cron":
            return f"{self.cron} per {self.grain}"
        return " & ".join(f"{m.asset} [{m.kind} {m.upstream_grain}->{m.grain}]" for m in self.mappings)


def grain_of(asset) -> str | None:
    """The time grain of an asset's partitions: a raw asset's from the period its files cover
    (the finest group of ``source.period_pattern``), a derived one's from its partitioning."""
    if asset.is_raw:
        pattern = getattr(asset.source, "period_pattern", None) or ""
        return next((g for g in reversed(GRAINS) if f"(?P<{g}>" in pattern), None)
    return asset.partitioning.grain if asset.partitioning.date_column else None


def run_grains(graph) -> dict[str, str | None]:
    """The grain each asset's DAG runs per (None: not per partition). A derived asset runs per
    partition only when every input does: an input run without a partition sends no key."""
    grains: dict[str, str | None] = {}

    def visit(asset) -> str | None:
        if asset.name not in grains:
            own = grain_of(asset)
            if not asset.is_raw and own is not None:
                own = own if all(visit(graph[d]) for d in asset.deps) else None
            grains[asset.name] = own
        return grains[asset.name]

    for asset in graph:
        visit(asset)
    return grains


def mapping(asset_name: str, upstream: str, upstream_grain: str, grain: str) -> Mapping:
    if upstream_grain == grain:
        return Mapping(upstream, IDENTITY, upstream_grain, grain)
    up, down = GRAINS.index(upstream_grain), GRAINS.index(grain)
    if abs(up - down) == 1:  # Airflow's windows: a year holds months, a month holds days
        return Mapping(upstream, FAN_OUT if up < down else ROLLUP, upstream_grain, grain)
    raise ScheduleError(
        f"Asset {asset_name!r}: its {grain} partitions cannot be mapped from {upstream!r}'s {upstream_grain} "
        "partitions (Airflow maps a year to its months and a month to its days, and back); "
        "partition it by month, or add an intermediate monthly asset."
    )


def landing_schedule(raw) -> Schedule:
    grain = grain_of(raw)
    if grain is None:
        return Schedule("cron", cron=raw.source.schedule or MONTHLY_CRON)
    return Schedule("partition_cron", cron=raw.source.schedule or PERIOD_CRONS[grain], grain=grain)


def derived_schedule(asset, grains: dict[str, str | None]) -> Schedule:
    grain = grains[asset.name]
    upstream = {dep: grains[dep] for dep in asset.deps}
    if grain is not None:
        return Schedule("partitioned_assets", assets=asset.deps, grain=grain,
                        mappings=tuple(mapping(asset.name, d, g, grain) for d, g in upstream.items()))
    cadence = asset.freshness.cron
    if len(asset.deps) > 1 and asset.schedule_on == "all" and cadence:
        return Schedule("assets_or_cron", cron=cadence, assets=asset.deps)
    return Schedule("assets", assets=asset.deps, mode=asset.schedule_on)
