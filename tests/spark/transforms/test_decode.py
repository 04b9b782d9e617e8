"""Deliberate decoding: each quirky encoding on small byte strings and on the real files."""

from __future__ import annotations

import pytest

from spark.parsing.decode import LineDecodeError, decode_line, decode_text, split_lines


@pytest.mark.parametrize(
    "data, encoding, expected",
    [
        pytest.param(" DESCRIÇÃO_UPS;NÃO".encode("iso-8859-1"), "iso-8859-1", " DESCRIÇÃO_UPS;NÃO", id="iso-8859-1"),
        pytest.param("Estação".encode("utf-8"), "utf-8", "Estação", id="utf-8"),
        pytest.param("Código".encode("cp1252"), "mixed-cp1252-utf8", "Código", id="mixed-cp1252-line"),
        pytest.param("ESTAÇÃO".encode("utf-8"), "mixed-cp1252-utf8", "ESTAÇÃO", id="mixed-utf8-line"),
        pytest.param("publicacões".encode("iso-8859-1"), "bom+iso-8859-1", "publicacões", id="bom-latin1-body"),
        pytest.param("“aspas”".encode("cp1252"), "windows-1252", "“aspas”", id="windows-1252-quotes"),
    ],
)
def test_decode_line(data, encoding, expected):
    assert decode_line(data, encoding) == expected


def test_invalid_utf8_line_is_an_error_naming_the_byte():
    with pytest.raises(LineDecodeError, match=r"not valid utf-8: byte 0xe7 at offset 4"):
        decode_line("Esta\xe7\xe3o".encode("iso-8859-1"), "utf-8")


def test_split_lines_strips_bom_cr_and_blank_lines():
    data = b"\xef\xbb\xbf_id,NOME\r\n1,a\n\n2,b\r\n"
    assert list(split_lines(data, "utf-8-sig")) == [(1, b"_id,NOME"), (2, b"1,a"), (4, b"2,b")]


def test_bom_followed_by_latin1_bytes_decodes_without_mojibake():
    data = b"\xef\xbb\xbfSERIE;Abrangencia_tiragem_de_publicac\xf5es_locais\r\n"
    (number, line), = split_lines(data, "bom+iso-8859-1")
    assert decode_line(line, "bom+iso-8859-1") == "SERIE;Abrangencia_tiragem_de_publicacões_locais"


def _lines(path, encoding):
    return [decode_line(line, encoding) for _, line in split_lines(path.read_bytes(), encoding)]


def test_mco_header_cp1252_and_body_utf8_both_come_out_right(snapshot_dir):
    lines = _lines(snapshot_dir / "bhtrans" / "mco_bilhetagem_2022-12-04.csv", "mixed-cp1252-utf8")
    assert lines[0].startswith("Código Operadora;Nome Operadora")
    assert "Data Hora Inserção" in lines[0]
    body = "\n".join(lines[1:])
    assert "ESTAÇÃO PAMPULHA/CAMPO ALEGRE" in body
    assert "Ã" + "\u0087" not in body  # what UTF-8 read as cp1252 would leave behind
    assert len(lines) == 1 + 11_993


def test_sibol_latin1_header_and_values(snapshot_dir):
    lines = _lines(snapshot_dir / "pbh" / "si-bol-2019.csv", "iso-8859-1")
    assert lines[0].split(";")[19] == " DESCRIÇÃO_UPS"
    assert ";NÃO INFORMADO;" in lines[1]
    assert len(lines) == 1 + 13_342


def test_iqvu_bom_then_latin1(snapshot_dir):
    lines = _lines(snapshot_dir / "pbh" / "iqvu_por_up.csv", "bom+iso-8859-1")
    assert lines[0].startswith("SERIE;ANO;CODUP;NOMEUP;")
    assert "Ausencia_de_acidentes_de_trânsito" in lines[0]
    assert len(lines) == 1 + 934


def test_parks_dump_bom_crlf_header_then_lf(snapshot_dir):
    lines = _lines(snapshot_dir / "pbh" / "parques_municipais_datastore_dump.csv", "utf-8-sig")
    assert lines[0].startswith("_id,ID_UNIDADE_FPMZB,") and lines[0].endswith("GEOMETRIA")
    assert "Minaslândia" in lines[1]
    assert len(lines) == 1 + 80


def test_geojson_document_decodes_whole(snapshot_dir):
    import json

    document = json.loads(decode_text((snapshot_dir / "pbh" / "bairro_oficial.geojson").read_bytes(), "utf-8"))
    names = {f["properties"]["NOME"] for f in document["features"]}
    assert "Novo Aarão Reis" in names and len(document["features"]) == 323
