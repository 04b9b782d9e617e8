"""What one download may take, and what the source promised about its bytes.

- ``DownloadLimits``: a size cap (the source's ``max_mb``, else the settings'), an overall
  deadline for the whole transfer (a per-read timeout alone lets a source trickling one byte per
  second hold a landing for hours), and the hosts a redirect may lead to.
- ``check_promises``: the size and hash the source published (CKAN's resource ``size`` and
  ``hash``) against the bytes received: a body cut short without a Content-Length is caught here.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from landing.errors import LandingError

_HASHES = {32: "md5", 40: "sha1", 64: "sha256"}


@dataclass(frozen=True)
class DownloadLimits:
    max_bytes: int
    deadline_s: float
    hosts: frozenset[str]

    def deadline_at(self) -> float:
        return time.monotonic() + self.deadline_s

    def check_host(self, asset: str, from_url: str, to_url: str) -> None:
        host = (urlsplit(to_url).hostname or "").lower()
        if host not in self.hosts:
            raise LandingError(
                asset, f"{from_url} redirects to host {host!r}, which is not a declared host of the source "
                       f"(declared: {', '.join(sorted(self.hosts))}); if it is the publisher's, add it to the "
                       "source's hosts= or BHNAV_LANDING_HOSTS")

    def check_size(self, asset: str, size: int, url: str, *, announced: bool = False) -> None:
        if size > self.max_bytes:
            what = f"announces {size} bytes" if announced else f"sent more than {self.max_bytes} bytes"
            raise LandingError(
                asset, f"{url} {what}, over the cap of {self.max_bytes} bytes ({self.max_bytes / 2**20:g} MB); "
                       "raise the source's max_mb (or BHNAV_LANDING_MAX_MB) if the file really is that large")

    def deadline_error(self, asset: str, received: int, url: str) -> LandingError:
        return LandingError(
            asset, f"download of {url} passed its overall deadline of {self.deadline_s:g}s after {received} bytes; "
                   "the source is too slow: retry later or raise BHNAV_LANDING_DEADLINE")


def limits_for(asset, settings, url: str) -> DownloadLimits:
    """The limits of ``asset``'s download from ``url`` under ``settings`` (read now)."""
    source = asset.source
    max_mb = source.max_mb if source.max_mb is not None else settings.landing_max_mb
    hosts = {(urlsplit(url).hostname or "").lower(), (urlsplit(settings.ckan_url).hostname or "").lower()}
    hosts |= set(source.hosts) | set(settings.landing_hosts)
    return DownloadLimits(max_bytes=int(max_mb * 2**20), deadline_s=float(settings.landing_deadline_s),
                          hosts=frozenset(h for h in hosts if h))


def parse_hash(text: str | None) -> tuple[str, str] | None:
    """``(algorithm, hex digest)`` from CKAN's free-text ``hash`` (``md5:..``, ``sha256:..`` or bare
    hex of a known length); None when it is empty or not a digest we can compute."""
    if not text:
        return None
    text = str(text).strip().lower()
    algorithm, _, digest = text.rpartition(":")
    if not re.fullmatch(r"[0-9a-f]+", digest):
        return None
    algorithm = algorithm.replace("-", "") or _HASHES.get(len(digest), "")
    if algorithm not in ("md5", "sha1", "sha256") or _HASHES.get(len(digest)) != algorithm:
        return None
    return algorithm, digest


def file_digest(path: Path, algorithm: str, chunk: int = 1 << 20) -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def check_promises(asset: str, url: str, received: int, path: Path, *, size=None, hash_text: str | None = None,
                   sha256: str | None = None) -> None:
    """Refuse bytes that are not what the source published: its ``size`` (bytes) and ``hash``.

    A shortfall is retriable (a transfer cut short); a mismatch of equal size is not."""
    promised = int(size) if isinstance(size, int) or (isinstance(size, str) and size.isdigit()) else None
    if promised is not None and promised != received:
        raise LandingError(
            asset, f"received {received} bytes from {url}, but the source's resource says size {promised}; "
                   "the transfer was cut short or the resource changed: rerun the landing",
            retriable=received < promised)
    parsed = parse_hash(hash_text)
    if parsed is None:
        return
    algorithm, expected = parsed
    actual = sha256 if algorithm == "sha256" and sha256 else file_digest(path, algorithm)
    if actual != expected:
        raise LandingError(
            asset, f"the {received} bytes from {url} have {algorithm} {actual}, but the source's resource "
                   f"says {expected}; the file is not the one published: rerun the landing, and if it "
                   "persists tell the publisher its metadata is stale")
