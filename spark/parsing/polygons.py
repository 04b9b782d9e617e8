"""The shared polygon columns computed from a typed frame's published WKT, in one Python pass.

Reading the text is the typed copy's (Spark's CSV reader, in the JVM); what shapely does is not a
column mapping: repairing invalid rings, the WGS84 GeoJSON for maps, the representative point and
the area. A pandas UDF sees only the WKT column; a text shapely cannot read sends its row to
quarantine with the reason (appended to ``_reason``), never fails the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

_FIELDS = "wkt string, geojson string, lat double, lon double, area double, error string"


def _polygon_parts(texts):
    """pandas Series of WKT texts → a frame of the polygon columns (and the reason a text failed)."""
    import pandas as pd

    from spark.parsing.geo import load_geometry, polygon_fields

    rows = []
    for text in texts:
        try:
            geometry = load_geometry(text)
        except ValueError as exc:
            rows.append((None, None, None, None, None, f"geometria_wkt: {exc}"))
            continue
        if geometry is None:
            rows.append((None, None, None, None, None, None))  # null or empty: the not-null check says so
            continue
        fields = polygon_fields(geometry)
        rows.append((fields["geometria_wkt"], fields["geometria_geojson"], fields["centroide_lat"],
                     fields["centroide_lon"], float(geometry.area), None))
    return pd.DataFrame.from_records(rows, columns=["wkt", "geojson", "lat", "lon", "area", "error"])


def with_polygon_fields(frame: "DataFrame", *, area: str | None = None) -> "DataFrame":
    """``frame`` whose ``geometria_wkt`` holds the published WKT (UTM), with the polygon columns
    (``polygon_columns``) computed, and ``area`` (m², in UTM) when named."""
    from pyspark.sql import functions as F

    parts = F.pandas_udf(_polygon_parts, _FIELDS).asNondeterministic()  # evaluated once per row
    frame = frame.withColumn("_polygon", parts(F.col("geometria_wkt")))
    frame = (frame.withColumn("geometria_wkt", F.col("_polygon.wkt"))
             .withColumn("geometria_geojson", F.col("_polygon.geojson"))
             .withColumn("centroide_lat", F.col("_polygon.lat"))
             .withColumn("centroide_lon", F.col("_polygon.lon")))
    if area:
        frame = frame.withColumn(area, F.col("_polygon.area"))
    if "_reason" in frame.columns:
        frame = frame.withColumn("_reason", F.expr("nullif(concat_ws('; ', _reason, _polygon.error), '')"))
    return frame.drop("_polygon")
