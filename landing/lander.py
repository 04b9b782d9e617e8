"""Land one raw asset: fetch, verify, publish under a new key, record the manifest.

Nothing reaches the raw zone unless it is complete and verified: the bytes are staged, their
size checked against what the source announced, the content sniffed, and only then published
with ``Storage.put_new`` (which never overwrites). A failure leaves the raw zone as it was.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from assets.asset import Asset
from landing.content import check_content, detect_encoding
from landing.errors import LandingError
from landing.manifests import Manifest, ManifestError, latest_manifest, manifest_key_for, write_manifest
from landing.names import numbered
from landing.sources import Fetched, Unchanged, source_for
from landing.staging import StagedFile
from lake.locations import landing_key
from lake.settings import Settings, get_settings
from lake.storage import KeyExistsError, Storage, get_storage

log = logging.getLogger("bhnav.landing")


@dataclass(frozen=True, kw_only=True)
class LandingResult:
    asset: str
    landed: bool
    skipped: bool
    reason: str
    source_kind: str
    source_url: str | None = None
    key: str | None = None
    manifest_key: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    ingest_date: str | None = None

    @property
    def status(self) -> str:
        return "landed" if self.landed else "skipped"

    def to_dict(self) -> dict:
        return {"status": self.status, **asdict(self)}


def resolve_asset(asset: Asset | str) -> Asset:
    if isinstance(asset, Asset):
        found = asset
    else:
        from assets.definitions import load_graph

        graph = load_graph()
        if asset not in graph:
            raise LandingError(asset, "no such asset is declared; `bhnav assets list --zone raw` shows them")
        found = graph[asset]
    if not found.is_raw:
        raise LandingError(found.name, f"is a {found.zone} asset; only raw assets are landed")
    return found


def land_asset(
    asset_name: str | Asset,
    settings: Settings | None = None,
    *,
    snapshot_dir: Path | str | None = None,
    now: datetime | None = None,
) -> LandingResult:
    """Land a raw asset's current file; LandingError (naming the dataset and cause) on failure.

    ``snapshot_dir`` (else ``settings.snapshot_dir``) lands from a snapshot folder instead of the
    asset's CKAN or FTP source. ``now`` fixes the fetch time and ingest date (UTC).
    """
    settings = settings or get_settings()
    asset = resolve_asset(asset_name)
    storage = get_storage(settings)
    source = source_for(asset, settings, Path(snapshot_dir) if snapshot_dir else None)
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    try:
        # Inside the try: reading the lake can fail too (an S3 bucket we may not list).
        try:
            previous = latest_manifest(storage, asset)
        except ManifestError as exc:
            raise LandingError(asset.name, str(exc)) from None
        with StagedFile(storage.staging_dir(), asset.name) as staged:
            outcome = source.fetch(asset, previous, staged)
            if isinstance(outcome, Unchanged):
                log.info("%s: skipped, %s", asset.name, outcome.reason)
                return LandingResult(asset=asset.name, landed=False, skipped=True, reason=outcome.reason,
                                     source_kind=source.kind, source_url=outcome.source_url)
            staged.finish(fsync=settings.landing_fsync)
            _verify(asset, outcome, staged)
            if previous is not None and previous.sha256 == staged.sha256:
                reason = f"identical to the last landing {previous.key} (sha256 {staged.sha256[:12]})"
                log.info("%s: skipped, %s", asset.name, reason)
                return LandingResult(asset=asset.name, landed=False, skipped=True, reason=reason,
                                     source_kind=source.kind, source_url=outcome.source_url,
                                     key=previous.key, sha256=previous.sha256, bytes=previous.bytes)
            manifest = _publish(storage, asset, source.kind, outcome, staged, now)
    except OSError as exc:
        # Disk full, file too large, permission denied, a lake path that is not a folder...
        detail = exc.strerror or str(exc)
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        raise LandingError(asset.name, f"cannot write to the lake: {detail}{where}") from exc
    log.info("%s: landed %s (%d bytes)", asset.name, manifest.key, manifest.bytes)
    return LandingResult(
        asset=asset.name, landed=True, skipped=False, reason="new file", source_kind=source.kind,
        source_url=manifest.source_url, key=manifest.key, manifest_key=manifest.manifest_key,
        sha256=manifest.sha256, bytes=manifest.bytes, ingest_date=manifest.ingest_date,
    )


def _verify(asset: Asset, fetched: Fetched, staged: StagedFile) -> None:
    if fetched.expected_bytes is not None and staged.bytes != fetched.expected_bytes:
        raise LandingError(
            asset.name, f"received {staged.bytes} bytes of the {fetched.expected_bytes} announced by {fetched.source_url}"
        )
    check_content(asset.name, staged.head, staged.bytes, asset.source.parser.format, fetched.content_type)


def _publish(storage: Storage, asset: Asset, kind: str, fetched: Fetched, staged: StagedFile, now: datetime) -> Manifest:
    ingest = now.date()
    for n in range(1, 1000):
        key = landing_key(asset, ingest, numbered(fetched.file_name, n))
        # A key taken by a file or by a manifest (its file pruned) is never reused.
        if storage.exists(key) or storage.exists(manifest_key_for(key)):
            continue
        try:
            storage.put_new(staged.path, key, sha256=staged.sha256)
        except KeyExistsError:
            continue  # another landing took it meanwhile
        break
    else:
        raise LandingError(asset.name, f"more than 999 landings on {ingest}; prune the raw zone")
    manifest = Manifest(
        asset=asset.name, source_kind=kind, key=key, file_name=key.rsplit("/", 1)[-1],
        sha256=staged.sha256, bytes=staged.bytes, ingest_date=ingest.isoformat(), fetched_at=now.isoformat(),
        source_url=fetched.source_url, resource_id=fetched.resource_id, etag=fetched.etag,
        last_modified=fetched.last_modified, ckan_last_modified=fetched.ckan_last_modified,
        ckan_hash=fetched.ckan_hash, content_type=fetched.content_type,
        detected_encoding=detect_encoding(staged.head),
    )
    try:
        write_manifest(storage, manifest)
    except BaseException:
        # A landing is its file and its manifest: without the manifest, take the file back.
        storage.delete(key)
        raise
    return manifest
