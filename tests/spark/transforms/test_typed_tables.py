"""Each migrated table through the typed copy on small files: one test per source quirk, and the
rules on their tricky values; bad rows reach the quarantine with the reason and the text."""

from __future__ import annotations

from datetime import date

import pytest

from assets.definitions import load_graph
from spark.context import RawInput
from spark.parsing.utm import with_wgs84

pytestmark = pytest.mark.spark
GRAPH = load_graph()


def raw_file(tmp_path, asset: str, name: str, data: bytes) -> RawInput:
    path = tmp_path / name
    path.write_bytes(data)
    source = GRAPH[asset].source
    return RawInput(asset=GRAPH[asset], uri=path.as_uri(), key=name, file_name=name, sha256="-",
                    ingest_date=date(2026, 1, 1), size=len(data), period=source.period_of(name))


def enforced(spark, tmp_path, table: str, raws: list[RawInput], derive=lambda frame: frame):
    from lake.storage import LocalStorage
    from spark.enforce import enforce_schema
    from spark.parsing.typed_copy import typed_copy

    return enforce_schema(derive(typed_copy(spark, GRAPH[table], raws, LocalStorage(tmp_path))), GRAPH[table])


STATIONS = "ID_ESTPB;NOME;TIPO;CORREDOR_MOVE;EIXO_MOVE;SISTEMA_TRONCAL;INTEGRACAO_FISICA_METRO;SITUACAO;GESTOR;GEOMETRIA\n"


def station(geometry: str, ident: str = "81", metro: str = "NAO") -> str:
    return f"{ident};ESPIRITO SANTO;INTEGRACAO;SANTOS DUMONT;ROTOR;MOVE;{metro};EM OPERACAO;SETOP;{geometry}\n"


@pytest.mark.parametrize("geometry, x, reason", [
    pytest.param("POINT (611249.69 7797463.55)", 611249.69, None, id="point"),
    pytest.param("point(611249.69   7797463.55)", 611249.69, None, id="lower-case-no-space"),
    pytest.param("POINT (611249.69)", None, "coordenada_x: POINT (611249.69) is not point_x", id="one-coordinate"),
    pytest.param("", None, "coordenada_x is null but declared not null", id="missing-point-refused"),
])
def test_station_point_rule(spark, tmp_path, geometry, x, reason):
    from spark.parsing.utm import with_wgs84

    raw = raw_file(tmp_path, "estacoes_onibus_raw", "estacao_onibus.csv", (STATIONS + station(geometry)).encode())
    result = enforced(spark, tmp_path, "estacoes_onibus", [raw], with_wgs84)
    rows, bad = result.data.collect(), result.rejected.collect()
    if reason is None:
        assert rows[0]["coordenada_x"] == pytest.approx(x) and rows[0]["latitude"] == pytest.approx(-19.916, abs=1e-3)
    else:
        assert not rows and reason in bad[0]["reason"] and bad[0]["raw_line"].startswith("81;ESPIRITO SANTO")


def test_gtfs_stops_with_bom_crlf_and_leading_spaces_read_as_numbers(spark, tmp_path):
    from spark.parsing.utm import with_utm

    text = ("stop_id,stop_name,stop_desc,stop_lon,stop_lat,location_type,parent_station\r\n"
            "00110998800035,Estação METRO Vilarinho,Ave Vilarinho, -43.946748, -19.821486,,\r\n"
            "0012,Sem lugar,Rua,,-19.8,1,\r\n")
    raw = raw_file(tmp_path, "gtfs_paradas_raw", "stops.txt", b"\xef\xbb\xbf" + text.encode())
    result = enforced(spark, tmp_path, "paradas_onibus", [raw], with_utm)
    row = result.data.collect()[0]
    assert (row["stop_id"], row["stop_name"], row["longitude"]) == ("00110998800035", "Estação METRO Vilarinho", -43.946748)
    assert row["coordenada_x"] == pytest.approx(610304.15, abs=0.01)
    assert [r["reason"] for r in result.rejected.collect()] == ["longitude is null but declared not null"]


COMPANIES = GRAPH["atividade_economica_raw"].source.header


def company(ident: str, cnae: str = "5611201.0", started: str = "01-07-1993", cnpj: str = "71102990000117") -> str:
    values = dict.fromkeys(COMPANIES, "")
    values.update(ID_ATIV_ECON_ESTABELECIMENTO=ident, CNAE_PRINCIPAL=cnae, DATA_INICIO_ATIVIDADE=started,
                  IND_MEI="S", AREA_UTILIZADA="82.0", NOME="APARECIDA", CNPJ=cnpj,
                  GEOMETRIA="POINT (604468.46 7792708.63)")
    return ";".join(values[c] for c in COMPANIES) + "\n"


def companies(tmp_path, name: str, *rows: str) -> RawInput:
    return raw_file(tmp_path, "atividade_economica_raw", name, (";".join(COMPANIES) + "\n" + "".join(rows)).encode())


def test_each_snapshot_file_fills_the_snapshot_date_from_its_name(spark, tmp_path):
    older = companies(tmp_path, "20250101_atividade_economica.csv", company("1"))
    newer = companies(tmp_path, "20250401_atividade_economica.csv", company("1"), company("2"))
    rows = enforced(spark, tmp_path, "empresas", [older, newer], with_wgs84).data.collect()
    assert sorted((r["id_estabelecimento"], str(r["data_snapshot"])) for r in rows) == [
        (1, "2025-01-01"), (1, "2025-04-01"), (2, "2025-04-01")]


@pytest.mark.parametrize("row, column, value", [
    pytest.param(company("1", cnae="5611201.0"), "cnae_principal", "5611201", id="cnae-float-text"),
    pytest.param(company("1", started="21-02-2019"), "data_inicio_atividade", date(2019, 2, 21), id="dd-mm-yyyy"),
    pytest.param(company("1", started="00/00/0000"), "data_inicio_atividade", None, id="zero-date-is-null"),
])
def test_company_rules(spark, tmp_path, row, column, value):
    raw = companies(tmp_path, "20250401_atividade_economica.csv", row)
    assert enforced(spark, tmp_path, "empresas", [raw], with_wgs84).data.collect()[0][column] == value


def test_a_bad_company_row_is_quarantined_with_its_personal_data_masked(spark, tmp_path):
    raw = companies(tmp_path, "20250401_atividade_economica.csv", company("1", cnae="56112"))
    bad = enforced(spark, tmp_path, "empresas", [raw], with_wgs84).rejected.collect()[0]
    assert "cnae_principal: 56112 is not cnae" in bad["reason"]
    assert "71102990000117" not in bad["raw_line"] and "<pii>" in bad["raw_line"]


SAUDE = ";".join(GRAPH["area_abrangencia_saude_raw"].source.header) + "\n"
SQUARE = "POLYGON ((611000 7807000, 611100 7807000, 611100 7807100, 611000 7807100, 611000 7807000))"


def health(phones: str, geometry: str = SQUARE) -> str:
    return f"140;6300;C.S.JARDIM;NORTE;CENTRO;RUA;CECILIA;201;Jardim;{phones};21-02-2019;{geometry}\n"


@pytest.mark.parametrize("phones, expected", [
    pytest.param("32776766,32776767, 32776788", "32776766,32776767,32776788", id="spaces-after-commas"),
    pytest.param("32776766,,", "32776766", id="empty-parts-dropped"),
    pytest.param(" , ", None, id="only-commas-is-null"),
])
def test_phone_list_rule(spark, tmp_path, phones, expected):
    from spark.parsing.polygons import with_polygon_fields

    raw = raw_file(tmp_path, "area_abrangencia_saude_raw", "saude.csv", (SAUDE + health(phones)).encode())
    row = enforced(spark, tmp_path, "centros_saude", [raw], with_polygon_fields).data.collect()[0]
    assert row["telefones"] == expected and row["data_ultima_atualizacao"] == date(2019, 2, 21)


def test_an_unreadable_polygon_goes_to_quarantine_with_its_text(spark, tmp_path):
    from spark.parsing.polygons import with_polygon_fields

    raw = raw_file(tmp_path, "area_abrangencia_saude_raw", "saude.csv",
                   (SAUDE + health("1", geometry="POLYGON ((611000 7807000, 611100")).encode())
    result = enforced(spark, tmp_path, "centros_saude", [raw], with_polygon_fields)
    bad = result.rejected.collect()
    assert result.data.count() == 0 and "is not a geometry" in bad[0]["reason"]
    assert bad[0]["raw_line"].endswith("POLYGON ((611000 7807000, 611100")


PARKS = "_id,ID_UNIDADE_FPMZB,NOME_UNIDADE_FPMZB,IND_ABERTO_PUBLICO,LEGISLACAO,TIPO_LOGRADOURO,LOGRADOURO,NUMERO,BAIRRO,TELEFONE_PRINCIPAL,GEOMETRIA\r\n"


def test_parks_dump_with_bom_crlf_header_and_quoted_polygons(spark, tmp_path):
    from spark.parsing.polygons import with_polygon_fields

    rows = (f'1,367,Parque Primeiro de Maio,SIM,,RUA,JOANA D\'ARC,190,Minaslândia,3277-6649,"{SQUARE}"\n'
            f'2,,Parque sem id,SIM,,RUA,X,1,Centro,1,"{SQUARE}"\n')
    raw = raw_file(tmp_path, "parques_raw", "parques.csv", b"\xef\xbb\xbf" + (PARKS + rows).encode())
    result = enforced(spark, tmp_path, "parques", [raw], lambda f: with_polygon_fields(f, area="area_m2"))
    good = result.data.collect()
    assert [(r["id_parque"], r["bairro"], r["area_m2"]) for r in good] == [(367, "Minaslândia", 10_000.0)]
    assert good[0]["centroide_lat"] == pytest.approx(-19.8, abs=0.05)
    assert result.rejected.collect()[0]["reason"] == "id_parque is null but declared not null"


def test_iqvu_bom_then_latin1_with_decimal_commas(spark, tmp_path):
    from assets.territorio.iqvu import IQVU_INDICATORS

    header = ";".join(("SERIE", "ANO", "CODUP", "NOMEUP") + IQVU_INDICATORS) + "\r\n"
    values = ["0,63987", "6,09E-05", ""] + ["1"] * (len(IQVU_INDICATORS) - 3)
    row = ";".join(["NOVA SERIE", "2016", "1907", "Anchieta/Sion"] + values) + "\r\n"
    bad = ";".join(["NOVA SERIE", "2016", "1908", "Anchieta/Sion", "0.6.3"] + values[1:]) + "\r\n"
    raw = raw_file(tmp_path, "iqvu_raw", "iqvu.csv", b"\xef\xbb\xbf" + (header + row + bad).encode("iso-8859-1"))
    result = enforced(spark, tmp_path, "iqvu", [raw])
    good = result.data.collect()[0]
    names = [c.name for c in GRAPH["iqvu"].schema][4:7]
    assert (good["nome_up"], good[names[0]], good[names[1]], good[names[2]]) == ("Anchieta/Sion", 0.63987, 6.09e-05, None)
    assert result.rejected.collect()[0]["reason"].endswith("0.6.3 is not number")
