"""The snapshot folder: the portal's files on disk, so the whole lake builds offline."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from assets.asset import Asset
from landing.errors import LandingError
from landing.manifests import Manifest
from landing.names import safe_file_name
from landing.sources.base import Fetched, LandingSource, Resource, Unchanged
from landing.staging import StagedFile
from lake.settings import Settings


class SnapshotSource(LandingSource):
    kind = "snapshot"

    def __init__(self, folder: Path, settings: Settings):
        self.folder = Path(folder)
        self.chunk = settings.landing_chunk_kb * 1024

    def resources(self, asset: Asset) -> list[Resource]:
        """The folder's files matching the declaration's paths or patterns (sorted; every one of
        them for a source selecting ``every``, else the last in name order)."""
        found: dict[str, Path] = {}
        for pattern in asset.source.snapshot_patterns:
            for path in sorted(self.folder.glob(pattern)):
                if path.is_file():
                    found[path.relative_to(self.folder).as_posix()] = path
        if not found:
            raise LandingError(asset.name, f"snapshot file {' or '.join(asset.source.snapshot_patterns)} is not in {self.folder}")
        keys = sorted(found) if asset.source.selection == "every" else [max(found)]
        return [Resource(key=key, name=found[key].name, detail=found[key]) for key in keys]

    def fetch(self, asset: Asset, previous: Manifest | None, staged: StagedFile,
              resource: Resource) -> Fetched | Unchanged:
        path = resource.detail
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
            file_name=safe_file_name(asset.name, resource.name),
            source_url=path.absolute().as_uri(),
            last_modified=mtime,
            expected_bytes=stat.st_size,
        )
