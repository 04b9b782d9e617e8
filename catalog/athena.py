"""Athena through pyathena: the aws environment's query engine.

The statement passes the same read-only guard as locally (``sql_guard``), table names are resolved
through the catalog in the same way (a bare name that one database holds, or ``database.table``),
and the ``limit`` is applied in the SQL so Athena stops early. Results are read by pyathena's
pandas cursor (Athena's CSV result file through boto3, so an endpoint setting reaches it; the
Arrow cursor's pyarrow S3 filesystem takes no endpoint) and typed as Athena declares each column,
into a pyarrow table like the local engine's. ``bytes_scanned`` is Athena's ``DataScannedInBytes``; the
details add what the query is billed (at least 10 MB, rounded up to whole MB) and its cost.

The limits are the local engine's: past the statement timeout (or when the asker has gone) the
watchdog stops the query in Athena (``StopQueryExecution``), beside the workgroup's
``BytesScannedCutoffPerQuery``; the result is read up to the row and byte caps.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from catalog.query import SERVED_ZONES, LocalQueryEngine, QueryEngine, QueryError, QueryResult, athena_semantics
from catalog.query_limits import Limits, Watchdog

if TYPE_CHECKING:
    import pyarrow as pa

    from lake.settings import Settings

PRICE_PER_TB_USD = 5.0
MIN_BILLED_BYTES = 10 * 1024 * 1024
MB = 1024 * 1024


def billed_bytes(scanned: int) -> int:
    """Athena bills whole megabytes, at least 10 MB per query."""
    return max(MIN_BILLED_BYTES, math.ceil(scanned / MB) * MB)


def cost_usd(scanned: int) -> float:
    return billed_bytes(scanned) / 1024 ** 4 * PRICE_PER_TB_USD


class AthenaQueryEngine(QueryEngine):
    name = "athena"

    # Name resolution and SHOW (answered from the catalog, Glue's here) are the local engine's
    # own code: they read only ``self.settings`` and the catalog, never DuckDB.
    _prepare = LocalQueryEngine._prepare
    _resolve = LocalQueryEngine._resolve
    _show = LocalQueryEngine._show

    def __init__(self, settings: "Settings", zones: tuple[str, ...] = SERVED_ZONES):
        self.settings = settings
        self.zones = tuple(zones)

    def connect(self):
        from pyathena import connect
        from pyathena.pandas.cursor import PandasCursor

        options = {}
        if self.settings.aws_endpoint_url:
            options["endpoint_url"] = self.settings.aws_endpoint_url
        return connect(
            s3_staging_dir=self.settings.athena_output,  # None: the workgroup's result location
            work_group=self.settings.athena_workgroup,
            region_name=self.settings.aws_region,
            schema_name=self.settings.database("analytics"),
            poll_interval=self.settings.athena_poll_s,
            cursor_class=PandasCursor,
            **options,
        )

    def _run(self, sql: str, limit: int | None, should_stop=None) -> QueryResult:
        from sqlglot import exp

        limits = Limits.from_settings(self.settings)
        prepared = self._prepare(sql, limit)
        if isinstance(prepared, QueryResult):
            return prepared
        statement, entries = prepared
        executed = athena_semantics(statement).sql(dialect="trino")
        rows = limits.row_limit(limit)
        to_run = executed
        if not isinstance(statement, exp.Describe):
            to_run = f"SELECT * FROM ({executed}) AS _bhnav_q LIMIT {rows + 1}"
        started = time.perf_counter()
        table, facts = self._execute(to_run, limits, should_stop)
        truncated = table.num_rows > rows
        if truncated:
            table = table.slice(0, rows)
        scanned = int(facts.get("scanned") or 0)
        return QueryResult(
            columns=list(table.column_names), table=table, bytes_scanned=scanned, engine=self.name, sql=sql,
            executed_sql=to_run, files_scanned=None, elapsed_s=time.perf_counter() - started, truncated=truncated,
            tables=tuple(f"{e.database}.{e.name}" for e in entries),
            details={"query_id": facts.get("query_id"), "workgroup": self.settings.athena_workgroup,
                     "output_location": facts.get("output_location"), "billed_bytes": billed_bytes(scanned),
                     "cost_usd": cost_usd(scanned), "engine_ms": facts.get("engine_ms")},
        )

    def _execute(self, sql: str, limits: Limits, should_stop=None):
        from botocore.exceptions import BotoCoreError, ClientError
        from pyathena.error import Error as AthenaError

        try:
            with self.connect() as connection:
                cursor = connection.cursor()

                def stop() -> None:
                    if cursor.query_id:  # set once StartQueryExecution answered
                        cursor.cancel()  # StopQueryExecution; pyathena's poll then sees CANCELLED

                try:
                    with Watchdog(limits.timeout_s, stop, should_stop) as watchdog:
                        try:
                            cursor.execute(sql)
                        except (AthenaError, ClientError, BotoCoreError):
                            if watchdog.fired:
                                raise watchdog.error() from None
                            raise
                    if watchdog.fired:
                        raise watchdog.error()
                    table = _arrow(cursor.as_pandas(), cursor.description or [])
                    if table.nbytes > limits.max_bytes:
                        raise QueryError(f"the result holds {table.nbytes // 2**20} MB, above the "
                                         f"{limits.max_bytes // 2**20} MB result cap (BHNAV_QUERY_MAX_RESULT_MB); "
                                         "lower the row limit or select fewer columns")
                    facts = {"scanned": cursor.data_scanned_in_bytes, "query_id": cursor.query_id,
                             "output_location": cursor.output_location,
                             "engine_ms": cursor.engine_execution_time_in_millis}
                finally:
                    cursor.close()
        except (AthenaError, ClientError, BotoCoreError) as exc:
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            if "WorkGroup does not exist" in str(exc) or "WorkGroup is not found" in str(exc):
                raise QueryError(
                    f"ATHENA_WORKGROUP={self.settings.athena_workgroup!r} does not exist in {self.settings.aws_region}; "
                    "deploy the stack (bhnav deploy stack) or set ATHENA_WORKGROUP to an existing workgroup") from None
            raise QueryError(f"Athena could not run the query: {lines[0] if lines else type(exc).__name__}") from None
        return table, facts


def _arrow(frame, description) -> "pa.Table":
    """The pandas result as Arrow, each column of the type Athena declares (``catalog.arrow_types``)."""
    import pyarrow as pa

    names, arrays = [], []
    for index, column in enumerate(description):
        name, type_code, precision, scale = column[0], column[1], column[4], column[5]
        array = pa.array(frame.iloc[:, index], from_pandas=True)
        wanted = result_type(type_code, precision, scale)
        if wanted is not None and array.type != wanted:
            array = array.cast(wanted)
        names.append(name)
        arrays.append(array)
    return pa.Table.from_arrays(arrays, names=names)


def result_type(type_code: str, precision: int | None, scale: int | None):
    """Athena's result type name as an Arrow type; None for types kept as pandas read them."""
    from catalog.arrow_types import arrow_type

    name = (type_code or "").lower()
    if name == "decimal":
        return arrow_type(f"decimal({precision},{scale})")
    name = {"varchar": "string", "char": "string", "integer": "int", "real": "float"}.get(name, name)
    try:
        return arrow_type(name)
    except ValueError:
        return None  # arrays, maps, rows, varbinary...
