"""The Glue Data Catalog: the aws environment's catalog, with the local catalog's rules.

A database per zone (``bhnav_raw``, ``bhnav_curated``, ``bhnav_analytics``). Tables are the
``TableInput`` dicts of ``catalog.glue_model`` (the one conversion from an asset), so curated and
analytics tables are Delta tables Athena reads (``table_type=DELTA`` + location) whose Glue
columns and comments follow the asset after every write, and raw tables carry partition
projection and the SerDe of their parser options. Updates skip Glue's table-version archive
(``SkipArchive``): the asset and the Delta log are the history of a table's shape.

Runs: the last one is summarised in the table's parameters (run statistics of the last success,
plus ``bhnav.last_run_status``/``_at``), every one is a JSON object (``catalog.records``'
serialisation) under ``<table prefix>/_bhnav_history/``: inside the table's own prefix, the only
place the IAM policy of the job or the landing that writes the table lets it write. The leading
underscore hides those objects from Spark, Delta and Athena.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from assets.asset import ZONES
from catalog.base import Catalog, TableEntry
from catalog.glue_model import database_input, table_input
from catalog.records import SUCCESS, MaterializationRecord
from catalog.registration import plan_registration
from lake.aws import client, error_code

if TYPE_CHECKING:
    from assets.asset import Asset
    from lake.settings import Settings
    from lake.storage import Storage

HISTORY_FOLDER = "_bhnav_history"
# A role sees only the databases and tables its policy names (infra.iam): a job its own table and
# its inputs, the app the served zones. Elsewhere, "denied" means "not one of mine".
_DENIED = {"AccessDeniedException", "AccessDenied"}
LAST_RUN_KEYS = ("bhnav.last_run_status", "bhnav.last_run_at")
_TABLE_KEYS = ("Name", "Description", "Owner", "TableType", "PartitionKeys", "Parameters")
_DESCRIPTOR_KEYS = ("InputFormat", "OutputFormat", "SerdeInfo", "Compressed", "Columns", "Location")


def as_table_input(table: dict[str, Any]) -> dict[str, Any]:
    """A Glue ``Table`` (GetTable's answer) reduced to the ``TableInput`` keys we write."""
    found = {k: table[k] for k in _TABLE_KEYS if k in table}
    descriptor = table.get("StorageDescriptor", {})
    found["StorageDescriptor"] = {k: descriptor[k] for k in _DESCRIPTOR_KEYS if k in descriptor}
    found.setdefault("PartitionKeys", [])
    found.setdefault("Parameters", {})
    return found


def _canonical(value: Any) -> Any:
    """For comparing what Glue stored with what we would write: Glue drops empty values."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if v not in ("", None, {}, [])}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def run_parameters(record: MaterializationRecord) -> dict[str, str]:
    return {"bhnav.last_run_status": record.status, "bhnav.last_run_at": record.finished_at.isoformat()}


def history_key(prefix: str, record: MaterializationRecord, body: bytes) -> str:
    # Sortable by time; the content hash makes a repeated call write the same object (a no-op).
    stamp = record.finished_at.strftime("%Y%m%dT%H%M%S%f")
    return f"{prefix}/{HISTORY_FOLDER}/{stamp}-{record.status}-{hashlib.sha256(body).hexdigest()[:12]}.json"


class GlueCatalog(Catalog):
    def __init__(self, settings: "Settings", storage: "Storage | None" = None):
        self.settings = settings
        self._storage = storage
        self._glue = None

    def __repr__(self) -> str:
        return f"GlueCatalog(prefix={self.settings.glue_database_prefix!r}, region={self.settings.aws_region!r})"

    @property
    def glue(self):
        if self._glue is None:
            self._glue = client("glue", self.settings)
        return self._glue

    @property
    def storage(self) -> "Storage":
        if self._storage is None:
            from lake.storage import get_storage

            self._storage = get_storage(self.settings)
        return self._storage

    # -- writes ------------------------------------------------------------------------------
    def register(self, asset: "Asset", record: MaterializationRecord | None = None, *,
                 allow_breaking: bool = False) -> TableEntry:
        database = self.settings.database(asset.zone)
        current = self._read(database, asset.name)
        elsewhere = tuple(self.settings.database(z) for z in ZONES if self.settings.database(z) != database
                          and self._read(self.settings.database(z), asset.name, tolerate_denied=True))
        # The same rules as the local catalog: schema diff, zone moves, which run's statistics stay.
        plan = plan_registration(asset, self.settings, current.table_input if current else None, record,
                                 allow_breaking=allow_breaking, elsewhere=elsewhere)
        merged = plan.table_input
        last_run = run_parameters(record) if record is not None else (
            {k: v for k, v in current.parameters.items() if k in LAST_RUN_KEYS} if current else {})
        merged["Parameters"] = {**merged["Parameters"], **last_run}
        if current is None:
            self._ensure_database(asset.zone)
            self._create_or_update(database, merged)
        elif _canonical(merged) != _canonical(current.table_input):
            self.glue.update_table(DatabaseName=database, TableInput=merged, SkipArchive=True)
        for other in elsewhere:
            self.glue.delete_table(DatabaseName=other, Name=asset.name)
        if asset.is_raw:
            self.sync_partitions(asset, merged)
        if record is not None:
            self._append_history(record, asset)
        entry = self._read(database, asset.name)
        return TableEntry(database=database, table_input=entry.table_input, created_at=entry.created_at,
                          updated_at=entry.updated_at, changes=plan.changes)

    def _create_or_update(self, database: str, table: dict[str, Any]) -> None:
        from botocore.exceptions import ClientError

        try:
            self.glue.create_table(DatabaseName=database, TableInput=table)
        except ClientError as exc:
            if error_code(exc) != "AlreadyExistsException":
                raise
            # Another writer created it meanwhile: ours follows the same asset.
            self.glue.update_table(DatabaseName=database, TableInput=table, SkipArchive=True)

    def sync_partitions(self, asset: "Asset", table: dict[str, Any] | None = None) -> tuple[int, int]:
        """A raw table's catalog partitions follow its landings; (created, deleted)."""
        from catalog.glue_partitions import landed_dates, sync_partitions
        from lake.locations import table_key

        table = table or table_input(asset, self.settings)
        wanted = landed_dates(self.storage, table_key(asset))
        return sync_partitions(self.glue, self.settings.database(asset.zone), table, wanted)

    def record(self, record: MaterializationRecord) -> None:
        asset = self._asset(record.asset)
        self._append_history(record, asset)
        current = self.get_table(record.asset)
        if current is not None:
            table = dict(current.table_input)
            table["Parameters"] = {**current.parameters, **run_parameters(record)}
            self.glue.update_table(DatabaseName=current.database, TableInput=table, SkipArchive=True)

    def _append_history(self, record: MaterializationRecord, asset: "Asset") -> None:
        body = json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True, default=str).encode()
        self.storage.write_bytes(history_key(self._prefix(asset), record, body), body)

    def _ensure_database(self, zone: str) -> None:
        """The stack creates the databases; create one only where it is missing (a new account,
        an emulator). Looking first matters: the roles of jobs and landings may read, not create."""
        from botocore.exceptions import ClientError

        database = database_input(zone, self.settings)
        try:
            self.glue.get_database(Name=database["Name"])
            return
        except ClientError as exc:
            if error_code(exc) != "EntityNotFoundException":
                raise
        try:
            self.glue.create_database(DatabaseInput=database)
        except ClientError as exc:
            if error_code(exc) != "AlreadyExistsException":
                raise

    # -- reads -------------------------------------------------------------------------------
    def _read(self, database: str, name: str, *, tolerate_denied: bool = False) -> TableEntry | None:
        from botocore.exceptions import ClientError

        try:
            table = self.glue.get_table(DatabaseName=database, Name=name)["Table"]
        except ClientError as exc:
            code = error_code(exc)
            if code == "EntityNotFoundException" or (tolerate_denied and code in _DENIED):
                return None
            raise
        return _entry(database, table)

    def get_table(self, asset_name: str) -> TableEntry | None:
        # The declared zone first: the one place a role that writes or reads the table may look.
        try:
            declared = self._asset(asset_name).zone
        except KeyError:
            declared = None
        for zone in sorted(ZONES, key=lambda z: z != declared):
            entry = self._read(self.settings.database(zone), asset_name, tolerate_denied=zone != declared)
            if entry is not None:
                return entry
        return None

    def list_tables(self) -> list[TableEntry]:
        from botocore.exceptions import ClientError

        entries = []
        for zone in ZONES:
            database = self.settings.database(zone)
            try:
                for page in self.glue.get_paginator("get_tables").paginate(DatabaseName=database):
                    entries += [_entry(database, t) for t in page.get("TableList", ())]
            except ClientError as exc:
                if error_code(exc) not in ("EntityNotFoundException", *_DENIED):
                    raise
        return sorted(entries, key=lambda e: (ZONES.index(e.zone) if e.zone in ZONES else 9, e.name))

    def _history_keys(self, asset_name: str) -> list[str]:
        return self.storage.list(f"{self._prefix(self._asset(asset_name))}/{HISTORY_FOLDER}")

    def history(self, asset_name: str) -> list[MaterializationRecord]:
        records = [MaterializationRecord.from_dict(json.loads(self.storage.read_bytes(k)))
                   for k in self._history_keys(asset_name)]
        return sorted(records, key=lambda r: r.finished_at)

    def last_record(self, asset_name: str, status: str | None = SUCCESS) -> MaterializationRecord | None:
        # Keys sort by time: read from the newest back, only as far as needed.
        for key in reversed(self._history_keys(asset_name)):
            if status is None or f"-{status}-" in key.rsplit("/", 1)[-1]:
                return MaterializationRecord.from_dict(json.loads(self.storage.read_bytes(key)))
        return None

    def version(self) -> str:
        """Changes whenever a table is created, updated (every register and recorded run) or dropped."""
        # The parameters too: two updates within Glue's timestamp resolution still differ there
        # (every register and recorded run sets bhnav.last_run_at).
        stamps = sorted(f"{e.database}.{e.name}@{e.updated_at}@{json.dumps(e.parameters, sort_keys=True)}"
                        for e in self.list_tables())
        return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16] if stamps else "0"

    # -- names -------------------------------------------------------------------------------
    def _asset(self, name: str) -> "Asset":
        from assets.definitions import load_graph

        graph = load_graph()
        if name not in graph:
            raise KeyError(f"asset {name!r} is not declared; its catalog history has no home")
        return graph[name]

    def _prefix(self, asset: "Asset") -> str:
        from lake.locations import table_key

        return table_key(asset)


def _entry(database: str, table: dict[str, Any]) -> TableEntry:
    def stamp(value) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else str(value or "")

    return TableEntry(database=database, table_input=as_table_input(table), created_at=stamp(table.get("CreateTime")),
                      updated_at=stamp(table.get("UpdateTime") or table.get("CreateTime")))
