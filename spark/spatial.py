"""Spatial joins in UTM with a shapely STRtree inside mapInPandas.

The polygons (323 bairros) are small: they travel to the executors as a broadcast of WKT and each
Python worker builds its STRtree once. Points are tested with ``intersects`` so a point exactly on
a shared border still lands in one bairro (the first by code), never in none or in two.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_TREES: dict[str, tuple] = {}  # per Python worker: polygon set token → (tree, keys, geometries)


@dataclass(frozen=True)
class PolygonSet:
    """Broadcast polygons and a token naming their content (the worker-side cache key)."""

    broadcast: Any
    token: str


def _tree(polygons: PolygonSet):
    import shapely

    cached = _TREES.get(polygons.token)
    if cached is None:
        value = polygons.broadcast.value
        keys, wkts = zip(*value) if value else ((), ())
        geometries = shapely.from_wkt(list(wkts))
        cached = (shapely.STRtree(geometries), list(keys), geometries)
        _TREES[polygons.token] = cached
    return cached


def broadcast_polygons(spark: "SparkSession", polygons: list[tuple[int, str]]) -> PolygonSet:
    """(key, WKT in UTM) sorted by key, so ties on borders resolve the same way every run."""
    ordered = sorted(polygons)
    token = hashlib.sha256(repr(ordered).encode()).hexdigest()[:16]
    return PolygonSet(broadcast=spark.sparkContext.broadcast(ordered), token=token)


def locate(xs, ys, polygons):
    """The polygon key of each point (None outside every polygon or without coordinates)."""
    import numpy as np
    import shapely

    tree, keys, _ = _tree(polygons)
    x = np.asarray(xs, dtype="float64")
    y = np.asarray(ys, dtype="float64")
    result = [None] * len(x)
    present = ~(np.isnan(x) | np.isnan(y))
    if not present.any():
        return result
    index = np.flatnonzero(present)
    points = shapely.points(x[index], y[index])
    point_idx, poly_idx = tree.query(points, predicate="intersects")
    order = np.lexsort((poly_idx, point_idx))  # per point, the lowest key first (keys are sorted)
    for p, g in zip(point_idx[order][::-1], poly_idx[order][::-1]):
        result[index[p]] = keys[g]
    return result


def assign_polygon(points: "DataFrame", polygons, key: str, x: str = "x", y: str = "y") -> "DataFrame":
    """``points`` with a nullable int column ``key``: the polygon each (x, y) in UTM falls in."""
    from pyspark.sql.types import IntegerType, StructField, StructType

    schema = StructType(points.schema.fields + [StructField(key, IntegerType(), True)])

    def assign(batches):
        import pandas as pd

        for batch in batches:
            batch[key] = pd.array(locate(batch[x], batch[y], polygons), dtype="Int64")
            yield batch

    return points.mapInPandas(assign, schema)


def apportion(areas: "DataFrame", polygons, key: str, wkt: str, value: str) -> "DataFrame":
    """Split each source polygon's ``value`` over the target polygons by overlap area (in UTM).

    Returns (key, share); the part of a source polygon outside every target gets key null, so the
    loss is visible instead of silently dropped.
    """
    from pyspark.sql.types import DoubleType, IntegerType, StructField, StructType

    schema = StructType([StructField(key, IntegerType(), True), StructField("share", DoubleType(), True)])

    def split(batches):
        import pandas as pd
        import shapely

        tree, keys, targets = _tree(polygons)
        for batch in batches:
            out_keys, shares = [], []
            for text, amount in zip(batch[wkt], batch[value]):
                if text is None or pd.isna(amount):
                    continue
                source = shapely.make_valid(shapely.from_wkt(text))
                total = source.area
                if total <= 0:
                    continue
                inside = 0.0
                for g in tree.query(source, predicate="intersects"):
                    overlap = shapely.intersection(source, targets[g]).area
                    if overlap > 0:
                        out_keys.append(keys[g])
                        shares.append(float(amount) * overlap / total)
                        inside += overlap
                if inside < total * 0.999999:
                    out_keys.append(None)
                    shares.append(float(amount) * (1 - min(inside / total, 1.0)))
            yield pd.DataFrame({key: pd.array(out_keys, dtype="Int64"), "share": pd.Series(shares, dtype="float64")})

    return areas.select(wkt, value).mapInPandas(split, schema)


def overlap_pairs(sources, tree, keys, targets):
    """(source key, target key, overlap m², source m²) of every source polygon and each target it
    overlaps; the part of a source outside every target comes once more with target key None.
    ``sources`` yields (key, WKT in UTM); pure shapely, shared by the Spark pass and the tests."""
    import shapely

    for source_key, text in sources:
        if text is None:
            continue
        source = shapely.make_valid(shapely.from_wkt(text))
        total = source.area
        if total <= 0:
            continue
        inside = 0.0
        for g in tree.query(source, predicate="intersects"):
            overlap = shapely.intersection(source, targets[g]).area
            if overlap > 0:
                inside += overlap
                yield source_key, keys[g], overlap, total
        if inside < total * 0.999999:
            yield source_key, None, max(total - inside, 0.0), total


def overlaps(areas: "DataFrame", polygons, source_key: str, wkt: str, key: str) -> "DataFrame":
    """Every (``source_key``, ``key``) pair of overlapping polygons with the overlap's area and the
    source polygon's, in m² (UTM): the input of an area overlay weighted as the caller needs
    (households over bairros, the largest overlap for a regional). A source's part outside every
    target polygon comes with ``key`` null, so nothing is lost silently."""
    from pyspark.sql.types import DoubleType, LongType, StructField, StructType

    schema = StructType([
        StructField(source_key, LongType(), True), StructField(key, LongType(), True),
        StructField("area_sobreposta_m2", DoubleType(), True), StructField("area_origem_m2", DoubleType(), True),
    ])

    def split(batches):
        import pandas as pd

        tree, keys, targets = _tree(polygons)
        for batch in batches:
            rows = list(overlap_pairs(zip(batch[source_key], batch[wkt]), tree, keys, targets))
            frame = pd.DataFrame(rows, columns=[source_key, key, "area_sobreposta_m2", "area_origem_m2"])
            yield frame.astype({source_key: "Int64", key: "Int64", "area_sobreposta_m2": "float64",
                                "area_origem_m2": "float64"})

    return areas.select(source_key, wkt).mapInPandas(split, schema)
