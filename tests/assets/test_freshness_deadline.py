"""A yearly source's deadline: which year is due on a given day, and which declarations are refused."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from assets.errors import AssetDefinitionError
from assets.freshness import FreshnessPolicy
from assets.period import Period


@pytest.mark.parametrize(("today", "due"), [
    pytest.param(date(2026, 3, 30), 2024, id="day-before-the-deadline-last-year-not-yet-due"),
    pytest.param(date(2026, 3, 31), 2025, id="on-the-deadline-last-year-is-due"),
    pytest.param(date(2026, 12, 31), 2025, id="end-of-year"),
    pytest.param(date(2027, 1, 1), 2025, id="new-year-the-year-just-ended-is-not-due-yet"),
])
def test_last_years_data_falls_due_on_the_deadline(today, due):
    policy = FreshnessPolicy.yearly(deadline="03-31")
    now = datetime(today.year, today.month, today.day, 12, tzinfo=timezone.utc)
    assert policy.due_period(now) == Period.year(due)
    assert policy.due_by(due) == date(due + 1, 3, 31)


@pytest.mark.parametrize("deadline", [
    pytest.param("3-31", id="unpadded"),
    pytest.param("02-30", id="no-such-day"),
    pytest.param("02-29", id="leap-day-is-not-every-year"),
    pytest.param("31/03", id="day-first"),
])
def test_a_deadline_that_is_not_a_day_of_the_year_is_refused(deadline):
    with pytest.raises(AssetDefinitionError, match=rf"yearly deadline '{deadline}' is not a day of the year.*MM-DD"):
        FreshnessPolicy.yearly(deadline=deadline)


def test_yearly_without_a_deadline_keeps_its_window_and_owes_nothing():
    policy = FreshnessPolicy.yearly()
    assert (policy.describe(), policy.deadline, policy.due_period()) == ("stale after 400 days", None, None)
