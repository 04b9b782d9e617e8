"""SQL over the lake in Athena's dialect: DuckDB over the Delta tables locally, Athena in AWS.

``get_query_engine(settings).run(sql, limit=None)`` is what the app and ``bhnav query`` call. The
local engine parses the Trino SQL (refusing anything but a query, see ``sql_guard``), resolves
table names through the catalog as Athena does (``bhnav_curated.acidentes``, or a bare name
that only one database holds), opens each referenced Delta table as a pyarrow dataset (DuckDB
pushes filters into it, so partition filters skip whole files) and runs the transpiled SQL.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from catalog.sql_guard import QueryError, ReadOnlyQueryError, first_keyword, parse_read_only, table_references

if TYPE_CHECKING:
    import pyarrow as pa

    from catalog.base import TableEntry
    from lake.settings import Settings

__all__ = ["QueryEngine", "QueryError", "QueryResult", "ReadOnlyQueryError", "get_query_engine"]

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
    name: str

    @abstractmethod
    def run(self, sql: str, limit: int | None = None) -> QueryResult:
        """Run one read-only Athena (Trino) SQL statement; ``ReadOnlyQueryError`` for DDL/DML."""


def get_query_engine(settings: "Settings | None" = None) -> QueryEngine:
    from lake.settings import get_settings

    settings = settings or get_settings()
    if settings.is_aws:
        try:
            from catalog.athena import AthenaQueryEngine
        except ImportError as exc:
            raise NotImplementedError(
                "The Athena query engine (catalog/athena.py) is not available in this build; use BHNAV_ENV=local."
            ) from exc
        return AthenaQueryEngine(settings)
    return LocalQueryEngine(settings)


class LocalQueryEngine(QueryEngine):
    name = "duckdb"

    def __init__(self, settings: "Settings", threads: int = 2):
        self.settings = settings
        self.threads = threads

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
                known = ", ".join(sorted(f"{e.database}.{e.name}" for e in entries)[:12]) or "none registered yet"
                raise QueryError(f"table {shown} is not in the catalog. Known tables: {known}")
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
        columns, rows = show.answer(sql, get_catalog(self.settings).list_tables(),
                                    [self.settings.database(z) for z in ZONES])
        truncated = limit is not None and len(rows) > limit
        rows = rows[:limit] if limit is not None else rows
        table = pa.table({c: pa.array([r[i] for r in rows], type=pa.string()) for i, c in enumerate(columns)})
        return QueryResult(columns=columns, table=table, bytes_scanned=0, engine=self.name, sql=sql,
                           executed_sql=sql.strip(), files_scanned=0, elapsed_s=time.perf_counter() - started,
                           truncated=truncated)

    def run(self, sql: str, limit: int | None = None) -> QueryResult:
        import duckdb
        from sqlglot import exp

        from catalog.duckdb_tables import attach_delta, attach_raw, lock_down
        from catalog.scan_meter import ScanMeter

        prepared = self._prepare(sql, limit)
        if isinstance(prepared, QueryResult):
            return prepared
        statement, entries = prepared
        executed = athena_semantics(statement).sql(dialect="duckdb")
        meter = ScanMeter()
        started = time.perf_counter()
        con = duckdb.connect(":memory:", config={"threads": self.threads})
        try:
            readable: list[str] = []
            for entry in entries:
                if entry.table_type == "DELTA":
                    attach_delta(con, entry, meter)
                else:
                    readable.append(attach_raw(con, entry, meter))
            lock_down(con, readable)
            to_run = executed
            if limit is not None and not isinstance(statement, exp.Describe):
                to_run = f"SELECT * FROM ({executed}) AS _bhnav_q LIMIT {limit + 1}"
            try:
                cursor = con.execute(to_run)
                types = [str(d[1]) for d in cursor.description or ()]
                table = _athena_types(cursor.fetch_arrow_table(), types)
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0]
                raise QueryError(f"the query failed: {first}") from None
        finally:
            con.close()
        truncated = limit is not None and table.num_rows > limit
        if truncated:
            table = table.slice(0, limit)
        return QueryResult(
            columns=list(table.column_names), table=table, bytes_scanned=meter.bytes_scanned, engine=self.name,
            sql=sql, executed_sql=executed, files_scanned=meter.files_read,
            elapsed_s=time.perf_counter() - started, truncated=truncated,
            tables=tuple(f"{e.database}.{e.name}" for e in entries),
            details={"file_bytes": meter.file_bytes, "files": meter.files, "scans": meter.scans},
        )


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
