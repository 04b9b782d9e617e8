"""Schema enforcement: a transform's output made exactly the asset's table, or quarantined.

The one home of the time-partition derivation: ``ano``/``mes``/``dia`` come from the asset's
declared date column at its grain, here and nowhere else. Rows whose values cannot take the
declared type (a cast that yields null from a non-empty value), whose partition date is null, or
whose non-nullable column is null are not published: they leave with a reason, their raw file and
line (when the transform carries ``_file``/``_line``) for the quarantine table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spark.context import QUARANTINE_COLUMNS

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

    from assets.asset import Asset

# Provenance a transform may carry on its data rows; the runtime drops them before writing.
# ``_reason`` (why the typed copy could not read the row) and ``_raw`` (its text) come from
# spark.parsing.typed_copy: such a row is quarantined with that reason and text.
PROVENANCE = ("_file", "_line", "_reason", "_raw")
_REASON = "_reject_reason"
_TIME_FUNCTIONS = {"ano": "year", "mes": "month", "dia": "dayofmonth"}


class TransformOutputError(ValueError):
    """The transform's DataFrame lacks declared columns: a bug in the transform, not in the data."""


@dataclass
class Enforced:
    data: "DataFrame"  # the declared columns, typed, in order
    rejected: "DataFrame"  # QUARANTINE_COLUMNS
    staged: "DataFrame"  # what both are filtered from: persist it to compute the transform once


def time_partition_exprs(asset: "Asset") -> dict[str, "Column"]:
    """``{"ano": year(date_col), ...}`` at the asset's grain; empty when it has no date partition."""
    from pyspark.sql import functions as F

    part = asset.partitioning
    if not part.date_column:
        return {}
    return {name: getattr(F, _TIME_FUNCTIONS[name])(F.col(part.date_column)).cast("int")
            for name in part.time_columns}


def within_periods(day: "Column", periods) -> "Column":
    """True for rows whose date ``day`` lies in one of ``periods``."""
    from pyspark.sql import functions as F

    day = day.cast("date")
    test = F.lit(False)
    for p in periods:
        test = test | day.between(F.lit(p.start), F.lit(p.end))
    return test


def enforce_schema(df: "DataFrame", asset: "Asset", *, default_file: str | None = None,
                   within=(), quarantine_outside: bool = False) -> Enforced:
    """``within`` (periods) keeps only rows dated inside them: the partitions this run replaces.
    Rows outside are dropped (a backfill reads whole files for part of their span), or quarantined
    with ``quarantine_outside`` (a file's row dated outside the period its name says it covers)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    time_columns = set(asset.partitioning.time_columns)
    wanted = [c for c in asset.schema if c.name not in time_columns]
    missing = [c.name for c in wanted if c.name not in df.columns]
    if missing:
        raise TransformOutputError(
            f"Asset {asset.name!r}: the transform returned no column {', '.join(missing)} "
            f"(it returned {', '.join(df.columns)}); return every declared column except {', '.join(sorted(time_columns)) or 'none'}."
        )
    source_types = dict(df.dtypes)
    typed: dict[str, Column] = {}
    problems: list[Column] = []
    for column in wanted:
        source = F.col(f"`{column.name}`")
        if source_types[column.name] == column.type:
            typed[column.name] = source
            continue
        cast = F.expr(f"try_cast(`{column.name}` AS {column.type})")
        typed[column.name] = cast
        present = source.isNotNull()
        if isinstance(df.schema[column.name].dataType, StringType):
            present = present & (F.trim(source) != "")  # an empty text is a missing value, not a bad one
        problems.append(F.when(present & cast.isNull(), F.concat(
            F.lit(f"{column.name}: "), F.substring(source.cast("string"), 1, 80), F.lit(f" is not a {column.type}"))))
    for column in wanted:
        if not column.nullable:
            problems.append(F.when(typed[column.name].isNull(), F.lit(f"{column.name} is null but declared not null")))
    if "_reason" in df.columns:
        problems.insert(0, F.col("_reason"))
    date_column = asset.partitioning.date_column
    if date_column:
        problems.append(F.when(typed[date_column].isNull(),
                               F.lit(f"{date_column} is null: the row has no time partition")))

    if within and quarantine_outside:
        labels = ", ".join(p.label() for p in within)
        problems.append(F.when(~within_periods(typed[date_column], within) & typed[date_column].isNotNull(),
                               F.concat(F.lit(f"{date_column} "), typed[date_column].cast("string"),
                                        F.lit(f" is outside {labels}, the period its file covers"))))
    elif within:
        df = df.where(within_periods(F.col(date_column), within) | F.col(date_column).isNull())
    provenance = [F.col(c) for c in ("_file", "_line") if c in df.columns]
    # The original values, for the quarantine's raw_line: the line's text when the typed copy
    # kept it, else the values as JSON (PII columns left out either way).
    values = F.to_json(F.struct(*[F.col(f"`{c.name}`") for c in wanted if not c.pii]))
    staged = df.select(
        *[typed[c.name].alias(c.name) for c in wanted],
        *provenance,
        (F.coalesce(F.col("_raw"), values) if "_raw" in df.columns else values).alias("_values"),
        (F.concat_ws("; ", *problems) if problems else F.lit("")).alias(_REASON),
    )
    # Time partitions derived from the typed date column, then the declared order.
    parts = time_partition_exprs(asset)
    ordered = [parts[c.name].alias(c.name) if c.name in parts else F.col(f"`{c.name}`") for c in asset.schema]
    data = staged.where(F.col(_REASON) == "").select(*ordered)
    file_expr = F.col("_file") if "_file" in df.columns else F.lit(default_file).cast("string")
    line_expr = F.col("_line").cast("bigint") if "_line" in df.columns else F.lit(None).cast("bigint")
    rejected = staged.where(F.col(_REASON) != "").select(
        file_expr.alias("_file"), line_expr.alias("_line"), F.col(_REASON).alias("reason"),
        F.col("_values").alias("raw_line"),
    )
    assert tuple(rejected.columns) == QUARANTINE_COLUMNS
    return Enforced(data=data, rejected=rejected, staged=staged)
