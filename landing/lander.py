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
from assets.period import Period
from landing.sources import Fetched, Resource, Unchanged, source_for
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
    resource: str | None = None
    period: str | None = None
    files: tuple["LandingResult", ...] = ()  # one per resource, when the source offers several

    @property
    def status(self) -> str:
        return "landed" if self.landed else "skipped"

    def to_dict(self) -> dict:
        data = {"status": self.status, **asdict(self)}
        data["files"] = [f.to_dict() for f in self.files]
        return data


def _summary(asset: Asset, kind: str, results: list[LandingResult]) -> LandingResult:
    """One result for a source offering several files: landed when any file was."""
    if len(results) == 1:
        return results[0]
    landed = [r for r in results if r.landed]
    last = landed[-1] if landed else results[-1]
    reason = f"{len(landed)} of {len(results)} files landed ({len(results) - len(landed)} unchanged)"
    return LandingResult(
        asset=asset.name, landed=bool(landed), skipped=not landed, reason=reason, source_kind=kind,
        source_url=last.source_url, key=last.key, manifest_key=last.manifest_key, sha256=last.sha256,
        bytes=sum(r.bytes or 0 for r in landed) if landed else last.bytes, ingest_date=last.ingest_date,
        files=tuple(results),
    )


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
    period: Period | None = None,
) -> LandingResult:
    """Land a raw asset's current files; LandingError (naming the dataset and cause) on failure.

    Each file the source offers (one, or every resource its selection matches) lands once per
    content: an unchanged one is skipped. ``period`` keeps the files whose period overlaps it
    (files of unknown period always count). ``snapshot_dir`` (else ``settings.snapshot_dir``)
    lands from a snapshot folder instead of the asset's CKAN or FTP source. ``now`` fixes the
    fetch time and ingest date (UTC).
    """
    settings = settings or get_settings()
    asset = resolve_asset(asset_name)
    storage = get_storage(settings)
    source = source_for(asset, settings, Path(snapshot_dir) if snapshot_dir else None)
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    resources = source.resources(asset)
    if period is not None:
        resources = [r for r in resources if (p := asset.source.period_of(r.name)) is None or p.overlaps(period)]
        if not resources:
            return LandingResult(asset=asset.name, landed=False, skipped=True, source_kind=source.kind,
                                 reason=f"the source offers no file for {period}")
    results = [_land_resource(asset, settings, storage, source, resource, now) for resource in resources]
    return _summary(asset, source.kind, results)


def _land_resource(asset: Asset, settings: Settings, storage: Storage, source, resource: Resource,
                   now: datetime) -> LandingResult:
    one_of_many = asset.source.selection == "every"
    covered = asset.source.period_of(resource.name)
    period = covered.label() if covered else None
    try:
        # Inside the try: reading the lake can fail too (an S3 bucket we may not list).
        try:
            previous = latest_manifest(storage, asset, resource=resource.key if one_of_many else None)
        except ManifestError as exc:
            raise LandingError(asset.name, str(exc)) from None
        with StagedFile(storage.staging_dir(), asset.name) as staged:
            outcome = source.fetch(asset, previous, staged, resource)
            if isinstance(outcome, Unchanged):
                log.info("%s: skipped %s, %s", asset.name, resource.name, outcome.reason)
                return LandingResult(asset=asset.name, landed=False, skipped=True, reason=outcome.reason,
                                     source_kind=source.kind, source_url=outcome.source_url,
                                     resource=resource.key, period=period)
            staged.finish(fsync=settings.landing_fsync)
            _verify(asset, outcome, staged)
            if previous is not None and previous.sha256 == staged.sha256:
                reason = f"identical to the last landing {previous.key} (sha256 {staged.sha256[:12]})"
                log.info("%s: skipped, %s", asset.name, reason)
                return LandingResult(asset=asset.name, landed=False, skipped=True, reason=reason,
                                     source_kind=source.kind, source_url=outcome.source_url,
                                     key=previous.key, sha256=previous.sha256, bytes=previous.bytes,
                                     resource=resource.key, period=period)
            manifest = _publish(storage, asset, source.kind, outcome, staged, now,
                                resource=resource.key or None, period=period)
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
        resource=manifest.resource, period=manifest.period,
    )


def _verify(asset: Asset, fetched: Fetched, staged: StagedFile) -> None:
    if fetched.expected_bytes is not None and staged.bytes != fetched.expected_bytes:
        raise LandingError(
            asset.name, f"received {staged.bytes} bytes of the {fetched.expected_bytes} announced by {fetched.source_url}"
        )
    check_content(asset.name, staged.head, staged.bytes, asset.source.parser.format, fetched.content_type)


def _publish(storage: Storage, asset: Asset, kind: str, fetched: Fetched, staged: StagedFile, now: datetime,
             *, resource: str | None, period: str | None) -> Manifest:
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
        detected_encoding=detect_encoding(staged.head), resource=resource, period=period,
    )
    try:
        write_manifest(storage, manifest)
    except BaseException:
        # A landing is its file and its manifest: without the manifest, take the file back.
        storage.delete(key)
        raise
    return manifest
