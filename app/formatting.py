"""Human-readable numbers shared by the command line and the app."""

from __future__ import annotations


def human_bytes(count: int | None, missing: str = "") -> str:
    """``1536`` → ``1.5 KB``; ``missing`` stands for an engine that reported nothing."""
    if count is None:
        return missing
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024:
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} TB"
