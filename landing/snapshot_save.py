"""``bhnav snapshot save``: write the newest landed file of each raw asset into a folder laid
out as a snapshot folder (each at its asset's ``snapshot_file``), for offline runs."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from assets.asset import Asset
from landing.manifests import latest_manifest
from lake.storage import Storage


@dataclass(frozen=True, kw_only=True)
class SavedFile:
    asset: str
    path: str
    key: str | None
    bytes: int | None
    status: str  # written | unchanged | not landed


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def save_snapshot(storage: Storage, raw_assets: list[Asset], folder: Path) -> list[SavedFile]:
    folder = Path(folder)
    saved = []
    for asset in raw_assets:
        target = folder / asset.source.snapshot_file
        manifest = latest_manifest(storage, asset)
        if manifest is None:
            saved.append(SavedFile(asset=asset.name, path=str(target), key=None, bytes=None, status="not landed"))
            continue
        if target.is_file() and _sha256(target) == manifest.sha256:
            status = "unchanged"
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            with storage.open(manifest.key) as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            os.replace(tmp, target)
            status = "written"
        saved.append(SavedFile(asset=asset.name, path=str(target), key=manifest.key, bytes=manifest.bytes, status=status))
    return saved
