"""A period of data: the span a landed file covers, a partition, or a backfill range.

Inclusive on both ends, whole days. Written by people as ``2019``, ``2019-03`` or ``2019-03-15``
(each meaning the whole year, month or day); a range joins two of them with ``..``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_TEXT = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


class PeriodError(ValueError):
    """A period that cannot be read; the message shows the accepted forms."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError(f"period {self.start}..{self.end} ends before it starts; swap the two dates")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def day(cls, day: date) -> "Period":
        return cls(day, day)

    @classmethod
    def parse(cls, text: str) -> "Period":
        """``2019`` | ``2019-03`` | ``2019-03-15`` | any two of them joined by ``..``."""
        text = text.strip()
        if ".." in text:
            first, _, last = text.partition("..")
            return cls(cls.parse(first).start, cls.parse(last).end)
        match = _TEXT.match(text)
        if not match:
            raise PeriodError(f"{text!r} is not a period; write 2019, 2019-03, 2019-03-15 or 2016-01..2018-12")
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            if day is not None:
                return cls.day(date(year, month, day))
            if month is not None:
                return cls.month(year, month)
            return cls.year(year)
        except ValueError:
            raise PeriodError(f"{text!r} is not a calendar period") from None

    @classmethod
    def between(cls, first: str, last: str) -> "Period":
        """From the start of ``first`` to the end of ``last`` (``--from 2016-01 --to 2018-12``)."""
        return cls(cls.parse(first).start, cls.parse(last).end)

    def overlaps(self, other: "Period") -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def intersection(self, other: "Period") -> "Period | None":
        if not self.overlaps(other):
            return None
        return Period(max(self.start, other.start), min(self.end, other.end))

    def months(self) -> list["Period"]:
        """Every calendar month the period touches, in order."""
        found, cursor = [], date(self.start.year, self.start.month, 1)
        while cursor <= self.end:
            found.append(Period.month(cursor.year, cursor.month))
            cursor = found[-1].end + timedelta(days=1)
        return found

    def label(self) -> str:
        """The shortest text that parses back to this period."""
        if self.start == self.end:
            return self.start.isoformat()
        if self == Period.month(self.start.year, self.start.month):
            return self.start.strftime("%Y-%m")
        if self == Period.year(self.start.year):
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def __str__(self) -> str:
        return self.label()
