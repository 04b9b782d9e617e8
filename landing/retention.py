"""Raw retention: landings older than their source's retention go; the current files (the newest
landing of each of the source's resources: every year's file, every snapshot) always stay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from assets.asset import Asset
from landing.manifests import current_manifests, list_manifests
from lake.settings import Settings
from lake.storage import Storage


@dataclass(frozen=True, kw_only=True)
class PruneItem:
    asset: str
    key: str
    manifest_key: str
    ingest_date: str
    bytes: int
    retention_days: int


def retention_days(asset: Asset, settings: Settings) -> int:
    return asset.source.retention_days or settings.raw_retention_days


def prune_plan(storage: Storage, raw_assets: list[Asset], settings: Settings, *, today: date) -> list[PruneItem]:
    """Every landing past its retention, except the current file of each resource."""
    plan: list[PruneItem] = []
    for asset in raw_assets:
        days = retention_days(asset, settings)
        cutoff = today - timedelta(days=days)
        current = {m.key for m in current_manifests(storage, asset)}
        for manifest in list_manifests(storage, asset):
            if manifest.key not in current and date.fromisoformat(manifest.ingest_date) < cutoff:
                plan.append(PruneItem(asset=asset.name, key=manifest.key, manifest_key=manifest.manifest_key,
                                      ingest_date=manifest.ingest_date, bytes=manifest.bytes, retention_days=days))
    return plan


def apply_plan(storage: Storage, plan: list[PruneItem]) -> None:
    for item in plan:
        # File first: a manifest without its file still reserves the key and explains the gap.
        storage.delete(item.key)
        storage.delete(item.manifest_key)
