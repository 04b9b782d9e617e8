"""The local catalog: Glue's model as JSON files under the lake, safe to read at any moment.

Layout under ``<lake_dir>/_catalog/``::

    databases/<database>.json        Glue DatabaseInput, one per zone
    tables/<database>/<table>.json   the TableEntry (Glue TableInput + timestamps)
    history/<asset>.jsonl            every MaterializationRecord, oldest first
    VERSION                          a token rewritten on every change

Every file is written to a temporary name and moved into place with ``os.replace``, so a reader
sees the old file or the new one, never half of one. Writers (several tasks may finish at once)
serialise on an ``flock`` of ``.lock``; readers take no lock.

A file damaged anyway (a disk, a hand edit) costs only its own table: listing skips it with one
warning naming the file and the way out, reading that table raises ``CatalogFileError`` with the
same line, a damaged history line is skipped, and the next registration rewrites the file.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from assets.asset import ZONES
from catalog.base import Catalog, TableEntry
from catalog.glue_model import database_input
from catalog.records import MaterializationRecord
from catalog.registration import plan_registration

if TYPE_CHECKING:
    from assets.asset import Asset
    from lake.settings import Settings


log = logging.getLogger("bhnav.catalog")


class CatalogFileError(RuntimeError):
    """A catalog file cannot be read; the message names it and the way out."""


def _damaged(path: Path, exc: Exception, asset: str) -> CatalogFileError:
    return CatalogFileError(
        f"catalog file {path} is damaged ({type(exc).__name__}: {' '.join(str(exc).split())[:160]}); "
        f"rerun `bhnav materialize --select {asset} --force` to rewrite it, or delete the file")


def catalog_dir(settings: "Settings") -> Path:
    return Path(settings.lake_dir) / "_catalog"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class LocalCatalog(Catalog):
    def __init__(self, settings: "Settings"):
        self.settings = settings
        self.root = catalog_dir(settings)

    # -- paths -------------------------------------------------------------------------------
    def _table_path(self, database: str, name: str) -> Path:
        return self.root / "tables" / database / f"{name}.json"

    def _history_path(self, name: str) -> Path:
        return self.root / "history" / f"{name}.jsonl"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _bump_version(self) -> None:
        path = self.root / "VERSION"
        try:
            counter = int(path.read_text().split("-", 1)[0])
        except (FileNotFoundError, ValueError):
            counter = 0
        _atomic_write(path, f"{counter + 1}-{time.time_ns()}".encode())

    # -- writes ------------------------------------------------------------------------------
    def register(self, asset: "Asset", record: MaterializationRecord | None = None, *,
                 allow_breaking: bool = False) -> TableEntry:
        database = self.settings.database(asset.zone)
        with self._locked():
            try:
                current = self._read_entry(database, asset.name)
            except CatalogFileError as exc:
                log.warning("%s; rewriting it now", exc)
                current = None
            plan = plan_registration(asset, self.settings, current.table_input if current else None, record,
                                     allow_breaking=allow_breaking,
                                     elsewhere=tuple(self._other_databases(asset.name, database)))
            changed = False
            if current is None or plan.table_input != current.table_input:
                self._ensure_database(asset.zone)
                entry = TableEntry(database=database, table_input=plan.table_input,
                                   created_at=current.created_at if current else _now(),
                                   updated_at=_now(), changes=plan.changes)
                _atomic_write(self._table_path(database, asset.name),
                              json.dumps(entry.to_dict(), ensure_ascii=False, indent=1, sort_keys=True).encode())
                changed = True
            else:
                entry = current
            for other in plan.moved_from:
                self._table_path(other, asset.name).unlink(missing_ok=True)
                changed = True
            if record is not None:
                changed = self._append_history(record) or changed
            if changed:
                self._bump_version()
            return entry

    def _other_databases(self, name: str, database: str) -> list[str]:
        return [self.settings.database(z) for z in ZONES
                if self.settings.database(z) != database and self._table_path(self.settings.database(z), name).exists()]

    def record(self, record: MaterializationRecord) -> None:
        with self._locked():
            if self._append_history(record):
                self._bump_version()

    def _append_history(self, record: MaterializationRecord) -> bool:
        """Add the record unless it is already the newest line (a repeated call is a no-op)."""
        path = self._history_path(record.asset)
        line = json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True, default=str)
        existing = path.read_bytes() if path.exists() else b""
        lines = existing.decode().splitlines()
        if lines and lines[-1] == line:
            return False
        _atomic_write(path, existing + line.encode() + b"\n")
        return True

    def _ensure_database(self, zone: str) -> None:
        path = self.root / "databases" / f"{self.settings.database(zone)}.json"
        if not path.exists():
            _atomic_write(path, json.dumps(database_input(zone, self.settings), indent=1).encode())

    # -- reads -------------------------------------------------------------------------------
    def _read_entry(self, database: str, name: str) -> TableEntry | None:
        path = self._table_path(database, name)
        try:
            return TableEntry.from_dict(json.loads(path.read_text()))
        except FileNotFoundError:
            return None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # bad JSON or UTF-8, or not an entry
            raise _damaged(path, exc, name) from None

    def get_table(self, asset_name: str) -> TableEntry | None:
        for zone in ZONES:
            entry = self._read_entry(self.settings.database(zone), asset_name)
            if entry is not None:
                return entry
        return None

    def list_tables(self) -> list[TableEntry]:
        entries = []
        for zone in ZONES:
            folder = self.root / "tables" / self.settings.database(zone)
            for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
                try:
                    entry = self._read_entry(self.settings.database(zone), path.stem)
                except CatalogFileError as exc:
                    log.warning("%s", exc)  # the other tables keep working
                    continue
                if entry is not None:
                    entries.append(entry)
        return entries

    def databases(self) -> list[dict]:
        folder = self.root / "databases"
        return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []

    def history(self, asset_name: str) -> list[MaterializationRecord]:
        path = self._history_path(asset_name)
        if not path.exists():
            return []
        records = []
        for number, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(MaterializationRecord.from_dict(json.loads(line)))
            except (ValueError, TypeError, KeyError) as exc:
                log.warning("%s line %d skipped", _damaged(path, exc, asset_name), number)
        return records

    def version(self) -> str:
        try:
            return (self.root / "VERSION").read_text().strip() or "0"
        except FileNotFoundError:
            return "0"
