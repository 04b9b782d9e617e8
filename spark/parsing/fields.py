"""Splitting a decoded line into fields with the asset's ParserOptions, and checking the header."""

from __future__ import annotations

import csv
from collections import Counter
from typing import TYPE_CHECKING

from spark.context import SchemaDriftError

if TYPE_CHECKING:
    from assets.source import ParserOptions


def split_fields(line: str, parser: "ParserOptions") -> list[str]:
    """The fields of one line; quoted fields may hold the delimiter (the parks' WKT polygons)."""
    if parser.quote not in line:
        return line.split(parser.delimiter)  # the common case, several times faster than csv
    return next(csv.reader([line], delimiter=parser.delimiter, quotechar=parser.quote))


def header_names(line: str, parser: "ParserOptions") -> list[str]:
    """The header's column names, trimmed (si-bol pads them: ' DATA HORA_BOLETIM')."""
    return [name.strip() for name in split_fields(line, parser)]


def check_header(
    asset: str, file: str, header: list[str], expected: tuple[str, ...], renames: tuple[tuple[str, str], ...] = ()
) -> list[str]:
    """The header with the declared renames applied, in file order; SchemaDriftError if it differs.

    Order may change (fields are looked up by name), names may repeat (the MCO file has two
    'Viagem' columns), so the comparison is of multisets; a declared rename (old, new) maps a
    published name back to the expected one.
    """
    mapping = dict(renames)
    names = [mapping.get(name, name) for name in header]
    if not expected:
        return names
    found, wanted = Counter(names), Counter(expected)
    missing = sorted((wanted - found).elements())
    extra = sorted((found - wanted).elements())
    if missing or extra:
        raise SchemaDriftError(asset, file, missing, extra)
    return names


def keyed(names: list[str]) -> list[str]:
    """Unique keys for a header with repeated names: the second 'Viagem' becomes 'Viagem#2'."""
    seen: Counter = Counter()
    keys = []
    for name in names:
        seen[name] += 1
        keys.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return keys
