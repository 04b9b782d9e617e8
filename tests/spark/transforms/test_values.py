"""Typed values from the city's text."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from spark.parsing import values


@pytest.mark.parametrize(
    "parse, text, expected",
    [
        pytest.param(values.br_date, "21-02-2019", date(2019, 2, 21), id="date-dashes"),
        pytest.param(values.br_date, "04/12/2022", date(2022, 12, 4), id="date-slashes"),
        pytest.param(values.br_date, "00/00/0000", None, id="date-zeros-null"),
        pytest.param(values.br_date, "  ", None, id="date-blank-null"),
        pytest.param(values.br_timestamp, "01/01/2019 01:40", datetime(2019, 1, 1, 1, 40), id="timestamp-minutes"),
        pytest.param(values.iso_timestamp, "2022-12-04 00:04:06.0", datetime(2022, 12, 4, 0, 4, 6), id="iso-timestamp"),
        pytest.param(values.number_value, "0,63987", None, id="comma-without-flag-is-not-read-as-dot"),
        pytest.param(values.padded_utm, "0000611366.53", 611366.53, id="utm-padded"),
        pytest.param(values.padded_utm, "0000000000.00", None, id="utm-zeros-missing"),
        pytest.param(values.integer, "324.0", 324, id="int-from-float-text"),
        pytest.param(values.integer, " 19 ", 19, id="int-padded"),
        pytest.param(values.flag, "NÃO", False, id="flag-nao-accent"),
        pytest.param(values.flag, "S", True, id="flag-s"),
        pytest.param(values.cnae, "5611201.0", "5611201", id="cnae-float-text"),
        pytest.param(values.text, "ABALROAMENTO COM VITIMA      ", "ABALROAMENTO COM VITIMA", id="text-padded"),
    ],
)
def test_parse(parse, text, expected):
    if expected is None and parse is values.number_value:
        with pytest.raises(ValueError, match="is not a number"):
            parse(text)
        return
    assert parse(text) == expected


def test_decimal_comma():
    assert values.number_value("0,63987", decimal_comma=True) == pytest.approx(0.63987)


@pytest.mark.parametrize(
    "parse, text, message",
    [
        pytest.param(values.br_date, "31/02/2019", "not a calendar date", id="impossible-date"),
        pytest.param(values.br_date, "2019-02-01", "not a dd/mm/yyyy date", id="iso-date-in-br-column"),
        pytest.param(values.integer, "3.5", "not an integer", id="fraction"),
        pytest.param(values.flag, "TALVEZ", "not a yes/no flag", id="flag"),
        pytest.param(values.cnae, "56112", "not a seven-digit CNAE", id="short-cnae"),
    ],
)
def test_malformed_values_name_the_value(parse, text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_decimal_comma_with_thousands_separator_is_refused():
    with pytest.raises(ValueError, match="mixes"):
        values.number_value("1.234,5", decimal_comma=True)
