"""Typed values from the city's text: Brazilian dates, decimal commas, padded UTM, flags.

Each parser takes the trimmed text and returns a value or None for "missing"; text that is
present but malformed raises ValueError with a message that names the value (the row then goes
to quarantine with it).
"""

from __future__ import annotations

import re
from datetime import date, datetime

_BR_DATE = re.compile(r"^(\d{2})[/-](\d{2})[/-](\d{4})$")
_BR_DATETIME = re.compile(r"^(\d{2})[/-](\d{2})[/-](\d{4})[ T](\d{2}):(\d{2})(?::(\d{2}))?$")
_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$")
_NULL_DATES = ("00/00/0000", "00-00-0000")
_TRUE = frozenset({"SIM", "S", "TRUE", "T", "1", "Y", "YES"})
_FALSE = frozenset({"NÃO", "NAO", "N", "FALSE", "F", "0", "NO"})


def text(value: str | None) -> str | None:
    """Trimmed text; empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def integer(value: str | None) -> int | None:
    value = text(value)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        # '324.0' (a float written by pandas) is still the integer 324, '3.5' is not
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is not None and number.is_integer():
            return int(number)
        raise ValueError(f"{value!r} is not an integer") from None


def number_value(value: str | None, decimal_comma: bool = False) -> float | None:
    value = text(value)
    if value is None:
        return None
    if decimal_comma:
        if "." in value and "," in value:  # 1.234,56: a thousands separator we do not expect
            raise ValueError(f"{value!r} mixes '.' and ',' in a decimal-comma column")
        value = value.replace(",", ".")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None


def br_date(value: str | None) -> date | None:
    """dd/mm/yyyy or dd-mm-yyyy; 00/00/0000 means no date."""
    value = text(value)
    if value is None or value in _NULL_DATES:
        return None
    match = _BR_DATE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a dd/mm/yyyy date")
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar date") from None


def br_timestamp(value: str | None) -> datetime | None:
    """dd/mm/yyyy hh:mm[:ss] (local time); 00/00/0000 00:00 means none."""
    value = text(value)
    if value is None or value.split(" ")[0] in _NULL_DATES:
        return None
    match = _BR_DATETIME.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a dd/mm/yyyy hh:mm timestamp")
    day, month, year, hour, minute, second = match.groups()
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar timestamp") from None


def iso_timestamp(value: str | None) -> datetime | None:
    """yyyy-mm-dd hh:mm:ss[.f] as the MCO export writes it (fractions dropped: always .0)."""
    value = text(value)
    if value is None:
        return None
    match = _ISO_DATETIME.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a yyyy-mm-dd hh:mm:ss timestamp")
    try:
        return datetime(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar timestamp") from None


def flag(value: str | None) -> bool | None:
    """SIM/NÃO, S/N and the like; case and accents as published."""
    value = text(value)
    if value is None:
        return None
    upper = value.upper()
    if upper in _TRUE:
        return True
    if upper in _FALSE:
        return False
    raise ValueError(f"{value!r} is not a yes/no flag")


def padded_utm(value: str | None) -> float | None:
    """si-bol's zero-padded UTM coordinate ('0000611366.53'); all zeros means missing."""
    number = number_value(value)
    if number is None or number == 0.0:
        return None
    return number


def cnae(value: str | None) -> str | None:
    """A CNAE code as seven digits: the register (re-written by pandas) says '5611201.0'."""
    value = text(value)
    if value is None:
        return None
    if value.endswith(".0"):
        value = value[:-2]
    if not value.isdigit() or len(value) != 7:
        raise ValueError(f"{value!r} is not a seven-digit CNAE code")
    return value
