"""Columns and schemas with Glue/Athena types: the single description of a table's shape.

From this one schema come the Spark ``StructType``, the Glue ``TableInput`` columns, the DuckDB
types and the documentation shown in the app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assets.errors import AssetDefinitionError
from assets.names import check_name

_SIMPLE_TYPES = frozenset({"string", "int", "bigint", "double", "boolean", "date", "timestamp"})
_DECIMAL = re.compile(r"^decimal\((\d{1,2}),(\d{1,2})\)$")
PII_HANDLING = ("drop", "hash")


def check_type(asset: str | None, column: str, glue_type: str) -> str:
    normalized = glue_type.replace(" ", "").lower()
    if normalized in _SIMPLE_TYPES:
        return normalized
    match = _DECIMAL.match(normalized)
    if match and 1 <= int(match[1]) <= 38 and int(match[2]) <= int(match[1]):
        return normalized
    raise AssetDefinitionError(
        asset,
        f"column {column!r} has type {glue_type!r}, which is not a supported Glue/Athena type",
        "Use one of string, int, bigint, double, boolean, date, timestamp or decimal(p,s) with p <= 38.",
    )


@dataclass(frozen=True, kw_only=True)
class Column:
    """One column. ``pii`` marks personal data; ``pii_handling`` says how it leaves the curated zone."""

    name: str
    type: str
    description: str
    pii: bool = False
    pii_handling: str = "hash"
    nullable: bool = True

    def validated(self, asset: str | None) -> "Column":
        check_name(asset, "column", self.name)
        glue_type = check_type(asset, self.name, self.type)
        if not self.description or not self.description.strip():
            raise AssetDefinitionError(
                asset, f"column {self.name!r} has no description", "Describe what the column holds."
            )
        if self.pii_handling not in PII_HANDLING:
            raise AssetDefinitionError(
                asset,
                f"column {self.name!r} has pii_handling {self.pii_handling!r}",
                f"Use one of {', '.join(PII_HANDLING)}.",
            )
        return replace(self, type=glue_type)


@dataclass(frozen=True, kw_only=True)
class Schema:
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))

    def validated(self, asset: str | None) -> "Schema":
        if not self.columns:
            raise AssetDefinitionError(asset, "the schema has no columns", "Declare at least one Column.")
        seen: set[str] = set()
        columns = []
        for column in self.columns:
            if column.name in seen:
                raise AssetDefinitionError(
                    asset, f"column {column.name!r} is declared twice", "Keep one declaration per column."
                )
            seen.add(column.name)
            columns.append(column.validated(asset))
        return Schema(columns=tuple(columns))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def get(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def __iter__(self):
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)


def schema(*columns: Column) -> Schema:
    return Schema(columns=columns)


def col(name: str, type: str, description: str, **kwargs) -> Column:
    """Shorthand for declarations: ``col("ano", "int", "Year")``."""
    return Column(name=name, type=type, description=description, **kwargs)
