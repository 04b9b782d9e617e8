"""Freshness policies: how old a table may get before it is stale, and when a source's data is due.

Two clocks: the pipeline's (``max_lag`` since the last successful materialisation) and the
source's (``deadline``: a yearly source publishes last year's file by a day of the year; past it,
a table whose data stops before last year is late however recently it ran).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from assets.errors import AssetDefinitionError
from assets.period import Period

FRESH, STALE, NEVER, FAILED, LATE = "fresh", "stale", "never", "failed", "late"
_DEADLINE = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True, kw_only=True)
class FreshnessPolicy:
    """A table is stale once ``max_lag`` has passed since its last successful materialisation.

    Build one with the named constructors, which check their bounds.
    """

    max_lag: timedelta
    cron: str | None = None
    deadline: str | None = None  # MM-DD: a yearly source's file for year Y is due by that day of Y+1

    @classmethod
    def time_window(cls, *, days: float = 0, hours: float = 0) -> "FreshnessPolicy":
        lag = timedelta(days=days, hours=hours)
        if lag < timedelta(hours=1) or lag > timedelta(days=3660):
            raise AssetDefinitionError(
                None,
                f"freshness window {lag} is outside one hour to ten years",
                "Pass days= or hours= within those bounds.",
            )
        return cls(max_lag=lag)

    @classmethod
    def monthly(cls) -> "FreshnessPolicy":
        """A monthly source: 35 days leaves a few days of slack after each publication."""
        return cls(max_lag=timedelta(days=35), cron="0 6 1 * *")

    @classmethod
    def yearly(cls, *, deadline: str | None = None) -> "FreshnessPolicy":
        """A yearly source; with ``deadline="03-31"`` last year's data is due by March 31."""
        if deadline is not None and not _is_day_of_year(deadline):
            raise AssetDefinitionError(
                None, f"yearly deadline {deadline!r} is not a day of the year",
                "Write it as MM-DD, e.g. deadline=\"03-31\" for March 31.",
            )
        return cls(max_lag=timedelta(days=400), cron="0 6 1 1 *", deadline=deadline)

    @classmethod
    def static(cls) -> "FreshnessPolicy":
        """A reference dataset that changes rarely (a census, official boundaries)."""
        return cls(max_lag=timedelta(days=3650), cron="0 6 1 1 *")

    def status(self, last_success: datetime | None, *, failed: bool = False, now: datetime | None = None) -> str:
        if failed:
            return FAILED
        if last_success is None:
            return NEVER
        now = now or datetime.now(timezone.utc)
        return STALE if now - last_success > self.max_lag else FRESH

    def lateness(self, last_success: datetime | None, now: datetime | None = None) -> timedelta | None:
        """How far past its window a table is (None when it has never run or is within it)."""
        if last_success is None:
            return None
        late = (now or datetime.now(timezone.utc)) - last_success - self.max_lag
        return late if late > timedelta(0) else None

    def due_by(self, year: int) -> date | None:
        """The day the data of ``year`` is due (None without a deadline)."""
        if self.deadline is None:
            return None
        month, day = (int(p) for p in self.deadline.split("-"))
        return date(year + 1, month, day)

    def due_period(self, now: datetime | None = None) -> Period | None:
        """The newest year whose data is due by now (None without a deadline)."""
        if self.deadline is None:
            return None
        today = (now or datetime.now(timezone.utc)).date()
        year = today.year - 1 if today >= self.due_by(today.year - 1) else today.year - 2
        return Period.year(year)

    def describe_cadence(self) -> str:
        return f"yearly, last year's data due by {self.deadline}" if self.deadline else ""

    def describe(self) -> str:
        days = self.max_lag.total_seconds() / 86400
        return f"stale after {days:g} days" if days >= 1 else f"stale after {days * 24:g} hours"


def _is_day_of_year(text: str) -> bool:
    match = _DEADLINE.match(text)
    if not match:
        return False
    try:
        date(2023, int(match.group(1)), int(match.group(2)))  # a common year: 02-29 is no yearly deadline
    except ValueError:
        return False
    return True
