"""Glue/Athena column types as Arrow types: how the query side types a table's columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assets.asset import Asset


def arrow_type(glue_type: str):
    """Delta's ``timestamp`` is an instant: UTC microseconds, as Spark writes it."""
    import pyarrow as pa

    simple = {"string": pa.string(), "int": pa.int32(), "bigint": pa.int64(), "double": pa.float64(),
              "float": pa.float32(), "boolean": pa.bool_(), "date": pa.date32(),
              "timestamp": pa.timestamp("us", tz="UTC")}
    normalized = glue_type.replace(" ", "").lower()
    if normalized in simple:
        return simple[normalized]
    if normalized.startswith("decimal(") and normalized.endswith(")"):
        precision, scale = normalized[len("decimal("):-1].split(",")
        return pa.decimal128(int(precision), int(scale))
    raise ValueError(f"Glue type {glue_type!r} has no Arrow equivalent here")


def arrow_schema(asset: "Asset"):
    import pyarrow as pa

    return pa.schema([pa.field(c.name, arrow_type(c.type), nullable=True) for c in asset.schema])


def arrow_table(asset: "Asset", rows: list[dict[str, Any]]):
    """Rows (dicts) typed by the asset's schema; absent columns are null and the time partitions
    ``ano``/``mes``/``dia`` are derived from the partitioning's date column when missing."""
    import pyarrow as pa

    date_column = asset.partitioning.date_column
    time_parts = [c for c in ("ano", "mes", "dia") if c in asset.partitioning.columns]
    filled = []
    for row in rows:
        row = dict(row)
        day = row.get(date_column) if date_column else None
        if day is not None:
            for part, value in zip(("ano", "mes", "dia"), (day.year, day.month, day.day)):
                if part in time_parts:
                    row.setdefault(part, value)
        filled.append({c.name: row.get(c.name) for c in asset.schema})
    return pa.Table.from_pylist(filled, schema=arrow_schema(asset))
