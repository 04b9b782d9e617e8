"""Error text stored in the run history: capped, the full text going to the run's log.

A message built from bad input can be huge (a binary file's first line is the whole file); the
catalog keeps about 2 KB of it, enough to read the cause, and says where the rest is.
"""

from __future__ import annotations

import logging

MAX_STORED_CHARS = 2048
log = logging.getLogger("bhnav.errors")


def capped(text: str, limit: int = MAX_STORED_CHARS) -> str:
    """``text`` when it fits in ``limit`` characters, else its start and how much was cut."""
    if len(text) <= limit:
        return text
    tail = f" ... [{len(text) - limit} more characters of {len(text)}; the full text is in the run's log]"
    return text[: max(0, limit - len(tail))] + tail


def stored(asset: str, text: str, limit: int = MAX_STORED_CHARS) -> str:
    """The text to store for ``asset``'s failed run; a capped one is logged in full first."""
    short = capped(text, limit)
    if short != text:
        log.error("Asset %r: full error text (%d characters): %s", asset, len(text), text)
    return short
