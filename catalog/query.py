"""SQL over the lake in Athena's dialect: DuckDB over the Delta tables locally, Athena in AWS.

``get_query_engine(settings).run(sql, limit=None, user=None, should_stop=None)`` is what the app
and ``bhnav query`` call. The local engine parses the Trino SQL (refusing anything but a query, see
``sql_guard``), resolves table names through the catalog as Athena does (``bhnav_curated.acidentes``,
or a bare name that only one database holds), opens each referenced Delta table as a pyarrow
dataset (DuckDB pushes filters into it, so partition filters skip whole files) and runs the
transpiled SQL under the limits of ``query_limits``. An engine serves the curated and analytics
zones (as the AWS app role does); raw tables only when built with ``raw=True`` (``bhnav query
--raw``). Every run, refused or not, is written to the query log (``query_log``).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from catalog.query_limits import Limits, QueryCancelledError, QueryTimeoutError, Watchdog, fetch_capped
from catalog.sql_guard import (QueryError, ReadOnlyQueryError, first_keyword, parse_read_only, redact_paths,
                               table_references)

if TYPE_CHECKING:
    import pyarrow as pa

    from catalog.base import TableEntry
    from lake.settings import Settings

__all__ = ["QueryEngine", "QueryError", "QueryResult", "ReadOnlyQueryError", "get_query_engine"]

SERVED_ZONES = ("curated", "analytics")  # what the app (and its AWS role) may read; PII only hashed
ATHENA_CATALOG = "awsdatacatalog"  # Athena's name for the Glue catalog; accepted and ignored locally


@dataclass(frozen=True)
class QueryResult:
    """Rows of one query. ``bytes_scanned`` is Athena's figure in AWS; locally the compressed bytes
    the scans need after partition and statistics pruning (see ``catalog.scan_meter``)."""

    columns: list[str]
    table: "pa.Table"
    bytes_scanned: int
    engine: str
    sql: str
    executed_sql: str
    files_scanned: int | None = None
    elapsed_s: float = 0.0
    truncated: bool = False  # more rows existed than ``limit``
    tables: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return self.table.num_rows

    def to_pandas(self):
        return self.table.to_pandas()

    def records(self) -> list[dict[str, Any]]:
        return self.table.to_pylist()


class QueryEngine(ABC):
    @classmethod
    def from_settings(cls, settings, **options):
        """The instance the environment mapping (lake.resources) builds from the settings."""
        return cls(settings, **options)

    name: str
    settings: "Settings"
    zones: tuple[str, ...] = SERVED_ZONES

    def run(self, sql: str, limit: int | None = None, *, user: str | None = None, source: str = "",
            should_stop: Callable[[], bool] | None = None) -> QueryResult:
        """Run one read-only Athena (Trino) SQL statement under the query limits and log it.

        ``ReadOnlyQueryError`` for DDL/DML; ``QueryTimeoutError`` past the statement timeout;
        ``QueryCancelledError`` once ``should_stop()`` is true (the asker has gone). ``user`` and
        ``source`` (``cli``, ``sql-page``, ``app``) go to the query log."""
        from catalog import query_log

        started = time.perf_counter()
        try:
            try:
                result = self._run(sql, limit, should_stop)
            except RecursionError:
                raise QueryError("the query is nested too deeply to run; name its inner parts with WITH") from None
        except QueryError as exc:
            error = type(exc)(redact_paths(str(exc)))
            query_log.record(self.settings, user=user, sql=sql, engine=self.name, bytes_scanned=None, rows=None,
                             duration_s=time.perf_counter() - started, outcome=_outcome(error), message=str(error), source=source)
            raise error from None
        query_log.record(self.settings, user=user, sql=sql, engine=self.name, bytes_scanned=result.bytes_scanned,
                         rows=result.row_count, duration_s=time.perf_counter() - started, outcome="ok",
                         source=source)
        return result

    @abstractmethod
    def _run(self, sql: str, limit: int | None, should_stop: Callable[[], bool] | None) -> QueryResult:
        """The engine's own run, without the log."""


def _outcome(error: QueryError) -> str:
    if isinstance(error, QueryTimeoutError):
        return "timeout"
    if isinstance(error, QueryCancelledError):
        return "cancelled"
    return "refused" if isinstance(error, ReadOnlyQueryError) else "error"


def get_query_engine(settings: "Settings | None" = None, *, raw: bool = False) -> QueryEngine:
    """The settings' engine over the curated and analytics zones; ``raw=True`` adds the raw zone
    (the command line's explicit ``--raw``: raw tables hold PII in clear)."""
    from lake.settings import get_settings

    from lake.resources import resource

    return resource("query", settings or get_settings(), zones=("raw", *SERVED_ZONES) if raw else SERVED_ZONES)


class LocalQueryEngine(QueryEngine):
    name = "duckdb"

    def __init__(self, settings: "Settings", threads: int = 2, zones: tuple[str, ...] = SERVED_ZONES):
        self.settings = settings
        self.threads = threads
        self.zones = tuple(zones)

    def _prepare(self, sql: str, limit: int | None):
        """The steps every engine takes first, in this order: the limit, SHOW answered from the
        catalog, the read-only guard, then name resolution. A QueryResult for SHOW, else
        (statement, entries)."""
        if limit is not None and limit < 0:
            raise QueryError(f"limit {limit} is negative; pass 0 or more rows")
        if first_keyword(sql) == "SHOW":
            return self._show(sql, limit)
        statement = parse_read_only(sql)
        return statement, self._resolve(statement)

    def _resolve(self, statement) -> list["TableEntry"]:
        """Point every table reference at its catalog table; the entries to open."""
        from catalog.base import get_catalog

        entries = get_catalog(self.settings).list_tables()
        served = {self.settings.database(z) for z in self.zones}
        by_key = {(e.database.lower(), e.name.lower()): e for e in entries}
        by_name: dict[str, list] = {}
        for entry in entries:
            by_name.setdefault(entry.name.lower(), []).append(entry)
        used: dict[tuple[str, str], TableEntry] = {}
        for ref in table_references(statement):
            catalog_part = (ref.catalog or "").lower()
            if catalog_part and catalog_part != ATHENA_CATALOG:
                raise QueryError(f"catalog {ref.catalog!r} is unknown; tables live in {ATHENA_CATALOG} (or name no catalog)")
            name, database = ref.name.lower(), (ref.db or "").lower()
            if database:
                entry = by_key.get((database, name))
            else:
                candidates = by_name.get(name, [])
                if len(candidates) > 1:
                    raise QueryError(f"table {name!r} is in several databases "
                                     f"({', '.join(e.database for e in candidates)}); qualify it")
                entry = candidates[0] if candidates else None
            if entry is None:
                shown = f"{database}.{name}" if database else name
                known = ", ".join(sorted(f"{e.database}.{e.name}" for e in entries if e.database in served)[:12])
                raise QueryError(f"table {shown} is not in the catalog. Known tables: {known or 'none registered yet'}")
            if entry.database not in served:
                raise QueryError(
                    f"table {entry.database}.{entry.name} is in a zone this engine does not serve (it serves "
                    f"{', '.join(self.zones)}): raw tables hold personal data in clear. Query the curated table, "
                    "where it is hashed, or read raw tables from the command line with bhnav query --raw")
            ref.set("catalog", None)
            ref.set("db", _ident(entry.database))
            ref.set("this", _ident(entry.name))
            used[(entry.database, entry.name)] = entry
        return list(used.values())

    def _show(self, sql: str, limit: int | None) -> QueryResult:
        """SHOW statements read only the catalog (as in Athena, they scan no data)."""
        import pyarrow as pa

        from assets.asset import ZONES
        from catalog import show
        from catalog.base import get_catalog

        started = time.perf_counter()
        databases = [self.settings.database(z) for z in ZONES if z in self.zones]
        columns, rows = show.answer(sql, [e for e in get_catalog(self.settings).list_tables() if e.database in databases],
                                    databases)
        truncated = limit is not None and len(rows) > limit
        rows = rows[:limit] if limit is not None else rows
        table = pa.table({c: pa.array([r[i] for r in rows], type=pa.string()) for i, c in enumerate(columns)})
        return QueryResult(columns=columns, table=table, bytes_scanned=0, engine=self.name, sql=sql,
                           executed_sql=sql.strip(), files_scanned=0, elapsed_s=time.perf_counter() - started,
                           truncated=truncated)

    def _run(self, sql: str, limit: int | None, should_stop: Callable[[], bool] | None) -> QueryResult:
        import duckdb
        from sqlglot import exp

        from catalog.duckdb_tables import attach_delta, attach_raw, lock_down
        from catalog.scan_meter import ScanMeter

        limits = Limits.from_settings(self.settings)
        prepared = self._prepare(sql, limit)
        if isinstance(prepared, QueryResult):
            return prepared
        statement, entries = prepared
        executed = athena_semantics(statement).sql(dialect="duckdb")
        rows = limits.row_limit(limit)
        meter = ScanMeter()
        started = time.perf_counter()
        con = duckdb.connect(":memory:", config={"threads": self.threads, "memory_limit": limits.memory_limit})
        try:
            readable: list[str] = []
            for entry in entries:
                if entry.table_type == "DELTA":
                    attach_delta(con, entry, meter)
                else:
                    readable.append(attach_raw(con, entry, meter))
            lock_down(con, readable)
            to_run = executed
            if not isinstance(statement, exp.Describe):
                to_run = f"SELECT * FROM ({executed}) AS _bhnav_q LIMIT {rows + 1}"
            with Watchdog(limits.timeout_s, con.interrupt, should_stop) as watchdog:
                try:
                    cursor = con.execute(to_run)
                    types = [str(d[1]) for d in cursor.description or ()]
                    table, truncated = fetch_capped(cursor.fetch_record_batch(8192), rows, limits.max_bytes)
                    table = _athena_types(table, types)
                except duckdb.Error as exc:
                    if watchdog.fired:
                        raise watchdog.error() from None
                    raise _engine_error(exc, limits) from None
            if watchdog.fired:  # the time ran out as the last rows arrived: the answer may be partial
                raise watchdog.error()
        finally:
            con.close()
        return QueryResult(
            columns=list(table.column_names), table=table, bytes_scanned=meter.bytes_scanned, engine=self.name,
            sql=sql, executed_sql=executed, files_scanned=meter.files_read,
            elapsed_s=time.perf_counter() - started, truncated=truncated,
            tables=tuple(f"{e.database}.{e.name}" for e in entries),
            details={"file_bytes": meter.file_bytes, "files": meter.files, "scans": meter.scans},
        )


def _engine_error(exc: Exception, limits: Limits) -> QueryError:
    first = str(exc).strip().splitlines()[0]
    if "out of memory" in first.lower():
        return QueryError(f"the query needs more than the {limits.memory_limit} memory limit (BHNAV_QUERY_MEMORY): "
                          "select fewer columns, aggregate, or filter on the partition columns (ano, mes)")
    return QueryError(f"the query failed: {first}")


def athena_semantics(statement):
    """Adjust the tree so DuckDB answers as Athena would where the dialects differ.

    - Unnamed output columns are called ``_col0``, ``_col1``... as Athena names them, so code
      reading results by column name works on both engines.
    - ``approx_distinct`` is counted exactly: locally the data is small, and DuckDB's estimate
      differs from Athena's (and Spark's) estimate, while all three approximate the exact count.
    """
    from sqlglot import exp

    def exact(node):
        if isinstance(node, exp.ApproxDistinct):
            return exp.Count(this=exp.Distinct(expressions=[node.this]))
        return node

    statement = statement.transform(exact)
    if isinstance(statement, exp.Select):
        projections = []
        for index, projection in enumerate(statement.expressions):
            if not isinstance(projection, (exp.Alias, exp.Column, exp.Star)):
                projection = exp.alias_(projection, f"_col{index}")
            projections.append(projection)
        statement.set("expressions", projections)
    return statement


def _athena_types(table, duckdb_types: list[str]):
    """DuckDB sums integers into HUGEINT (Arrow decimal(38,0)); Athena returns bigint. Cast back
    when the values fit, so results have the same types on both engines."""
    import pyarrow as pa

    for index, kind in enumerate(duckdb_types):
        if kind == "HUGEINT":
            try:
                table = table.set_column(index, table.field(index).name, table.column(index).cast(pa.int64()))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass  # beyond bigint: keep the exact decimal
    return table


def _ident(name: str):
    from sqlglot import exp

    return exp.to_identifier(name)
