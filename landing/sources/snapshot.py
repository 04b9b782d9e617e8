"""The snapshot folder: the portal's files on disk, so the whole lake builds offline."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from assets.asset import Asset
from landing.errors import LandingError
from landing.manifests import Manifest
from landing.names import safe_file_name
from landing.sources.base import Fetched, LandingSource, Unchanged
from landing.staging import StagedFile
from lake.settings import Settings


class SnapshotSource(LandingSource):
    kind = "snapshot"

    def __init__(self, folder: Path, settings: Settings):
        self.folder = Path(folder)
        self.chunk = settings.landing_chunk_kb * 1024

    def fetch(self, asset: Asset, previous: Manifest | None, staged: StagedFile) -> Fetched | Unchanged:
        path = self.folder / asset.source.snapshot_file
        if not path.is_file():
            raise LandingError(asset.name, f"snapshot file {asset.source.snapshot_file} is not in {self.folder}")
        try:
            source = open(path, "rb")
        except OSError as exc:
            raise LandingError(asset.name, f"cannot read snapshot file {path}: {exc.strerror}") from exc
        with source:
            stat = path.stat()
            while block := source.read(self.chunk):
                staged.write(block)
        mtime = datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc).isoformat()
        return Fetched(
            file_name=safe_file_name(asset.name, asset.source.file_name),
            source_url=path.absolute().as_uri(),
            last_modified=mtime,
            expected_bytes=stat.st_size,
        )
