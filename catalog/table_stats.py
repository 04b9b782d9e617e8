"""Facts about a Delta table read from its log alone (no data file is opened).

The log lists every live file with its partition values, size, row count and per-column min/max,
so partitions, rows and the newest date cost one log read, locally or on S3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lake.settings import Settings


@dataclass(frozen=True)
class DeltaStats:
    version: int
    files: int
    bytes: int
    rows: int | None
    partitions: int
    newest_date: date | None
    time_partitions: tuple[tuple, ...] = ()  # the distinct (ano[, mes[, dia]]) values of the live files


def storage_options(settings: "Settings") -> dict[str, str]:
    options = {"AWS_REGION": settings.aws_region}
    if settings.s3_endpoint_url:
        options.update(AWS_ENDPOINT_URL=settings.s3_endpoint_url, AWS_ALLOW_HTTP="true")
    return options


def delta_stats(uri: str, settings: "Settings", date_column: str | None = None,
                time_columns: tuple[str, ...] = ()) -> DeltaStats | None:
    """The table's stats, or None when no Delta table exists at ``uri`` yet."""
    import pyarrow as pa
    from deltalake import DeltaTable
    from deltalake.exceptions import TableNotFoundError

    from lake.locations import local_path

    if uri.startswith("file:"):
        path = local_path(uri)
        if not (path / "_delta_log").is_dir():
            return None
        location, options = str(path), None
    else:
        location, options = uri, storage_options(settings)
    try:
        table = DeltaTable(location, storage_options=options)
    except TableNotFoundError:
        return None
    actions = pa.table(table.get_add_actions(flatten=True))
    names = actions.column_names
    partition_columns = [n for n in names if n.startswith("partition.")]
    if partition_columns and actions.num_rows:
        partitions = len(set(zip(*(actions.column(n).to_pylist() for n in partition_columns))))
    else:
        partitions = 1 if actions.num_rows else 0
    time_values = ()
    if time_columns and all(f"partition.{c}" in names for c in time_columns):
        time_values = tuple(sorted(set(zip(*(actions.column(f"partition.{c}").to_pylist() for c in time_columns))),
                                   key=lambda v: tuple(-1 if x is None else int(x) for x in v)))
    counts = actions.column("num_records").to_pylist() if "num_records" in names else []
    rows = sum(counts) if counts and None not in counts else None
    newest = None
    if date_column and f"max.{date_column}" in names:
        values = [v for v in actions.column(f"max.{date_column}").to_pylist() if v is not None]
        if values:
            newest = max(values)
            newest = newest.date() if isinstance(newest, datetime) else newest
    return DeltaStats(
        version=table.version(), files=actions.num_rows, bytes=sum(actions.column("size_bytes").to_pylist()),
        rows=rows, partitions=partitions, newest_date=newest, time_partitions=time_values,
    )
