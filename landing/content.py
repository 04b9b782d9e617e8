"""Checks on the landed bytes before they are published, and the encoding we detect."""

from __future__ import annotations

from landing.errors import LandingError

_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


def check_content(asset: str, head: bytes, size: int, expected_format: str, content_type: str | None) -> None:
    """Refuse an empty file, or an HTML page (a portal's error or login page served with 200)."""
    if size == 0:
        raise LandingError(asset, "the source file is empty (0 bytes)")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    is_html = start.startswith(_HTML_STARTS) or (content_type or "").lower().startswith("text/html")
    if is_html:
        shown = f", Content-Type {content_type}" if content_type else ""
        raise LandingError(asset, f"the source served an HTML page where a {expected_format} file was expected{shown}")


def detect_encoding(head: bytes) -> str | None:
    """charset-normalizer's best guess on the first bytes: a hint for people, recorded as
    'detected'; parsing uses the encoding declared on the asset."""
    if not head:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    return best.encoding if best else None
