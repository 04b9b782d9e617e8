"""Curated bus stations (POINT WKT in UTM) and GTFS stops (WGS84 with leading spaces, UTF-8 BOM)."""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.frames import output_columns
from spark.parsing.points import add_utm, add_wgs84
from spark.parsing.reader import read_delimited
from spark.parsing.record import Record


def station_row(r: Record) -> dict:
    point = r.require("GEOMETRIA", r.point("GEOMETRIA"))
    return {
        "id_estacao": r.require("ID_ESTPB", r.int("ID_ESTPB")),
        "nome": r.text("NOME"),
        "tipo": r.text("TIPO"),
        "corredor_move": r.text("CORREDOR_MOVE"),
        "eixo_move": r.text("EIXO_MOVE"),
        "sistema_troncal": r.text("SISTEMA_TRONCAL"),
        "integracao_fisica_metro": r.flag("INTEGRACAO_FISICA_METRO"),
        "situacao": r.text("SITUACAO"),
        "gestor": r.text("GESTOR"),
        "coordenada_x": point[0],
        "coordenada_y": point[1],
    }


def stop_row(r: Record) -> dict:
    # 9,341 rows write ' -19.87...': float() would accept the space, r.float trims it explicitly
    return {
        "stop_id": r.require("stop_id", r.text("stop_id")),
        "stop_name": r.text("stop_name"),
        "stop_desc": r.text("stop_desc"),
        "location_type": r.int("location_type"),
        "parent_station": r.text("parent_station"),
        "latitude": r.require("stop_lat", r.float("stop_lat")),
        "longitude": r.require("stop_lon", r.float("stop_lon")),
    }


def estacoes(ctx) -> TransformOutput:
    parsed = read_delimited(ctx.spark, ctx.raw("estacoes_onibus_raw"), ctx.asset.name, output_columns(ctx.asset),
                            station_row, add_wgs84)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine)


def paradas(ctx) -> TransformOutput:
    parsed = read_delimited(ctx.spark, ctx.raw("gtfs_paradas_raw"), ctx.asset.name, output_columns(ctx.asset),
                            stop_row, add_utm)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine)
