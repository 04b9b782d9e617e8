"""Columns that many tables share, declared once."""

from __future__ import annotations

from assets.schema import Column, col

CRS_NOTE = "SIRGAS 2000 / UTM zone 23S (EPSG:31983)"
# A periodic snapshot's date: a table of such a source keeps every snapshot, and readers get the
# newest unless they ask for history (spark.lake_context).
SNAPSHOT_COLUMN = "data_snapshot"


def utm_point_columns(*, point: str | None = None, required: bool = False) -> tuple[Column, ...]:
    """The UTM point and its WGS84 reprojection; ``point`` names the published ``POINT (x y)``
    WKT column the UTM coordinates are read from (``required``: a row without one is refused)."""
    read = ({"x": {"source": point, "rule": "point_x", "nullable": not required},
             "y": {"source": point, "rule": "point_y", "nullable": not required}} if point else {"x": {}, "y": {}})
    return (
        col("coordenada_x", "double", f"Easting in {CRS_NOTE}; null where the source had zeros.", **read["x"]),
        col("coordenada_y", "double", f"Northing in {CRS_NOTE}; null where the source had zeros.", **read["y"]),
        col("latitude", "double", "WGS84 latitude, reprojected from the UTM coordinates."),
        col("longitude", "double", "WGS84 longitude, reprojected from the UTM coordinates."),
    )


def wgs84_point_columns(*, latitude: str, longitude: str) -> tuple[Column, ...]:
    """A point published in WGS84 (decimal degrees), with its UTM projection for the spatial joins."""
    return (
        col("coordenada_x", "double", f"Easting in {CRS_NOTE}, projected from the WGS84 coordinates."),
        col("coordenada_y", "double", f"Northing in {CRS_NOTE}, projected from the WGS84 coordinates."),
        col("latitude", "double", "WGS84 latitude as published.", source=latitude, rule="number", nullable=False),
        col("longitude", "double", "WGS84 longitude as published.", source=longitude, rule="number", nullable=False),
    )


def polygon_columns(what: str, *, wkt: str | None = None) -> tuple[Column, ...]:
    """The shared polygon columns; ``wkt`` names the published WKT column the polygon is read
    from (required; the transform repairs invalid rings and derives the others)."""
    read = {"source": wkt, "rule": "text", "nullable": False} if wkt else {}
    return (
        col("geometria_wkt", "string", f"{what} as WKT in {CRS_NOTE}.", **read),
        col("geometria_geojson", "string", f"{what} as GeoJSON in WGS84 (EPSG:4326), for maps."),
        col("centroide_lat", "double", f"WGS84 latitude of the {what.lower()}'s representative point."),
        col("centroide_lon", "double", f"WGS84 longitude of the {what.lower()}'s representative point."),
    )


def time_partition_columns(grain: str = "month") -> tuple[Column, ...]:
    columns = [col("ano", "int", "Year partition.")]
    if grain in ("month", "day"):
        columns.append(col("mes", "int", "Month partition (1-12)."))
    if grain == "day":
        columns.append(col("dia", "int", "Day partition (1-31)."))
    return tuple(columns)


def snapshot_date_column() -> Column:
    return col(SNAPSHOT_COLUMN, "date", "Date of the periodic snapshot the row comes from (from its file name).")
