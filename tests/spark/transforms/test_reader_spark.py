"""The shared reader in Spark on small synthetic files: quarantine with reasons, drift before work."""

from __future__ import annotations

from datetime import date

import pytest

from assets.definitions import load_graph
from spark.context import RawInput, SchemaDriftError

GRAPH = load_graph()
SIBOL_HEADER = " " + "; ".join(GRAPH["acidentes_raw"].source.layout("original").columns)


def sibol_row(number: str, when: str = "01/01/2019 01:40", x: str = "0000611366.53") -> str:
    return (f"{number};{when};01/01/2019 02:31; H01002;ABALROAMENTO COM VITIMA   ;1;BOM  ;1;ASFALTO ;19;CENTRO-SUL  ;"
            f"POLICIA MILITAR;NÃO;0;{x};0007795449.66;SIM;NÃO;0;NÃO INFORMADO;00/00/0000;0;NÃO INFORMADO")


def raw_file(tmp_path, name: str, text: str, asset: str = "acidentes_raw", encoding: str = "iso-8859-1") -> RawInput:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return RawInput(asset=GRAPH[asset], uri=path.as_uri(), key=name, file_name=name, sha256="-",
                    ingest_date=date(2026, 1, 1), size=path.stat().st_size)


def _accidents(spark, raw: RawInput, tmp_path):
    from lake.storage import LocalStorage
    from spark.enforce import enforce_schema
    from spark.parsing.typed_copy import typed_copy
    from spark.transforms.acidentes import derive

    return enforce_schema(derive(typed_copy(spark, GRAPH["acidentes"], [raw], LocalStorage(tmp_path))),
                          GRAPH["acidentes"])


def test_bad_rows_go_to_quarantine_with_reason_and_text(spark, tmp_path):
    lines = [
        SIBOL_HEADER,
        sibol_row("2019-1"),
        sibol_row("2019-2", when="31/02/2019 10:00"),
        sibol_row("2019-3") + ";EXTRA",
        sibol_row("2019-4", x="0000000000.00"),
    ]
    enforced = _accidents(spark, raw_file(tmp_path, "sibol.csv", "\n".join(lines) + "\n"), tmp_path)
    good = {r["numero_boletim"]: r for r in enforced.data.collect()}
    bad = {r["raw_line"].split(";")[0]: r["reason"] for r in enforced.rejected.collect()}
    assert set(good) == {"2019-1", "2019-4"} and set(bad) == {"2019-2", "2019-3"}
    assert "data_hora_boletim: 31/02/2019 10:00 is not br_timestamp" in bad["2019-2"]
    assert bad["2019-3"].startswith("24 fields where the header has 23")
    assert good["2019-1"]["descricao_ups"] == "NÃO INFORMADO" and good["2019-1"]["regional"] == "CENTRO-SUL"
    assert good["2019-1"]["latitude"] == pytest.approx(-19.934, abs=1e-3)
    assert good["2019-4"]["coordenada_x"] is None and good["2019-4"]["latitude"] is None


def test_changed_header_fails_naming_each_layout_before_any_row_is_read(spark, tmp_path):
    header = SIBOL_HEADER.replace("COD_TEMPO", "CODIGO_TEMPO").replace("; VALOR_UPS_ANTIGA", "")
    raw = raw_file(tmp_path, "sibol.csv", header + "\n" + sibol_row("2019-1") + "\n")
    with pytest.raises(SchemaDriftError, match=r"sibol.csv matches none of the declared layouts \(original: "
                                               r"missing COD_TEMPO, VALOR_UPS_ANTIGA and unexpected CODIGO_TEMPO"):
        _accidents(spark, raw, tmp_path)


def test_points_join_bairros_with_borders_and_outsiders(spark):
    from spark.spatial import assign_polygon, broadcast_polygons

    squares = broadcast_polygons(spark, [
        (2, "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"),
        (1, "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"),
    ])
    points = spark.createDataFrame(
        [("in-1", 5.0, 5.0), ("in-2", 15.0, 5.0), ("border", 10.0, 5.0), ("outside", 50.0, 50.0), ("no-xy", None, None)],
        "id string, x double, y double",
    )
    located = {r["id"]: r["bairro"] for r in assign_polygon(points, squares, "bairro").collect()}
    assert located == {"in-1": 1, "in-2": 2, "border": 1, "outside": None, "no-xy": None}


def _feature(codigo, nome="Sion", extra=None):
    properties = {"ID_BAC": 1.0, "CODIGO": codigo, "TIPO": "Bairro", "NOME": nome, "AREA_KM2": 0.5, "PERIMETR_M": 10.0,
                  **(extra or {})}
    square = [[[600000, 7800000], [600100, 7800000], [600100, 7800100], [600000, 7800000]]]
    return {"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": square}}


def _geojson(tmp_path, features) -> RawInput:
    import json

    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return raw_file(tmp_path, "bairros.geojson", text, asset="bairro_oficial_raw", encoding="utf-8")


def test_geojson_float_ids_and_a_feature_without_code_is_quarantined(spark, tmp_path):
    from spark.parsing.frames import output_columns
    from spark.parsing.geojson import read_geojson
    from spark.transforms.territorio import bairro_row

    raw = _geojson(tmp_path, [_feature(324.0, "São Pedro"), _feature(None)])
    parsed = read_geojson(spark, raw, "bairros", output_columns(GRAPH["bairros"]), bairro_row)
    rows = {r["_line"]: r for r in parsed.combined.collect()}
    assert (rows[1]["codigo_bairro"], rows[1]["nome"], rows[1]["_reason"]) == (324, "São Pedro", None)
    assert rows[2]["_reason"] == "CODIGO: empty, and the table needs it"


def test_geojson_property_drift_names_the_columns(spark, tmp_path):
    from spark.parsing.frames import output_columns
    from spark.parsing.geojson import read_geojson
    from spark.transforms.territorio import bairro_row

    raw = _geojson(tmp_path, [_feature(1, extra={"REGIONAL": "OESTE"})])
    with pytest.raises(SchemaDriftError, match=r"unexpected REGIONAL"):
        read_geojson(spark, raw, "bairros", output_columns(GRAPH["bairros"]), bairro_row)
