"""Coverage: the periods a table holds at its grain, the gaps between its first and last, and cadence."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from assets.freshness import FreshnessPolicy
from assets.period import Period
from catalog.cadence import cadence_status
from catalog.coverage import from_labels, from_partitions


@pytest.mark.parametrize(("values", "grain", "range_text", "missing"), [
    pytest.param([(2019, m) for m in range(1, 13)], "month", "2019-01..2019-12", (), id="a-whole-year-no-gap"),
    pytest.param([(2016, 1), (2016, 2), (2016, 6), (2017, 1)], "month", "2016-01..2017-01",
                 ("2016-03..2016-05", "2016-07..2016-12"), id="runs-of-missing-months-joined"),
    pytest.param([(2019,), (2016,), (2017,)], "year", "2016..2019", ("2018",), id="a-missing-year"),
    pytest.param([("2019", "3", "1"), ("2019", "3", "3")], "day", "2019-03-01..2019-03-03", ("2019-03-02",),
                 id="day-grain-from-text-partition-values"),
    pytest.param([(2019, 5), (None, None)], "month", "2019-05", (), id="a-null-partition-covers-nothing"),
])
def test_range_and_gaps_from_partition_values(values, grain, range_text, missing):
    coverage = from_partitions(values, grain)
    assert (coverage.range_text(), coverage.missing_text()) == (range_text, missing)


def test_an_empty_table_holds_no_range():
    coverage = from_partitions([], "month")
    assert (coverage.first, coverage.range_text(), coverage.missing) == (None, "", ())


def test_landed_periods_have_gaps_at_year_grain_and_unreadable_labels_cover_nothing():
    coverage = from_labels(["2019", None, "2016", "not-a-period", "2018"])
    assert coverage.held == (Period.year(2016), Period.year(2018), Period.year(2019))
    assert coverage.missing_text() == ("2017",)


NOW = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)
YEARLY = FreshnessPolicy.yearly(deadline="03-31")


@pytest.mark.parametrize(("held_until", "late", "missing", "late_since"), [
    pytest.param(date(2019, 12, 31), True, ("2020", "2021", "2022", "2023", "2024", "2025"), date(2021, 3, 31),
                 id="data-ending-2019-is-six-years-late"),
    pytest.param(date(2025, 12, 31), False, (), None, id="last-year-held-is-on-time"),
    pytest.param(date(2025, 6, 30), False, (), None, id="a-year-that-ends-early-in-the-data-has-arrived"),
    pytest.param(date(2024, 12, 31), True, ("2025",), date(2026, 3, 31), id="one-year-missing"),
])
def test_cadence_against_the_deadline(held_until, late, missing, late_since):
    status = cadence_status("acidentes_raw", YEARLY, held_until, NOW)
    assert (status.late, tuple(p.label() for p in status.missing), status.late_since) == (late, missing, late_since)
    assert status.due == Period.year(2025)


def test_late_by_counts_from_when_the_first_missing_year_fell_due():
    status = cadence_status("acidentes_raw", YEARLY, date(2024, 12, 31), NOW)
    assert status.late_by(NOW) == NOW - datetime(2026, 3, 31, tzinfo=timezone.utc)
    assert status.text() == "late: 2025 missing (due since 2026-03-31)"


@pytest.mark.parametrize(("policy", "held_until"), [
    pytest.param(FreshnessPolicy.monthly(), date(2019, 12, 31), id="no-deadline-declared"),
    pytest.param(YEARLY, None, id="no-dated-data-held"),
])
def test_no_cadence_verdict_without_a_deadline_or_dated_data(policy, held_until):
    assert cadence_status("x", policy, held_until, NOW) is None
