"""One manifest per landing, stored next to the landed file as ``_manifest.<file>.json``.

The leading underscore keeps manifests out of Spark's and Hadoop's file listings (they skip
``_`` and ``.`` names), so a reader of the raw folder sees only the landed files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from assets.asset import Asset
from lake.locations import table_key
from lake.storage import Storage

MANIFEST_PREFIX = "_manifest."
MANIFEST_SUFFIX = ".json"


class ManifestError(ValueError):
    """A stored manifest cannot be read; the message names its key."""


@dataclass(frozen=True, kw_only=True)
class Manifest:
    asset: str
    source_kind: str  # ckan | ftp | snapshot
    key: str  # the landed file's key in the lake
    file_name: str
    sha256: str
    bytes: int
    ingest_date: str  # YYYY-MM-DD
    fetched_at: str  # ISO 8601, UTC
    source_url: str
    resource_id: str | None = None
    etag: str | None = None
    last_modified: str | None = None  # the server's Last-Modified (HTTP) or MDTM (FTP) or mtime
    ckan_last_modified: str | None = None
    ckan_hash: str | None = None
    content_type: str | None = None
    detected_encoding: str | None = None  # charset-normalizer's guess on the first bytes, not a declaration
    # Which of the source's resources this file is (a CKAN resource id, a snapshot file's path);
    # None on landings of a one-resource source made before sources selected several.
    resource: str | None = None
    period: str | None = None  # the Period (label) the file covers, from its name; None: unknown

    @property
    def manifest_key(self) -> str:
        return manifest_key_for(self.key)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Manifest":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def manifest_key_for(file_key: str) -> str:
    folder, _, name = file_key.rpartition("/")
    return f"{folder}/{MANIFEST_PREFIX}{name}{MANIFEST_SUFFIX}"


def is_manifest_key(key: str) -> bool:
    name = key.rsplit("/", 1)[-1]
    return name.startswith(MANIFEST_PREFIX) and name.endswith(MANIFEST_SUFFIX)


def write_manifest(storage: Storage, manifest: Manifest) -> str:
    key = manifest.manifest_key
    storage.write_bytes(key, json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2).encode("utf-8"))
    return key


def list_manifests(storage: Storage, asset: Asset | str) -> list[Manifest]:
    """Every landing of a raw asset, oldest first (by fetch time, then key)."""
    asset = _resolve(asset)
    found = [_read(storage, key) for key in storage.list(table_key(asset)) if is_manifest_key(key)]
    return sorted(found, key=lambda m: (m.fetched_at, m.key))


def _read(storage: Storage, key: str) -> Manifest:
    try:
        return Manifest.from_dict(json.loads(storage.read_bytes(key)))
    except (ValueError, TypeError) as exc:  # not JSON, or fields missing
        raise ManifestError(f"manifest {key} cannot be read ({type(exc).__name__}); fix or remove it") from None


def latest_manifest(storage: Storage, asset: Asset | str, resource: str | None = None) -> Manifest | None:
    """The newest landing of the asset, or of one of its resources."""
    manifests = list_manifests(storage, asset)
    if resource is not None:
        manifests = [m for m in manifests if (m.resource or "") == resource]
    return manifests[-1] if manifests else None


def current_manifests(storage: Storage, asset: Asset | str) -> list[Manifest]:
    """The files a derived table is built from: the newest landing of each resource (a source
    selecting ``every`` resource), or the newest landing (``newest``); ordered by resource."""
    asset = _resolve(asset)
    manifests = list_manifests(storage, asset)
    if not manifests:
        return []
    if asset.source.selection == "newest":
        return [manifests[-1]]
    newest: dict[str, Manifest] = {}
    for manifest in manifests:  # oldest first: the last one of each resource wins
        newest[manifest.resource or ""] = manifest
    return [newest[key] for key in sorted(newest)]


def _resolve(asset: Asset | str) -> Asset:
    if isinstance(asset, Asset):
        return asset
    from assets.definitions import load_graph

    return load_graph()[asset]
