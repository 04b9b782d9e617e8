"""The quarantine: rows that could not be parsed or typed, one Delta table per asset.

Each successful materialisation replaces its asset's quarantine with the rows rejected by that
run (the transform's own rejects plus the rows that failed type enforcement), so the table
always explains the current curated table: published + quarantined = rows read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lake import locations
from spark.context import QUARANTINE_COLUMNS

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from assets.asset import Asset
    from lake.settings import Settings


def combine(asset: "Asset", transform_rejects: "DataFrame | None", type_rejects: "DataFrame",
            run_started: str) -> "DataFrame":
    """Both kinds of rejects in the quarantine layout, with the asset and the run's start."""
    from pyspark.sql import functions as F

    def normalised(df: "DataFrame") -> "DataFrame":
        missing = [c for c in QUARANTINE_COLUMNS if c not in df.columns]
        if missing:
            raise ValueError(
                f"Asset {asset.name!r}: the transform's quarantine lacks {', '.join(missing)}; "
                f"give it the columns {', '.join(QUARANTINE_COLUMNS)}."
            )
        return df.select(
            F.col("_file").cast("string").alias("raw_file"),
            F.col("_line").cast("bigint").alias("line_number"),
            F.col("reason").cast("string").alias("reason"),
            F.col("raw_line").cast("string").alias("raw_line"),
        )

    rows = normalised(type_rejects)
    if transform_rejects is not None:
        rows = normalised(transform_rejects).unionByName(rows)
    return rows.select(
        F.lit(asset.name).alias("asset"), "raw_file", "line_number", "reason", "raw_line",
        F.lit(run_started).cast("timestamp").alias("quarantined_at"),
    )


def write_quarantine(rows: "DataFrame", asset: "Asset", settings: "Settings") -> None:
    from spark.writer import overwrite_unpartitioned

    overwrite_unpartitioned(rows, locations.quarantine_uri(asset, settings))


def read_quarantine(spark, asset: "Asset", settings: "Settings") -> "DataFrame | None":
    from delta.tables import DeltaTable

    path = locations.spark_path(locations.quarantine_uri(asset, settings))
    if not DeltaTable.isDeltaTable(spark, path):
        return None
    return spark.read.format("delta").load(path)
