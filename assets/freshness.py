"""Freshness policies: how old a table may get before it is stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from assets.errors import AssetDefinitionError

FRESH, STALE, NEVER, FAILED = "fresh", "stale", "never", "failed"


@dataclass(frozen=True, kw_only=True)
class FreshnessPolicy:
    """A table is stale once ``max_lag`` has passed since its last successful materialisation.

    Build one with the named constructors, which check their bounds.
    """

    max_lag: timedelta
    cron: str | None = None

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
    def yearly(cls) -> "FreshnessPolicy":
        return cls(max_lag=timedelta(days=400), cron="0 6 1 1 *")

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

    def describe(self) -> str:
        days = self.max_lag.total_seconds() / 86400
        return f"stale after {days:g} days" if days >= 1 else f"stale after {days * 24:g} hours"
