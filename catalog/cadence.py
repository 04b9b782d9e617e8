"""Is the data late against its source's cadence? The source's clock, beside the pipeline's.

A yearly source with a deadline (``FreshnessPolicy.yearly(deadline="03-31")``) owes last year's
file by that day. A table whose data stops before the newest year due is late, however recently
it ran: the years after its last one are missing, and it has been late since the first of them
fell due. A derived table answers to the cadence of the raw sources it is built from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from assets.period import Period

if TYPE_CHECKING:
    from assets.asset import Asset
    from assets.freshness import FreshnessPolicy
    from assets.graph import AssetGraph


@dataclass(frozen=True)
class CadenceStatus:
    source: str  # the asset that declares the cadence (the table itself or a raw ancestor)
    describe: str  # "yearly, last year's data due by 03-31"
    due: Period  # the newest period due by now
    held_until: date | None  # the end of the newest data held
    missing: tuple[Period, ...]  # the due periods after the data held
    late_since: date | None  # when the first missing period fell due

    @property
    def late(self) -> bool:
        return bool(self.missing)

    def late_by(self, now: datetime) -> timedelta | None:
        if self.late_since is None:
            return None
        return now - datetime(self.late_since.year, self.late_since.month, self.late_since.day, tzinfo=timezone.utc)

    def text(self) -> str:
        """One line for a table cell: 'on time (2025 due by 2026-03-31)' or 'late: 2020..2025 missing'."""
        if not self.late:
            return f"on time ({self.due.label()} due)"
        span = self.missing[0].label() if len(self.missing) == 1 else f"{self.missing[0].label()}..{self.missing[-1].label()}"
        return f"late: {span} missing (due since {self.late_since.isoformat()})"


def cadence_source(asset: "Asset", graph: "AssetGraph") -> tuple[str, "FreshnessPolicy"] | None:
    """The policy whose deadline the asset answers to: its own, else that of a raw ancestor.

    With several raw ancestors declaring one, the earliest deadline in the year wins (it falls due first).
    """
    if asset.freshness.deadline:
        return asset.name, asset.freshness
    found = sorted((graph[n].freshness.deadline, n) for n in graph.ancestors(asset.name)
                   if graph[n].is_raw and graph[n].freshness.deadline)
    return (found[0][1], graph[found[0][1]].freshness) if found else None


def cadence_status(source: str, policy: "FreshnessPolicy", held_until: date | None,
                   now: datetime) -> CadenceStatus | None:
    """Where the data stands against the deadline; None when the table holds no dated data to judge."""
    due = policy.due_period(now)
    if due is None or held_until is None:
        return None
    # A year's file has arrived once any of its data is held (a year may end early in the data).
    missing = tuple(Period.year(y) for y in range(held_until.year + 1, due.start.year + 1))
    late_since = policy.due_by(missing[0].start.year) if missing else None
    return CadenceStatus(source=source, describe=policy.describe_cadence(), due=due, held_until=held_until,
                         missing=missing, late_since=late_since)
