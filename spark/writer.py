"""Delta writes: one transaction per publication, partitions replaced, never duplicated.

- Partitioned table, same layout as before: dynamic partition overwrite. The commit replaces
  exactly the partitions present in the new data and leaves the others; a rerun of a partition
  replaces it.
- New table, unpartitioned table, or a changed layout (partition columns, dropped or retyped
  columns, accepted by the catalog's schema rules): a full overwrite with the new schema.
- New nullable columns only: dynamic overwrite with ``mergeSchema``.

Delta writes the data files first and makes them visible with one atomic commit of the log, so
a reader (or a process killed half-way) sees the previous version or the new one, never half.
Files are few: the data is repartitioned by the partition columns (one task per partition) and
capped at ``maxRecordsPerFile`` derived from ``settings.target_file_size_mb``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lake import locations

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

    from assets.asset import Asset
    from lake.settings import Settings

# Rough snappy-compressed bytes per value, by type: enough to turn a file size into a row cap.
_BYTES_PER_VALUE = {"string": 12, "double": 6, "bigint": 5, "timestamp": 5, "int": 3, "date": 2, "boolean": 1}


@dataclass(frozen=True)
class WriteResult:
    version: int
    partitions: tuple[str, ...]
    mode: str  # dynamic | replace (replaceWhere of periods) | overwrite


def max_records_per_file(asset: "Asset", target_file_size_mb: int) -> int:
    row_bytes = sum(_BYTES_PER_VALUE.get(c.type, 8) for c in asset.schema)
    return max(10_000, int(target_file_size_mb * 1024 * 1024 / max(row_bytes, 1)))


def partition_label(columns: tuple[str, ...]) -> "Column":
    """A row's Hive-style partition, ``ano=2019/mes=1``; aggregate it with ``collect_set``."""
    from pyspark.sql import functions as F

    return F.concat_ws("/", *[
        F.concat(F.lit(f"{c}="), F.coalesce(F.col(c).cast("string"), F.lit("__HIVE_DEFAULT_PARTITION__")))
        for c in columns
    ])


def partition_values(df: "DataFrame", columns: tuple[str, ...]) -> tuple[str, ...]:
    """``("ano=2019/mes=1", ...)``: the partitions present in ``df``."""
    from pyspark.sql import functions as F

    if not columns:
        return ()
    return tuple(sorted(df.agg(F.collect_set(partition_label(columns))).first()[0]))


def current_layout(spark: "SparkSession", path: str) -> tuple[dict[str, str], tuple[str, ...]] | None:
    """The existing table's column types and partition columns; None when there is no table."""
    from delta.tables import DeltaTable

    if not DeltaTable.isDeltaTable(spark, path):
        return None
    detail = DeltaTable.forPath(spark, path).detail().select("partitionColumns").first()
    fields = {f.name: f.dataType.simpleString() for f in spark.read.format("delta").load(path).schema}
    return fields, tuple(detail["partitionColumns"])


def write_mode(existing, df: "DataFrame", partition_columns: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """How to write: ``(mode, options)`` from the existing table (if any) and the new data."""
    full = {"overwriteSchema": "true", "partitionOverwriteMode": "static"}
    if existing is None or not partition_columns:
        return "overwrite", full
    fields, existing_partitions = existing
    new_fields = {f.name: f.dataType.simpleString() for f in df.schema}
    same_layout = existing_partitions == partition_columns
    kept = all(new_fields.get(name) == kind for name, kind in fields.items())
    if same_layout and kept and set(new_fields) == set(fields):
        return "dynamic", {"partitionOverwriteMode": "dynamic"}
    if same_layout and kept:  # only new columns: old partitions read them as null
        return "dynamic", {"partitionOverwriteMode": "dynamic", "mergeSchema": "true"}
    return "overwrite", full


def write_table(df: "DataFrame", asset: "Asset", settings: "Settings", *,
                partitions: tuple[str, ...] | None = None, replace=()) -> WriteResult:
    """Publish ``df`` as the asset's table; ``partitions`` (when known) saves a pass over the data.

    ``replace`` (periods) replaces exactly those periods' time partitions (``replaceWhere``),
    the other partitions keeping their files, when the table exists with the same layout."""
    from spark.increments import replace_predicate

    from delta.tables import DeltaTable
    from pyspark.sql import functions as F

    spark = df.sparkSession
    path = locations.spark_path(locations.table_uri(asset, settings))
    partition_columns = asset.partitioning.columns
    mode, options = write_mode(current_layout(spark, path), df, partition_columns)
    if partitions is None:
        partitions = partition_values(df, partition_columns)
    if partition_columns:
        # One task per partition value, so each partition gets one file (or a few, capped below).
        df = df.repartition(*[F.col(c) for c in partition_columns])
    else:
        df = df.coalesce(1)
    writer = (df.write.format("delta").mode("overwrite")
              .option("maxRecordsPerFile", max_records_per_file(asset, settings.target_file_size_mb))
              .option("userMetadata", f"bhnav:{asset.name}:{asset.code_version}"))
    if replace and mode == "dynamic":
        mode, options = "replace", {"replaceWhere": replace_predicate(asset, tuple(replace)),
                                    **({"mergeSchema": "true"} if "mergeSchema" in options else {})}
    for key, value in options.items():
        writer = writer.option(key, value)
    if partition_columns:
        writer = writer.partitionBy(*partition_columns)
    writer.save(path)
    version = DeltaTable.forPath(spark, path).history(1).select("version").first()[0]
    return WriteResult(version=int(version), partitions=partitions, mode=mode)


def overwrite_unpartitioned(df: "DataFrame", uri: str) -> int:
    """Replace a small table in one commit (the quarantine tables); returns the Delta version."""
    from delta.tables import DeltaTable

    path = locations.spark_path(uri)
    (df.coalesce(1).write.format("delta").mode("overwrite").option("overwriteSchema", "true")
     .option("partitionOverwriteMode", "static").save(path))
    return int(DeltaTable.forPath(df.sparkSession, path).history(1).select("version").first()[0])
