"""File names that come from outside (URLs, resource names) made safe to use as lake keys."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from landing.errors import LandingError

_UNSAFE = re.compile(r"[^\w.\-]+")


def file_name_from_url(asset: str, url: str, fallback: str) -> str:
    """The original file name a download URL ends with, checked; ``fallback`` when it has none."""
    raw = unquote(urlparse(url).path.rsplit("/", 1)[-1]) if url else ""
    return safe_file_name(asset, raw or fallback)


def safe_file_name(asset: str, name: str) -> str:
    """Refuse names that try to leave their folder; replace other odd characters with ``_``.

    A name with a path separator or a leading dot (``../../etc/passwd``, ``.hidden``) is an
    attack or a broken publisher either way: landing it under a rewritten name would hide that.
    """
    if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        raise LandingError(asset, f"the source's file name {name!r} tries to leave its folder; refusing it")
    cleaned = _UNSAFE.sub("_", name).strip("_")
    if not cleaned or cleaned in {".", ".."}:
        raise LandingError(asset, f"the source's file name {name!r} is empty once made safe")
    return cleaned[:200]


def numbered(file_name: str, n: int) -> str:
    """``x.csv`` → ``x-2.csv``: a changed file on the same day lands beside the first, never over it."""
    if n <= 1:
        return file_name
    stem, dot, ext = file_name.rpartition(".")
    return f"{stem}-{n}.{ext}" if dot and stem else f"{file_name}-{n}"
