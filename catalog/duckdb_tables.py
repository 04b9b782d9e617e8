"""The lake's tables inside a DuckDB connection: each catalog table becomes a view named like
Athena's (``bhnav_curated.acidentes``).

Delta tables are their current snapshot as a pyarrow dataset (DuckDB pushes column and filter
choices into it, so partition filters skip whole files); raw tables are their landed CSV files
read as Athena's CSV SerDe shows them. ``lock_down`` then closes file access and settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog.sql_guard import QueryError

if TYPE_CHECKING:
    from catalog.base import TableEntry


def attach_delta(con, entry: "TableEntry", meter) -> None:
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


def attach_raw(con, entry: "TableEntry", meter) -> str:
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
    encoding = "utf-8" if parameters.get("bhnav.parser.encoding", "utf-8").startswith("utf-8") else "latin-1"
    serde = entry.table_input["StorageDescriptor"].get("SerdeInfo", {}).get("Parameters", {})
    names = [c["Name"] for c in entry.columns if c["Name"] != "ingest_date"]
    # A source that published several layouts: the raw table shows the files of its first one
    # (its declared columns); the others are read through their curated table.
    delimiter = serde.get("separatorChar", ";").encode("latin-1")
    files = [p for p in files if _header_width(p, delimiter) == len(names)] or files
    meter.add({f"{name}/{p.relative_to(folder)}": p.stat().st_size for p in files}, sum(p.stat().st_size for p in files))
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


def _header_width(path, delimiter: bytes) -> int:
    with open(path, "rb") as f:
        return f.readline(1 << 16).count(delimiter) + 1


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join(_sql_str(v) for v in values) + "]"


def lock_down(con, readable: list[str] = ()) -> None:
    """After the views exist: Athena's UTC clock and integer division, no file access (but the
    raw tables' folders), no setting changes."""
    try:
        con.execute("SET TimeZone = 'UTC'")
    except Exception:  # noqa: BLE001 - the ICU extension may be absent; timestamps are then UTC already
        pass
    # Trino divides integers as integers (7 / 2 = 3); DuckDB's default would give 3.5.
    con.execute("SET integer_division = true")
    if readable:
        con.execute("SET allowed_directories = ?", [list(readable)])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
