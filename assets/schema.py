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
    """One column. ``pii`` marks personal data; ``pii_handling`` says how it leaves the curated zone.

    A curated column copied from a raw file names its ``source`` column: one published name for
    every layout, or ``{layout: name}`` (a layout left out has no such column: null there). ``rule``
    says how the text is read (``assets.rules``; by default the one of the column's type). Columns
    without a source are computed by the transform.
    """

    name: str
    type: str
    description: str
    pii: bool = False
    pii_handling: str = "hash"
    nullable: bool = True
    source: str | tuple[tuple[str, str], ...] | None = None
    rule: str | None = None

    def __post_init__(self):
        if isinstance(self.source, dict):
            object.__setattr__(self, "source", tuple(sorted(self.source.items())))

    def source_in(self, layout: str) -> str | None:
        """The published column this one is read from in ``layout`` (None: not in that layout)."""
        if self.source is None or isinstance(self.source, str):
            return self.source
        return dict(self.source).get(layout)

    @property
    def parse_rule(self) -> str | None:
        from assets.rules import DEFAULT_RULES

        if self.source is None:
            return None
        return self.rule or DEFAULT_RULES.get(self.type.split("(")[0])

    def validated(self, asset: str | None) -> "Column":
        check_name(asset, "column", self.name)
        glue_type = check_type(asset, self.name, self.type)
        if self.rule is not None and self.source is None:
            raise AssetDefinitionError(asset, f"column {self.name!r} has a rule but no source column",
                                       "Name the published column it is read from with source=.")
        if self.source is not None:
            from assets.rules import check_rule

            check_rule(asset, self.name, self.rule or (replace(self, type=glue_type).parse_rule or "?"), glue_type)
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

    @property
    def copied(self) -> tuple[Column, ...]:
        """The columns read from a source column (the typed copy's part of the table)."""
        return tuple(c for c in self.columns if c.source is not None)

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
