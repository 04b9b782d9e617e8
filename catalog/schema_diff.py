"""Compare a registered table with its asset: which changes readers survive, which break them.

Compatible (the table is updated): a new nullable column, a widened type (int→bigint,
float→double, int→double, decimal with more integer digits and no fewer decimals), a changed
comment, a new column order (Delta and Athena read by name).
Breaking (refused unless ``allow_breaking``): a dropped column, a narrowed or otherwise changed
type, a new column that may not be null (old files have no value for it), changed partition keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_DECIMAL = re.compile(r"^decimal\((\d+),(\d+)\)$")
_WIDENINGS = {
    ("tinyint", "smallint"), ("tinyint", "int"), ("tinyint", "bigint"),
    ("smallint", "int"), ("smallint", "bigint"), ("int", "bigint"),
    ("float", "double"), ("int", "double"), ("smallint", "double"), ("tinyint", "double"),
    ("date", "timestamp"),
}


@dataclass(frozen=True)
class Change:
    kind: str  # added | dropped | type | comment | partition_keys | order | database
    column: str
    old: str | None
    new: str | None
    compatible: bool

    def describe(self) -> str:
        mark = "ok " if self.compatible else "BREAKING "
        if self.kind == "added":
            return f"{mark}+ {self.column} {self.new}"
        if self.kind == "dropped":
            return f"{mark}- {self.column} {self.old}"
        return f"{mark}~ {self.column} {self.kind}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class SchemaDiff:
    table: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if not c.compatible)

    @property
    def is_breaking(self) -> bool:
        return bool(self.breaking)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def describe(self) -> str:
        return "; ".join(c.describe() for c in self.changes) or "no change"


class SchemaChangeError(ValueError):
    """An incompatible schema change was refused; ``diff`` holds every change."""

    def __init__(self, diff: SchemaDiff):
        self.diff = diff
        super().__init__(
            f"Table {diff.table!r}: incompatible schema change: "
            f"{'; '.join(c.describe() for c in diff.breaking)}. "
            "Readers of the existing data would break; rewrite the table and pass --allow-breaking "
            "(allow_breaking=True) to accept it."
        )


def is_widening(old: str, new: str) -> bool:
    old, new = old.replace(" ", "").lower(), new.replace(" ", "").lower()
    if old == new or (old, new) in _WIDENINGS:
        return True
    a, b = _DECIMAL.match(old), _DECIMAL.match(new)
    if a and b:
        (p1, s1), (p2, s2) = (int(a[1]), int(a[2])), (int(b[1]), int(b[2]))
        return s2 >= s1 and (p2 - s2) >= (p1 - s1)
    return False


def _nullable(column: dict[str, Any]) -> bool:
    return (column.get("Parameters") or {}).get("bhnav.nullable", "true") != "false"


def diff_tables(old: dict[str, Any], new: dict[str, Any]) -> SchemaDiff:
    """Changes from ``old`` to ``new`` (both Glue ``TableInput`` dicts)."""
    old_cols = {c["Name"]: c for c in old["StorageDescriptor"]["Columns"]}
    new_cols = {c["Name"]: c for c in new["StorageDescriptor"]["Columns"]}
    changes: list[Change] = []
    old_keys = [(k["Name"], k["Type"]) for k in old.get("PartitionKeys", [])]
    new_keys = [(k["Name"], k["Type"]) for k in new.get("PartitionKeys", [])]
    if old_keys != new_keys:
        changes.append(Change("partition_keys", "(partitions)", _keys(old_keys), _keys(new_keys), False))
    for name, column in old_cols.items():
        if name not in new_cols:
            changes.append(Change("dropped", name, column["Type"], None, False))
    for name, column in new_cols.items():
        before = old_cols.get(name)
        if before is None:
            changes.append(Change("added", name, None, column["Type"], _nullable(column)))
            continue
        if before["Type"] != column["Type"]:
            changes.append(Change("type", name, before["Type"], column["Type"], is_widening(before["Type"], column["Type"])))
        if (before.get("Comment") or "") != (column.get("Comment") or ""):
            changes.append(Change("comment", name, before.get("Comment"), column.get("Comment"), True))
    common_old = [n for n in old_cols if n in new_cols]
    common_new = [n for n in new_cols if n in old_cols]
    if common_old != common_new:
        changes.append(Change("order", "(columns)", ",".join(common_old), ",".join(common_new), True))
    old_comments = {k["Name"]: k.get("Comment") or "" for k in old.get("PartitionKeys", [])}
    for key in new.get("PartitionKeys", []):
        if key["Name"] in old_comments and old_comments[key["Name"]] != (key.get("Comment") or ""):
            changes.append(Change("comment", key["Name"], old_comments[key["Name"]], key.get("Comment"), True))
    return SchemaDiff(table=new.get("Name", old.get("Name", "?")), changes=tuple(changes))


def _keys(keys: list[tuple[str, str]]) -> str:
    return ",".join(f"{n} {t}" for n, t in keys) or "(none)"
