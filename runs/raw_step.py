"""A raw asset's step in a run: land its current file, record it, register its table.

Raw tables stay as landed (CSV/GeoJSON under ``ingest_date=`` folders); their version is the
landed file's sha256, which is what curated assets record as their input.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from catalog.records import FAILED, SKIPPED, SUCCESS, MaterializationRecord
from spark.materialize import MaterializationError, describe_error, now

if TYPE_CHECKING:
    from assets.period import Period
    from assets.asset import Asset
    from catalog.base import Catalog
    from lake.settings import Settings


def land_raw(asset: "Asset", settings: "Settings", *, catalog: "Catalog",
             snapshot_dir: Path | str | None = None, period: "Period | None" = None) -> MaterializationRecord:
    from landing.lander import land_asset
    from lake.storage import get_storage
    from spark.versions import raw_version

    started = now()
    try:
        result = land_asset(asset, settings, snapshot_dir=snapshot_dir, period=period)
    except Exception as exc:
        message = describe_error(asset.name, exc)
        record = MaterializationRecord(asset=asset.name, status=FAILED, started_at=started, finished_at=now(),
                                       error=f"{type(exc).__name__}: {message}")
        catalog.record(record)
        raise MaterializationError(message, record) from exc
    # The raw table's version: what a curated asset records as its input (one hash over every file).
    versions = {asset.name: raw_version(asset, get_storage(settings))} if result.sha256 else {}
    landed = [f for f in (result.files or (result,)) if f.landed]
    notes = {"landing": result.reason, "key": result.key, "bytes": result.bytes, "source": result.source_url}
    if result.files:
        notes["files"] = [{"resource": f.resource, "period": f.period, "status": f.status, "key": f.key}
                          for f in result.files]
    record = MaterializationRecord(
        asset=asset.name, status=SUCCESS if result.landed else SKIPPED, started_at=started, finished_at=now(),
        input_versions=versions,
        partitions_written=tuple(sorted({f"ingest_date={f.ingest_date}" for f in landed if f.ingest_date})),
        notes=notes,
    )
    if result.landed or catalog.get_table(asset.name) is None:
        catalog.register(asset, record if result.landed else None)
        if not result.landed:
            catalog.record(record)
    else:
        catalog.record(record)
    return record
