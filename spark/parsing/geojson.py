"""Reading a landed GeoJSON FeatureCollection in Spark: one row per feature, bad features quarantined."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from spark.context import SchemaDriftError
from spark.parsing.decode import decode_text
from spark.parsing.frames import ddl, typed_frame
from spark.parsing.reader import Parsed, file_name, read_bytes
from spark.parsing.record import RowError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from spark.context import RawInput

_TRACE = [("_file", "string"), ("_line", "bigint"), ("_reason", "string"), ("_raw", "string")]


def _features_of(asset: str, encoding: str, expected: tuple[str, ...], columns, feature_row):
    def explode(batches):
        import json

        names = [name for name, _ in columns]
        for batch in batches:
            for path, content in zip(batch["path"], batch["content"]):
                document = json.loads(decode_text(bytes(content), encoding))
                if document.get("type") != "FeatureCollection":
                    raise ValueError(f"Asset {asset!r}: {file_name(path)} is not a GeoJSON FeatureCollection")
                good, trace, bad = [], [], []
                for number, feature in enumerate(document.get("features") or [], start=1):
                    properties = dict(feature.get("properties") or {})
                    properties["geometry"] = feature.get("geometry")
                    try:
                        good.append(feature_row(properties))
                        trace.append((file_name(path), number, None, None))
                    except RowError as exc:
                        bad.append((file_name(path), number, str(exc), json.dumps(feature)[:10_000]))
                frame = typed_frame(good, columns)
                for index, (name, _) in enumerate(_TRACE):
                    frame[name] = [t[index] for t in trace]
                if bad:
                    import pandas as pd

                    quarantined = typed_frame([], columns).reindex(range(len(bad)))
                    for index, (name, _) in enumerate(_TRACE):
                        quarantined[name] = [t[index] for t in bad]
                    frame = pd.concat([frame, quarantined], ignore_index=True)
                yield frame[names + [name for name, _ in _TRACE]]

    return explode


def _first_keys_of(encoding: str):
    def keys(batches):
        import json

        import pandas as pd

        for batch in batches:
            for path, content in zip(batch["path"], batch["content"]):
                features = json.loads(decode_text(bytes(content), encoding)).get("features") or [{}]
                names = [*(features[0].get("properties") or {}), "geometry"]
                yield pd.DataFrame({"path": [path], "keys": ["\n".join(names)]})

    return keys


def check_properties(asset: str, files, encoding: str, expected: tuple[str, ...]) -> None:
    """The first feature's property names are a GeoJSON file's header: checked on the driver,
    so a change fails with a SchemaDriftError naming the columns, before any row is typed."""
    if not expected:
        return
    for row in files.mapInPandas(_first_keys_of(encoding), "path string, keys string").collect():
        found = row["keys"].split("\n")
        missing, extra = sorted(set(expected) - set(found)), sorted(set(found) - set(expected))
        if missing or extra:
            raise SchemaDriftError(asset, file_name(row["path"]), missing, extra)


def read_geojson(
    spark: "SparkSession", raw: "RawInput", asset: str, columns: list[tuple[str, str]], feature_row: Callable[[dict], dict]
) -> Parsed:
    """Typed rows from each feature's properties (plus ``geometry``); ``_line`` is the feature's index."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    source = raw.asset.source
    files = read_bytes(spark, raw.uri).select("path", "content")
    check_properties(asset, files, source.parser.encoding, source.expected_columns)
    explode = _features_of(asset, source.parser.encoding, source.expected_columns, columns, feature_row)
    combined = files.mapInPandas(explode, ddl(columns + _TRACE)).persist(StorageLevel.MEMORY_AND_DISK)
    data = combined.where(F.col("_reason").isNull()).select(*[name for name, _ in columns])
    quarantine = combined.where(F.col("_reason").isNotNull()).select(
        "_file", "_line", F.col("_reason").alias("reason"), F.col("_raw").alias("raw_line")
    )
    return Parsed(data=data, quarantine=quarantine, combined=combined)
