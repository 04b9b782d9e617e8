"""Vectorised coordinate columns for the shared point columns of a table (UTM and WGS84)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spark.parsing.geo import utm_to_wgs84, wgs84_to_utm

if TYPE_CHECKING:
    import pandas as pd


def add_wgs84(frame: "pd.DataFrame") -> "pd.DataFrame":
    """latitude/longitude from coordenada_x/coordenada_y, one pyproj call per batch."""
    lon, lat = utm_to_wgs84(frame["coordenada_x"].astype("float64"), frame["coordenada_y"].astype("float64"))
    frame["longitude"], frame["latitude"] = lon, lat
    return frame


def add_utm(frame: "pd.DataFrame") -> "pd.DataFrame":
    """coordenada_x/coordenada_y from latitude/longitude (sources published in WGS84, e.g. GTFS)."""
    x, y = wgs84_to_utm(frame["longitude"].astype("float64"), frame["latitude"].astype("float64"))
    frame["coordenada_x"], frame["coordenada_y"] = x, y
    return frame
