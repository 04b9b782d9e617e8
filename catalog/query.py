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

        from catalog.scan_meter import ScanMeter

        if limit is not None and limit < 0:
            raise QueryError(f"limit {limit} is negative; pass 0 or more rows")
        if first_keyword(sql) == "SHOW":
            return self._show(sql, limit)
        statement = parse_read_only(sql)
        entries = self._resolve(statement)
        executed = athena_semantics(statement).sql(dialect="duckdb")
        meter = ScanMeter()
        started = time.perf_counter()
        con = duckdb.connect(":memory:", config={"threads": self.threads})
        try:
            readable: list[str] = []
            for entry in entries:
                if entry.table_type == "DELTA":
                    _attach_table(con, entry, meter)
                else:
                    readable.append(_attach_raw(con, entry, meter))
            _lock_down(con, readable)
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


def _attach_table(con, entry: "TableEntry", meter) -> None:
    """Expose ``entry`` as the view ``<database>.<table>`` over a metered dataset."""
    dataset = open_dataset(entry, meter)
    hidden = f"__{entry.database}__{entry.name}"
    con.register(hidden, dataset)
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{entry.database}"')
    con.execute(f'CREATE VIEW "{entry.database}"."{entry.name}" AS SELECT * FROM "{hidden}"')


def open_dataset(entry: "TableEntry", meter):
    """The table's current Delta snapshot as a pyarrow dataset whose reads ``meter`` counts."""
    import pyarrow.fs as pafs
    from deltalake import DeltaTable

    from catalog.scan_meter import MeteredDataset
    from lake.locations import local_path

    path = local_path(entry.location)
    if not (path / "_delta_log").is_dir():
        raise QueryError(f"table {entry.database}.{entry.name} has no data yet at {path}: "
                         f"materialise it first (bhnav materialize --select {entry.name})")
    # A native filesystem: deltalake's default one calls back into Python from Arrow's threads.
    filesystem = pafs.SubTreeFileSystem(str(path), pafs.LocalFileSystem())
    dataset = DeltaTable(str(path)).to_pyarrow_dataset(filesystem=filesystem)
    return MeteredDataset.wrap(dataset, meter, label=f"{entry.database}.{entry.name}")


def _attach_raw(con, entry: "TableEntry", meter) -> str:
    """Expose a raw table as Athena's CSV SerDe shows it: every column a string, the header skipped,
    ``ingest_date`` from the folder name. Returns the folder DuckDB must still be allowed to read.
    Raw files cannot be pruned inside, so each landed file counts whole in the bytes scanned."""
    from lake.locations import local_path

    parameters = entry.parameters
    name = f"{entry.database}.{entry.name}"
    if parameters.get("bhnav.parser.format", "csv") != "csv":
        raise QueryError(f"table {name} holds raw {parameters.get('bhnav.parser.format')} files, which the local "
                         "engine does not read; query its curated table instead")
    folder = local_path(entry.location)
    files = sorted(p for p in folder.glob("ingest_date=*/*") if p.is_file() and not p.name.startswith(("_", ".")))
    if not files:
        raise QueryError(f"table {name} has no landed file yet under {folder}: land it first "
                         f"(bhnav materialize --select {entry.name})")
    meter.add({f"{name}/{p.relative_to(folder)}": p.stat().st_size for p in files}, sum(p.stat().st_size for p in files))
    encoding = "utf-8" if parameters.get("bhnav.parser.encoding", "utf-8").startswith("utf-8") else "latin-1"
    serde = entry.table_input["StorageDescriptor"].get("SerdeInfo", {}).get("Parameters", {})
    names = [c["Name"] for c in entry.columns]
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{entry.database}"')
    # DDL takes no prepared parameters: every value is written as an escaped SQL literal.
    options = {
        "delim": _sql_str(serde.get("separatorChar", ";")), "quote": _sql_str(serde.get("quoteChar", '"')),
        "header": "true", "names": _sql_list(names), "all_varchar": "true", "encoding": _sql_str(encoding),
        "null_padding": "true", "hive_partitioning": "true", "hive_types": "{'ingest_date': 'VARCHAR'}",
    }
    arguments = ", ".join(f"{k} = {v}" for k, v in options.items())
    con.execute(f'CREATE VIEW "{entry.database}"."{entry.name}" AS SELECT * FROM read_csv('
                f"{_sql_list([str(p) for p in files])}, {arguments})")
    return str(folder) + "/"


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join(_sql_str(v) for v in values) + "]"


def _lock_down(con, readable: list[str] = ()) -> None:
    """After the views exist: Athena's UTC clock, no file access (but the raw tables' folders),
    no setting changes."""
    try:
        con.execute("SET TimeZone = 'UTC'")
    except Exception:  # noqa: BLE001 - the ICU extension may be absent; timestamps are then UTC already
        pass
    if readable:
        con.execute("SET allowed_directories = ?", [list(readable)])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
