"""Geometry: WKT and GeoJSON in SIRGAS 2000 / UTM 23S (EPSG:31983), WGS84 for maps.

The city publishes every geometry in UTM; distances, areas and point-in-polygon tests stay in
UTM (metres), and WGS84 (EPSG:4326, lon/lat order) is derived for display.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Sequence

UTM = "EPSG:31983"
WGS84 = "EPSG:4326"
_POINT = re.compile(r"^\s*POINT\s*\(\s*([-\d.eE+]+)\s+([-\d.eE+]+)\s*\)\s*$", re.IGNORECASE)


@lru_cache(maxsize=4)
def _transformer(source: str, target: str):
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)  # x=lon/easting, y=lat/northing


def utm_to_wgs84(xs: Sequence[float | None], ys: Sequence[float | None]):
    """(longitudes, latitudes) as numpy arrays; missing coordinates stay NaN."""
    import numpy as np

    x = np.asarray([np.nan if v is None else v for v in xs], dtype="float64")
    y = np.asarray([np.nan if v is None else v for v in ys], dtype="float64")
    lon, lat = _transformer(UTM, WGS84).transform(x, y)
    return np.asarray(lon), np.asarray(lat)


def wgs84_to_utm(lons: Sequence[float | None], lats: Sequence[float | None]):
    """(eastings, northings) as numpy arrays, for joining GTFS stops with the UTM polygons."""
    import numpy as np

    lon = np.asarray([np.nan if v is None else v for v in lons], dtype="float64")
    lat = np.asarray([np.nan if v is None else v for v in lats], dtype="float64")
    x, y = _transformer(WGS84, UTM).transform(lon, lat)
    return np.asarray(x), np.asarray(y)


def point_wkt(value: str | None) -> tuple[float, float] | None:
    """'POINT (604468.46 7792708.63)' → (x, y); empty → None."""
    if value is None or not value.strip():
        return None
    match = _POINT.match(value)
    if not match:
        raise ValueError(f"{value[:60]!r} is not a WKT POINT")
    return float(match[1]), float(match[2])


def load_geometry(value: str | dict[str, Any] | None):
    """A shapely geometry from WKT text or a GeoJSON geometry mapping; invalid rings are repaired."""
    import shapely
    from shapely.geometry import shape

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        geometry = shape(value) if isinstance(value, dict) else shapely.from_wkt(value)
    except Exception as exc:  # shapely raises several types for bad text
        raise ValueError(f"{str(value)[:60]!r} is not a geometry ({exc})") from None
    if geometry.is_empty:
        return None
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    return geometry


def to_wgs84(geometry):
    import numpy as np
    import shapely

    transformer = _transformer(UTM, WGS84)

    def reproject(coords):
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([lon, lat]), 7)  # about 1 cm: enough for a map, far smaller text

    return shapely.transform(geometry, reproject)


def polygon_fields(geometry) -> dict[str, Any]:
    """The shared polygon columns: WKT in UTM, GeoJSON in WGS84 and the representative point.

    The representative point (not the centroid) is guaranteed inside the polygon, so a park or a
    coverage area shaped like a 'C' still lands in the bairro it belongs to.
    """
    import shapely

    point = geometry.representative_point()
    lon, lat = utm_to_wgs84([point.x], [point.y])
    return {
        "geometria_wkt": shapely.to_wkt(geometry, rounding_precision=2, trim=True),
        "geometria_geojson": shapely.to_geojson(to_wgs84(geometry)),
        "centroide_lat": float(lat[0]),
        "centroide_lon": float(lon[0]),
    }


def representative_utm(geometry) -> tuple[float, float]:
    point = geometry.representative_point()
    return point.x, point.y
