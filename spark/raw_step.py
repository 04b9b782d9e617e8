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
    from assets.asset import Asset
    from catalog.base import Catalog
    from lake.settings import Settings


def land_raw(asset: "Asset", settings: "Settings", *, catalog: "Catalog",
             snapshot_dir: Path | str | None = None) -> MaterializationRecord:
    from landing.lander import land_asset

    started = now()
    try:
        result = land_asset(asset, settings, snapshot_dir=snapshot_dir)
    except Exception as exc:
        message = describe_error(asset.name, exc)
        record = MaterializationRecord(asset=asset.name, status=FAILED, started_at=started, finished_at=now(),
                                       error=f"{type(exc).__name__}: {message}")
        catalog.record(record)
        raise MaterializationError(message, record) from exc
    versions = {asset.name: result.sha256} if result.sha256 else {}
    record = MaterializationRecord(
        asset=asset.name, status=SUCCESS if result.landed else SKIPPED, started_at=started, finished_at=now(),
        input_versions=versions,
        partitions_written=(f"ingest_date={result.ingest_date}",) if result.landed and result.ingest_date else (),
        notes={"landing": result.reason, "key": result.key, "bytes": result.bytes, "source": result.source_url},
    )
    if result.landed or catalog.get_table(asset.name) is None:
        catalog.register(asset, record if result.landed else None)
        if not result.landed:
            catalog.record(record)
    else:
        catalog.record(record)
    return record
