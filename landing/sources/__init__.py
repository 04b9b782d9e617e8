"""The landing sources: one interface (``LandingSource.fetch``), one module per kind."""

from __future__ import annotations

from pathlib import Path

from assets.asset import Asset
from landing.sources.base import Fetched, LandingSource, Resource, Unchanged
from lake.settings import Settings

__all__ = ["Fetched", "LandingSource", "Resource", "Unchanged", "source_for"]


def source_for(asset: Asset, settings: Settings, snapshot_dir: Path | None = None) -> LandingSource:
    """The snapshot folder when one is given (offline), else the asset's own kind."""
    folder = snapshot_dir or settings.snapshot_dir
    if folder is not None:
        from landing.sources.snapshot import SnapshotSource

        return SnapshotSource(Path(folder), settings)
    if asset.source.kind == "ckan":
        from landing.sources.ckan import CkanSource

        return CkanSource(settings)
    from landing.sources.ftp import FtpSource

    return FtpSource(settings)
