"""Checks on the landed bytes before they are published, and the encoding we detect.

The sniffing looks at the first bytes (``StagedFile.head``): a text format (CSV, GeoJSON) must
not be an HTML page, even behind whitespace, a BOM, an XML declaration or comments, must not be
only whitespace, and must not be binary (compressed or archived bytes, NULs, control bytes).
"""

from __future__ import annotations

import re

from landing.errors import LandingError

_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<script")
_PREAMBLE = re.compile(rb"^(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)+", re.DOTALL)
_MAGIC = (
    (b"\x1f\x8b", "gzip-compressed"),
    (b"PK\x03\x04", "zip (or xlsx)"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "OLE2 (xls or doc)"),
    (b"BZh", "bzip2-compressed"),
    (b"\xfd7zXZ\x00", "xz-compressed"),
)
# Bytes no text file of ours holds: C0 controls other than tab, newline, carriage return, form feed.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
CONTROL_SHARE = 0.01


def check_content(asset: str, head: bytes, size: int, expected_format: str, content_type: str | None) -> None:
    """Refuse an empty or blank file, an HTML page (a portal's error or login page served with 200)
    and binary bytes where a text format is declared."""
    if size == 0:
        raise LandingError(asset, "the source file is empty (0 bytes)")
    body = head.removeprefix(b"\xef\xbb\xbf")
    if size <= len(head) and not body.strip():
        raise LandingError(asset, f"the source file holds only whitespace ({size} bytes) where a {expected_format} "
                                  "file was expected; check the source or wait for it to be republished")
    kind = binary_kind(body)
    if kind:
        raise LandingError(asset, f"the source served {kind} bytes where a {expected_format} text file was expected; "
                                  "if the publisher now compresses it, declare the new format")
    start = _PREAMBLE.sub(b"", body[:8192], count=1).lower()
    is_html = start.startswith(_HTML_STARTS) or (content_type or "").lower().startswith("text/html")
    if is_html:
        shown = f", Content-Type {content_type}" if content_type else ""
        raise LandingError(asset, f"the source served an HTML page where a {expected_format} file was expected{shown}")


def binary_kind(head: bytes) -> str | None:
    """What binary the bytes look like, or None for text."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary (NUL bytes)"
    sample = head[:8192]
    controls = sum(sample.count(bytes([c])) for c in _CONTROL)
    if sample and controls / len(sample) > CONTROL_SHARE:
        return f"binary ({controls} control bytes in the first {len(sample)})"
    return None


def detect_encoding(head: bytes) -> str | None:
    """charset-normalizer's best guess on the first bytes: a hint for people, recorded as
    'detected'; parsing uses the encoding declared on the asset."""
    if not head:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    return best.encoding if best else None
