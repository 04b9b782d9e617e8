"""Name rules shared by asset, column and partition names.

Glue lower-cases names and Athena accepts ``[a-z0-9_]`` in table and column names; a name that
starts with a digit or exceeds 255 characters is refused by one of them, so we refuse it first.
"""

from __future__ import annotations

import re

from assets.errors import AssetDefinitionError

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,254}$")
# Words Athena's DDL refuses as bare identifiers (subset that plausibly appear as column names).
RESERVED = frozenset(
    {
        "all", "alter", "and", "as", "between", "by", "case", "cast", "create", "cross", "cube",
        "current_date", "current_time", "current_timestamp", "date", "delete", "describe",
        "distinct", "drop", "else", "end", "escape", "except", "exists", "extract", "false",
        "for", "from", "full", "group", "grouping", "having", "in", "inner", "insert",
        "intersect", "into", "is", "join", "left", "like", "natural", "not", "null", "on",
        "or", "order", "outer", "recursive", "right", "rollup", "select", "table", "then",
        "time", "timestamp", "true", "union", "unnest", "using", "values", "when", "where", "with",
    }
)


def check_name(asset: str | None, kind: str, name: object) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise AssetDefinitionError(
            asset,
            f"{kind} name {name!r} is not a valid Glue/Athena name (lower-case letters, digits and "
            "underscores, not starting with a digit, at most 255 characters)",
            f"Rename it, for example to {_suggest(name)!r}.",
        )
    if name in RESERVED:
        raise AssetDefinitionError(
            asset,
            f"{kind} name {name!r} is a reserved word in Athena",
            f"Rename it, for example to {name + '_value'!r}.",
        )
    return name


def _suggest(name: object) -> str:
    text = re.sub(r"[^a-z0-9_]+", "_", str(name).strip().lower()).strip("_") or "name"
    return f"c_{text}" if text[0].isdigit() else text


def snake_from_header(header: str) -> str:
    """``' DATA HORA_BOLETIM'`` → ``data_hora_boletim``; ``'Código Operadora'`` → ``codigo_operadora``."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", header.strip()).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_") or "coluna"
    return f"c_{name}" if name[0].isdigit() else name


def unique_snake_names(headers) -> tuple[str, ...]:
    """Snake names for a header row, a repeated name suffixed ``_2``, ``_3`` (the MCO file repeats one)."""
    names: list[str] = []
    for header in headers:
        base = snake_from_header(header)
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base}_{n}"
        names.append(name)
    return tuple(names)
