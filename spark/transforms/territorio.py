"""Curated territory: official bairros (GeoJSON), census population 2022, IQVU by planning unit.

The population and the IQVU are delimited files: the typed copy reads their declared columns
(CRLF, a BOM before Latin-1 bytes, decimal commas); the population's polygons are derived here.
"""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing import values
from spark.parsing.frames import output_columns
from spark.parsing.geo import load_geometry, polygon_fields
from spark.parsing.geojson import read_geojson
from spark.parsing.polygons import with_polygon_fields
from spark.parsing.record import RowError


def _property(properties: dict, name: str, parse):
    value = properties.get(name)
    try:
        return parse(None if value is None else str(value))
    except ValueError as exc:
        raise RowError(f"{name}: {exc}") from None


def bairro_row(p: dict) -> dict:
    # ogr2ogr wrote the shapefile's integer ids as floats (324.0): values.integer accepts whole floats
    codigo = _property(p, "CODIGO", values.integer)
    if codigo is None:
        raise RowError("CODIGO: empty, and the table needs it")
    try:
        geometry = load_geometry(p.get("geometry"))
    except ValueError as exc:
        raise RowError(f"geometry: {exc}") from None
    if geometry is None:
        raise RowError("geometry: empty, and the table needs it")
    return {
        "codigo_bairro": codigo,
        "id_bac": _property(p, "ID_BAC", values.integer),
        "nome": _property(p, "NOME", values.text),
        "tipo": _property(p, "TIPO", values.text),
        "area_km2": _property(p, "AREA_KM2", values.number_value),
        "perimetro_m": _property(p, "PERIMETR_M", values.number_value),
        **polygon_fields(geometry),
    }


def bairros(ctx) -> TransformOutput:
    parsed = read_geojson(ctx.spark, ctx.raw("bairro_oficial_raw"), ctx.asset.name, output_columns(ctx.asset), bairro_row)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine)


def populacao(ctx) -> TransformOutput:
    return TransformOutput(data=with_polygon_fields(ctx.read("populacao_bairro_2022_raw")))


def iqvu(ctx) -> TransformOutput:
    return TransformOutput(data=ctx.read("iqvu_raw"))
