"""UTM zone 23S (SIRGAS 2000, EPSG:31983) to and from WGS84 as SQL expressions.

Snyder's transverse Mercator series ("Map Projections: A Working Manual", 1987, pp. 60-64), under
a millimetre inside Belo Horizonte against pyproj. Written with functions both Spark SQL and DuckDB
have (pow, sin, cos, tan, sqrt, degrees, radians), so the Spark columns and the benchmark's DuckDB
baseline compute the same thing, and no Python worker sees a row.
"""

from __future__ import annotations

import math

A = 6378137.0  # GRS80, the SIRGAS 2000 ellipsoid
F_ = 1 / 298.257222101
E2 = F_ * (2 - F_)
EP2 = E2 / (1 - E2)
E1 = (1 - math.sqrt(1 - E2)) / (1 + math.sqrt(1 - E2))
K0 = 0.9996
FALSE_EASTING, FALSE_NORTHING = 500000.0, 10000000.0
CENTRAL_MERIDIAN = -45.0  # zone 23


def _m(phi: str) -> str:
    """Meridian arc length to latitude ``phi`` (radians)."""
    return (f"({A!r} * ((1 - {E2!r}/4 - 3*pow({E2!r},2)/64 - 5*pow({E2!r},3)/256) * {phi}"
            f" - (3*{E2!r}/8 + 3*pow({E2!r},2)/32 + 45*pow({E2!r},3)/1024) * sin(2*{phi})"
            f" + (15*pow({E2!r},2)/256 + 45*pow({E2!r},3)/1024) * sin(4*{phi})"
            f" - (35*pow({E2!r},3)/3072) * sin(6*{phi})))")


def utm_to_wgs84_sql(x: str, y: str) -> tuple[str, str]:
    """(latitude, longitude) in degrees from easting ``x`` and northing ``y`` (null in, null out)."""
    mu = f"(({y} - {FALSE_NORTHING!r}) / {K0!r} / ({A!r} * (1 - {E2!r}/4 - 3*pow({E2!r},2)/64 - 5*pow({E2!r},3)/256)))"
    p1 = (f"({mu} + (3*{E1!r}/2 - 27*pow({E1!r},3)/32) * sin(2*{mu}) + (21*pow({E1!r},2)/16 - 55*pow({E1!r},4)/32)"
          f" * sin(4*{mu}) + (151*pow({E1!r},3)/96) * sin(6*{mu}) + (1097*pow({E1!r},4)/512) * sin(8*{mu}))")
    c1 = f"({EP2!r} * pow(cos({p1}), 2))"
    t1 = f"pow(tan({p1}), 2)"
    n1 = f"({A!r} / sqrt(1 - {E2!r} * pow(sin({p1}), 2)))"
    r1 = f"({A!r} * (1 - {E2!r}) / pow(1 - {E2!r} * pow(sin({p1}), 2), 1.5))"
    d = f"(({x} - {FALSE_EASTING!r}) / ({n1} * {K0!r}))"
    lat = (f"degrees({p1} - ({n1} * tan({p1}) / {r1}) * (pow({d},2)/2 - (5 + 3*{t1} + 10*{c1} - 4*pow({c1},2)"
           f" - 9*{EP2!r}) * pow({d},4)/24 + (61 + 90*{t1} + 298*{c1} + 45*pow({t1},2) - 252*{EP2!r}"
           f" - 3*pow({c1},2)) * pow({d},6)/720))")
    lon = (f"({CENTRAL_MERIDIAN!r} + degrees(({d} - (1 + 2*{t1} + {c1}) * pow({d},3)/6 + (5 - 2*{c1} + 28*{t1}"
           f" - 3*pow({c1},2) + 8*{EP2!r} + 24*pow({t1},2)) * pow({d},5)/120) / cos({p1})))")
    return lat, lon


def wgs84_to_utm_sql(lon: str, lat: str) -> tuple[str, str]:
    """(easting, northing) in metres from ``lon``/``lat`` in degrees."""
    phi = f"radians({lat})"
    n = f"({A!r} / sqrt(1 - {E2!r} * pow(sin({phi}), 2)))"
    t = f"pow(tan({phi}), 2)"
    c = f"({EP2!r} * pow(cos({phi}), 2))"
    a = f"(cos({phi}) * radians({lon} - ({CENTRAL_MERIDIAN!r})))"
    x = (f"({FALSE_EASTING!r} + {K0!r} * {n} * ({a} + (1 - {t} + {c}) * pow({a},3)/6"
         f" + (5 - 18*{t} + pow({t},2) + 72*{c} - 58*{EP2!r}) * pow({a},5)/120))")
    y = (f"({FALSE_NORTHING!r} + {K0!r} * ({_m(phi)} + {n} * tan({phi}) * (pow({a},2)/2"
         f" + (5 - {t} + 9*{c} + 4*pow({c},2)) * pow({a},4)/24"
         f" + (61 - 58*{t} + pow({t},2) + 600*{c} - 330*{EP2!r}) * pow({a},6)/720)))")
    return x, y


def with_wgs84(frame, x: str = "coordenada_x", y: str = "coordenada_y"):
    """``latitude``/``longitude`` columns computed from the UTM columns of a Spark frame."""
    from pyspark.sql import functions as F

    lat, lon = utm_to_wgs84_sql(f"`{x}`", f"`{y}`")
    return frame.withColumn("latitude", F.expr(lat)).withColumn("longitude", F.expr(lon))


def with_utm(frame, lon: str = "longitude", lat: str = "latitude"):
    """``coordenada_x``/``coordenada_y`` computed from the WGS84 columns of a Spark frame."""
    from pyspark.sql import functions as F

    x, y = wgs84_to_utm_sql(f"`{lon}`", f"`{lat}`")
    return frame.withColumn("coordenada_x", F.expr(x)).withColumn("coordenada_y", F.expr(y))
