"""Curated health centres (coverage polygons, several phones in one field) and parks (the CKAN
datastore dump): the typed copy reads every declared column; the polygons' derived columns
(repaired WKT, GeoJSON, representative point, area) are computed here."""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.polygons import with_polygon_fields


def centros_saude(ctx) -> TransformOutput:
    return TransformOutput(data=with_polygon_fields(ctx.read("area_abrangencia_saude_raw")))


def parques(ctx) -> TransformOutput:
    return TransformOutput(data=with_polygon_fields(ctx.read("parques_raw"), area="area_m2"))
