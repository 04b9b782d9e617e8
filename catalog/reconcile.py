"""The catalog made to agree with the Delta log after a writer was killed between the two.

A materialisation commits the table (Delta's atomic log write) and then records it in the
catalog. A kill in between leaves the table one version ahead of the catalog. The log is the
truth: ``reconcile`` records the table's version, rows and newest date as read from the log, with
a note saying so, and no input versions (the next materialise rebuilds rather than skip over
inputs it cannot vouch for). The committed version passed its checks and audit before the
commit, so it is what readers already see. Only our writer's commits count (their
``userMetadata`` is ``bhnav:<asset>:<code version>``): OPTIMIZE and VACUUM also add versions, and
change no data.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from catalog.records import SUCCESS, MaterializationRecord

if TYPE_CHECKING:
    from assets.asset import Asset
    from catalog.base import Catalog
    from lake.settings import Settings


def reconcile_quietly(asset: "Asset", settings: "Settings", catalog: "Catalog") -> str | None:
    """``reconcile`` for a status line: a table whose log cannot be read is reported elsewhere."""
    try:
        return reconcile(asset, settings, catalog)
    except Exception:  # noqa: BLE001 - the status of the other assets must not fail for this one
        return None


def reconcile(asset: "Asset", settings: "Settings", catalog: "Catalog") -> str | None:
    """Record the table's Delta version when the catalog is behind it; the note, or None if it agreed."""
    from lake.locks import holder_of
    from lake.storage import get_storage

    if asset.is_raw:
        return None
    storage = get_storage(settings)
    commits = _commits(storage, asset)
    if not commits:
        return None
    latest = commits[-1][0]
    last = catalog.last_record(asset.name)
    recorded = last.delta_version if last is not None else None
    if recorded is not None and recorded >= latest:
        return None
    mark = f"bhnav:{asset.name}:"
    if not any(_user_metadata(storage, key).startswith(mark) for version, key in commits
               if recorded is None or version > recorded):
        return None  # only OPTIMIZE or VACUUM since: no data changed
    if holder_of(storage, asset.name) is not None:
        return None  # a writer is between its commit and its catalog update right now
    rows, newest = _facts(asset, settings)
    note = (f"Asset {asset.name!r}: the catalog recorded Delta version {recorded}, the table's log is at "
            f"{latest} (a build committed and stopped before updating the catalog); reconciled: the "
            f"catalog now records version {latest} with {rows} rows from the log")
    now = datetime.now(timezone.utc)
    record = MaterializationRecord(
        asset=asset.name, status=SUCCESS, started_at=now, finished_at=now, code_version=None,
        input_versions={}, rows=rows, delta_version=latest, newest_data_date=newest, notes={"reconciled": note},
    )
    catalog.register(asset, record)
    return note


def _commits(storage, asset: "Asset") -> list[tuple[int, str]]:
    """(version, key) of every commit file in the table's log, oldest first."""
    from lake.locations import table_key

    found = []
    for key in storage.list(f"{table_key(asset)}/_delta_log"):
        match = re.search(r"/(\d{20})\.json$", key)
        if match:
            found.append((int(match.group(1)), key))
    return sorted(found)


def _user_metadata(storage, key: str) -> str:
    for line in storage.read_bytes(key).decode("utf-8", "replace").splitlines():
        info = json.loads(line).get("commitInfo") if line.strip() else None
        if info is not None:
            return str(info.get("userMetadata") or "")
    return ""


def _facts(asset: "Asset", settings: "Settings"):
    """Rows and newest date from the log's file statistics; unknown where deltalake is not
    installed (a Glue job: the next build records them)."""
    try:
        from catalog.table_stats import delta_stats
        from lake.locations import table_uri

        stats = delta_stats(table_uri(asset, settings), settings, asset.partitioning.date_column)
    except ImportError:
        return None, None
    return (stats.rows, stats.newest_date) if stats is not None else (None, None)
