"""Which periods a table holds: its time partitions (``ano=/mes=/dia=``) or its landed files' periods.

A coverage is read at the table's grain: the first and last period held, and every period of that
grain between them that holds nothing (a gap). Periods are ``assets.period.Period`` values, so a
gap prints as ``2017-03`` and a run of gaps as ``2017-03..2017-05``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Sequence

from assets.period import Period, PeriodError


@dataclass(frozen=True)
class Coverage:
    grain: str  # year | month | day; snapshot (dated snapshots: a history with no expected grid, no gaps)
    held: tuple[Period, ...]  # sorted, distinct

    @property
    def first(self) -> Period | None:
        return self.held[0] if self.held else None

    @property
    def last(self) -> Period | None:
        return self.held[-1] if self.held else None

    @property
    def range(self) -> Period | None:
        return Period(self.first.start, self.last.end) if self.held else None

    @property
    def missing(self) -> tuple[Period, ...]:
        """Every period of the grain between the first and the last that holds nothing."""
        if not self.held or self.grain not in ("year", "month", "day"):
            return ()
        return tuple(p for p in periods_of(self.range, self.grain) if not any(h.overlaps(p) for h in self.held))

    def range_text(self) -> str:
        if not self.held:
            return ""
        return self.first.label() if self.first == self.last else f"{self.first.label()}..{self.last.label()}"

    def missing_text(self) -> tuple[str, ...]:
        return runs(self.missing, self.grain)


def periods_of(span: Period, grain: str) -> list[Period]:
    """The periods of ``grain`` that ``span`` touches, in order."""
    if grain == "month":
        return span.months()
    if grain == "year":
        return [Period.year(y) for y in range(span.start.year, span.end.year + 1)]
    return [Period.day(span.start + timedelta(days=i)) for i in range((span.end - span.start).days + 1)]


def runs(periods: Sequence[Period], grain: str) -> tuple[str, ...]:
    """Consecutive periods joined: [2017-03, 2017-04, 2017-05, 2018-01] -> ('2017-03..2017-05', '2018-01')."""
    texts: list[str] = []
    index = 0
    while index < len(periods):
        first = last = periods[index]
        while index + 1 < len(periods) and periods[index + 1].start == last.end + timedelta(days=1):
            index += 1
            last = periods[index]
        texts.append(first.label() if first == last else f"{first.label()}..{last.label()}")
        index += 1
    return tuple(texts)


def from_partitions(values: Iterable[Sequence[object]], grain: str) -> Coverage:
    """From the distinct time-partition values ``(ano,)``, ``(ano, mes)`` or ``(ano, mes, dia)``.

    A file written without a date (its partition value null) covers no period and is left out.
    """
    held = set()
    for value in values:
        parts = [int(v) for v in value if v is not None and str(v) != ""]
        if len(parts) != len(value):
            continue
        if grain == "year":
            held.add(Period.year(parts[0]))
        elif grain == "month":
            held.add(Period.month(parts[0], parts[1]))
        else:
            held.add(Period.day(date(parts[0], parts[1], parts[2])))
    return Coverage(grain=grain, held=tuple(sorted(held)))


def from_labels(labels: Iterable[str | None], grain: str = "year") -> Coverage:
    """From period labels such as the landing manifests carry (``2019``, ``2025-04-01``); None and
    unreadable labels cover nothing."""
    held = set()
    for label in labels:
        if not label:
            continue
        try:
            held.add(Period.parse(label))
        except PeriodError:
            continue
    return Coverage(grain=grain, held=tuple(sorted(held)))
