"""Field splitting with the asset's ParserOptions and the header check."""

from __future__ import annotations

import pytest

from assets.source import ParserOptions
from spark.context import SchemaDriftError
from spark.parsing.fields import check_header, header_names, keyed, split_fields
from spark.parsing.record import Record, RowError

EXPECTED = ("NUMERO_BOLETIM", "DATA HORA_BOLETIM", "COD_TEMPO")


def test_padded_header_is_trimmed():
    parser = ParserOptions(delimiter=";", header_padded=True)
    assert header_names(" NUMERO_BOLETIM; DATA HORA_BOLETIM; COD_TEMPO", parser) == list(EXPECTED)


def test_quoted_wkt_keeps_its_commas():
    parser = ParserOptions(delimiter=",")
    fields = split_fields('1,367,Parque,"POLYGON ((1 2, 3 4, 1 2))"', parser)
    assert fields == ["1", "367", "Parque", "POLYGON ((1 2, 3 4, 1 2))"]


@pytest.mark.parametrize(
    "header, message",
    [
        pytest.param(["NUMERO_BOLETIM", "DATA HORA_BOLETIM"], r"missing COD_TEMPO", id="missing"),
        pytest.param([*EXPECTED, "NOVA"], r"unexpected NOVA", id="extra"),
        pytest.param(["NUMERO_BOLETIM", "DATA_HORA", "COD_TEMPO"], r"missing DATA HORA_BOLETIM; unexpected DATA_HORA",
                     id="renamed"),
    ],
)
def test_header_drift_names_the_columns(header, message):
    with pytest.raises(SchemaDriftError, match=message):
        check_header("acidentes", "si-bol-2019.csv", header, EXPECTED)


def test_declared_rename_is_honoured():
    names = check_header("acidentes", "f.csv", ["NUMERO_BOLETIM", "DATA_HORA", "COD_TEMPO"], EXPECTED,
                         (("DATA_HORA", "DATA HORA_BOLETIM"),))
    assert names == list(EXPECTED)


def test_reordered_header_is_accepted_and_repeated_names_stay_distinct():
    names = check_header("mco", "f.csv", ["Viagem", "Linha", "Viagem"], ("Linha", "Viagem", "Viagem"))
    assert keyed(names) == ["Viagem", "Linha", "Viagem#2"]


def test_record_error_names_the_column_and_value():
    record = Record({"COD_TEMPO": "x1"})
    with pytest.raises(RowError, match=r"COD_TEMPO: 'x1' is not an integer"):
        record.int("COD_TEMPO")


def test_record_decimal_comma_follows_the_parser():
    assert Record({"IQVU": "0,75"}, decimal_comma=True).float("IQVU") == pytest.approx(0.75)
