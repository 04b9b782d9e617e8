"""Curated accidents (si-bol): every year's file through the typed copy, then what is not a
column mapping: the report's date from its timestamp and WGS84 from the UTM columns."""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.utm import with_wgs84

RAW = "acidentes_raw"


def derive(typed):
    """The columns computed from the copied ones (also what the Spark-vs-DuckDB bench times)."""
    from pyspark.sql import functions as F

    return with_wgs84(typed.withColumn("data_boletim", F.to_date("data_hora_boletim")))


def build(ctx) -> TransformOutput:
    files = ctx.raw_files(RAW)
    return TransformOutput(data=derive(ctx.read(RAW)), notes={"raw_files_read": [r.file_name for r in files]})
