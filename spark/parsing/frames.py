"""pandas frames shaped for Spark's Arrow conversion from an asset's column types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import pandas as pd

    from assets.asset import Asset

TIME_PARTITIONS = ("ano", "mes", "dia")


def output_columns(asset: "Asset") -> list[tuple[str, str]]:
    """(name, Glue type) of what a transform returns: every column but the derived time partitions."""
    derived = set(asset.partitioning.time_columns) if asset.partitioning.date_column else set()
    return [(c.name, c.type) for c in asset.schema if c.name not in derived]


def ddl(columns: Iterable[tuple[str, str]]) -> str:
    """A Spark DDL schema; the Glue type names we use are also Spark's."""
    return ", ".join(f"`{name}` {glue_type}" for name, glue_type in columns)


def typed_frame(rows: list[dict], columns: list[tuple[str, str]]) -> "pd.DataFrame":
    """Rows of Python values as a frame Arrow converts to the declared types (None stays null)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=[name for name, _ in columns]) if rows else pd.DataFrame(
        {name: pd.Series(dtype="object") for name, _ in columns}
    )
    for name, glue_type in columns:
        if glue_type == "timestamp":
            frame[name] = pd.to_datetime(frame[name])
        elif glue_type in ("int", "bigint"):
            frame[name] = pd.array(frame[name], dtype="Int64")
        elif glue_type == "double":
            frame[name] = pd.to_numeric(frame[name], errors="raise").astype("float64")
    return frame
