"""One parsed line seen by name, with typed accessors that say which column failed and why."""

from __future__ import annotations

from datetime import date, datetime

from spark.parsing import values


class RowError(ValueError):
    """A value cannot be typed; the row goes to quarantine with this message as its reason."""


class Record:
    __slots__ = ("_values", "_decimal_comma")

    def __init__(self, values_by_name: dict[str, str], decimal_comma: bool = False):
        self._values = values_by_name
        self._decimal_comma = decimal_comma

    def _typed(self, name: str, parse, *args):
        raw = self._values[name]
        try:
            return parse(raw, *args)
        except ValueError as exc:
            raise RowError(f"{name}: {exc}") from None

    def text(self, name: str) -> str | None:
        return values.text(self._values[name])

    def raw(self, name: str) -> str:
        return self._values[name]

    def int(self, name: str) -> int | None:
        return self._typed(name, values.integer)

    def float(self, name: str) -> float | None:
        return self._typed(name, values.number_value, self._decimal_comma)

    def date(self, name: str) -> date | None:
        return self._typed(name, values.br_date)

    def timestamp(self, name: str) -> datetime | None:
        return self._typed(name, values.br_timestamp)

    def iso_timestamp(self, name: str) -> datetime | None:
        return self._typed(name, values.iso_timestamp)

    def flag(self, name: str) -> bool | None:
        return self._typed(name, values.flag)

    def utm(self, name: str) -> float | None:
        return self._typed(name, values.padded_utm)

    def cnae(self, name: str) -> str | None:
        return self._typed(name, values.cnae)

    def point(self, name: str) -> tuple[float, float] | None:
        from spark.parsing.geo import point_wkt

        return self._typed(name, point_wkt)

    def geometry(self, name: str):
        from spark.parsing.geo import load_geometry

        return self._typed(name, load_geometry)

    def require(self, name: str, value):
        """A value the row cannot do without (the date that partitions it, an id)."""
        if value is None:
            raise RowError(f"{name}: empty, and the table needs it")
        return value
