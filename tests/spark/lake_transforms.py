"""Transforms of the small assets the runtime tests declare (tests/spark/extra_assets/).

Real transforms, written the way the city's are: the raw file goes through the shared reader
(deliberate decoding, the header check, per-row typing into quarantine).
"""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.frames import output_columns
from spark.parsing.reader import read_delimited
from spark.parsing.record import Record


def _visit(r: Record) -> dict:
    return {
        "id": r.require("ID", r.int("ID")),
        "data": r.date("DATA"),
        "bairro": r.text("BAIRRO"),
        # Kept as text: the runtime's type enforcement is what rejects a non-number here.
        "visitantes": r.text("VISITANTES"),
        "email": r.text("EMAIL"),
        "telefone": r.text("TELEFONE"),
    }


def build_visitas(ctx) -> TransformOutput:
    raw = ctx.raw("visitas_raw")
    columns = [(name, "string" if name == "visitantes" else kind) for name, kind in output_columns(ctx.asset)]
    parsed = read_delimited(ctx.spark, raw, ctx.asset.name, columns, _visit)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine, notes={"raw_file": raw.file_name})


def build_volume(ctx) -> TransformOutput:
    """``rows;tag`` in the raw file → that many rows spread over 1,000 days (1,000 partitions)."""
    from pyspark.sql import functions as F

    raw = ctx.raw("volume_raw")
    spec = ctx.spark.read.option("sep", ";").option("header", True).csv(raw.uri).first()
    rows, tag = int(spec["ROWS"]), spec["TAG"]
    data = ctx.spark.range(rows).select(
        F.col("id"),
        F.date_add(F.lit("2021-01-01").cast("date"), (F.col("id") % 1000).cast("int")).alias("dia_ref"),
        F.lit(tag).alias("tag"),
        F.sha2(F.col("id").cast("string"), 256).alias("payload"),
    )
    return TransformOutput(data=data)


def build_ocorrencias(ctx):
    from pyspark.sql import functions as F

    return TransformOutput(data=ctx.read("ocorrencias_raw").withColumn("data", F.to_date("data_hora")))
