"""Place names compared the way people write them: accents, case and punctuation folded."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^A-Z0-9]+")


def fold(name: str | None) -> str:
    """'São Bento/Sta. Lúcia' → 'SAO BENTO STA LUCIA'."""
    if not name:
        return ""
    stripped = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.upper()).strip()


def contains_words(haystack: str, needle: str) -> bool:
    """Whether the folded ``needle`` occurs in the folded ``haystack`` as whole words."""
    if not needle:
        return False
    return f" {needle} " in f" {haystack} "
