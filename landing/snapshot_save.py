"""``bhnav snapshot save``: write the current landed files of each raw asset (the newest of each
resource) into a folder laid out as a snapshot folder, at the paths its declaration matches, for
offline runs."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from assets.asset import Asset
from landing.manifests import current_manifests
from landing.sources.snapshot import snapshot_path
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
        manifests = current_manifests(storage, asset)
        if not manifests:
            target = folder / snapshot_path(asset, None, asset.source.file_name)
            saved.append(SavedFile(asset=asset.name, path=str(target), key=None, bytes=None, status="not landed"))
        for manifest in manifests:
            saved.append(_save(storage, asset, manifest, folder))
    return saved


def _save(storage: Storage, asset: Asset, manifest, folder: Path) -> SavedFile:
    target = folder / snapshot_path(asset, manifest.resource, manifest.file_name)
    if target.is_file() and _sha256(target) == manifest.sha256:
        status = "unchanged"
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        with storage.open(manifest.key) as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(tmp, target)
        status = "written"
    return SavedFile(asset=asset.name, path=str(target), key=manifest.key, bytes=manifest.bytes, status=status)
