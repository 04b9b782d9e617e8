"""Curated bus stations (POINT WKT in UTM) and GTFS stops (WGS84, leading spaces, UTF-8 BOM).

Every column is copied by the typed copy as the assets declare; what is left here is the other
coordinate system of each point, computed in Spark SQL.
"""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.utm import with_utm, with_wgs84


def estacoes(ctx) -> TransformOutput:
    return TransformOutput(data=with_wgs84(ctx.read("estacoes_onibus_raw")))


def paradas(ctx) -> TransformOutput:
    return TransformOutput(data=with_utm(ctx.read("gtfs_paradas_raw")))
