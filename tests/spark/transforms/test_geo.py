"""Geometry in UTM (EPSG:31983) and its WGS84 forms."""

from __future__ import annotations

import json

import pytest

from spark.parsing import geo


def test_utm_to_wgs84_lands_in_belo_horizonte_and_keeps_missing_as_nan():
    lon, lat = geo.utm_to_wgs84([611366.53, None], [7795449.66, None])
    assert lat[0] == pytest.approx(-19.9342, abs=1e-3) and lon[0] == pytest.approx(-43.9359, abs=1e-3)
    assert lon[1] != lon[1]  # NaN


def test_round_trip_wgs84_utm_is_within_a_centimetre():
    x, y = geo.wgs84_to_utm([-43.946748], [-19.821486])
    lon, lat = geo.utm_to_wgs84(x, y)
    assert (lon[0], lat[0]) == pytest.approx((-43.946748, -19.821486), abs=1e-7)


def test_point_wkt():
    assert geo.point_wkt("POINT (604468.46 7792708.63)") == (604468.46, 7792708.63)
    with pytest.raises(ValueError, match="is not a WKT POINT"):
        geo.point_wkt("LINESTRING (1 2, 3 4)")


def test_polygon_fields_representative_point_is_inside_a_c_shape():
    # a 'C' whose centroid falls in the notch, outside the polygon
    c_shape = geo.load_geometry(
        "POLYGON ((600000 7800000, 600300 7800000, 600300 7800100, 600100 7800100, 600100 7800200, "
        "600300 7800200, 600300 7800300, 600000 7800300, 600000 7800000))"
    )
    fields = geo.polygon_fields(c_shape)
    x, y = geo.wgs84_to_utm([fields["centroide_lon"]], [fields["centroide_lat"]])
    import shapely

    assert c_shape.contains(shapely.Point(x[0], y[0]))
    assert not c_shape.contains(c_shape.centroid)
    assert json.loads(fields["geometria_geojson"])["type"] == "Polygon"
    assert c_shape.area == pytest.approx(70_000)


def test_geojson_multipolygon_mapping_loads():
    mapping = {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[2, 2], [3, 2], [3, 3], [2, 2]]]]}
    assert geo.load_geometry(mapping).geom_type == "MultiPolygon"


def test_bad_wkt_is_a_value_error():
    with pytest.raises(ValueError, match="is not a geometry"):
        geo.load_geometry("POLYGON ((1 2, 3")
