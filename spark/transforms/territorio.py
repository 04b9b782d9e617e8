"""Curated territory: official bairros (GeoJSON), census population 2022, IQVU by planning unit."""

from __future__ import annotations

from assets.names import unique_snake_names
from assets.territorio.iqvu import IQVU_INDICATORS
from spark.context import TransformOutput
from spark.parsing import values
from spark.parsing.frames import output_columns
from spark.parsing.geo import load_geometry, polygon_fields
from spark.parsing.geojson import read_geojson
from spark.parsing.reader import read_delimited
from spark.parsing.record import Record, RowError

_INDICATORS = tuple(zip(unique_snake_names(IQVU_INDICATORS), IQVU_INDICATORS))


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


def population_row(r: Record) -> dict:
    geometry = r.require("GEOMETRIA", r.geometry("GEOMETRIA"))
    return {
        "id": r.require("ID_POP_DOMIC_BAIRRO_2022", r.int("ID_POP_DOMIC_BAIRRO_2022")),
        "num_bairro": r.int("NUM_BAIRRO"),
        "bairro": r.text("BAIRRO"),
        "area_km2": r.float("AREA_KM"),
        "populacao": r.require("POPULACAO", r.int("POPULACAO")),
        "domicilios": r.int("DOMICILIOS"),
        "densidade_demografica": r.float("DENSIDADE_DEMOGRAFICA"),
        **polygon_fields(geometry),
    }


def iqvu_row(r: Record) -> dict:
    row = {name: r.float(header) for name, header in _INDICATORS}  # decimal commas: 0,63987
    row.update(
        serie=r.text("SERIE"),
        ano_referencia=r.require("ANO", r.int("ANO")),
        codigo_up=r.require("CODUP", r.int("CODUP")),
        nome_up=r.text("NOMEUP"),
    )
    return row


def bairros(ctx) -> TransformOutput:
    parsed = read_geojson(ctx.spark, ctx.raw("bairro_oficial_raw"), ctx.asset.name, output_columns(ctx.asset), bairro_row)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine)


def populacao(ctx) -> TransformOutput:
    parsed = read_delimited(ctx.spark, ctx.raw("populacao_bairro_2022_raw"), ctx.asset.name,
                            output_columns(ctx.asset), population_row)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine)


def iqvu(ctx) -> TransformOutput:
    parsed = read_delimited(ctx.spark, ctx.raw("iqvu_raw"), ctx.asset.name, output_columns(ctx.asset), iqvu_row)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine)
