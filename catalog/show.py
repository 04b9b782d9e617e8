"""Athena's SHOW statements answered from the catalog: the local engine's metadata queries.

    SHOW DATABASES | SHOW SCHEMAS [LIKE 'pattern']
    SHOW TABLES [IN database] ['pattern']
    SHOW COLUMNS {FROM | IN} database.table
    SHOW TBLPROPERTIES database.table

Patterns are Athena's: ``*`` matches any characters and ``|`` separates alternatives.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from catalog.sql_guard import QueryError

if TYPE_CHECKING:
    from catalog.base import TableEntry

_NAME = r'"?([A-Za-z0-9_]+)"?'
_DATABASES = re.compile(r"^\s*SHOW\s+(?:DATABASES|SCHEMAS)(?:\s+LIKE\s+'([^']*)')?\s*;?\s*$", re.I)
_TABLES = re.compile(rf"^\s*SHOW\s+TABLES(?:\s+(?:IN|FROM)\s+{_NAME})?(?:\s+(?:LIKE\s+)?'([^']*)')?\s*;?\s*$", re.I)
_COLUMNS = re.compile(rf"^\s*SHOW\s+COLUMNS\s+(?:FROM|IN)\s+(?:{_NAME}\.)?{_NAME}(?:\s+(?:FROM|IN)\s+{_NAME})?\s*;?\s*$",
                      re.I)
_PROPERTIES = re.compile(rf"^\s*SHOW\s+TBLPROPERTIES\s+(?:{_NAME}\.)?{_NAME}\s*;?\s*$", re.I)


def _matches(pattern: str | None, name: str) -> bool:
    if not pattern:
        return True
    alternatives = [re.escape(p.strip()).replace(r"\*", ".*") for p in pattern.split("|")]
    return re.fullmatch("|".join(alternatives), name, re.I) is not None


def answer(sql: str, entries: list["TableEntry"], databases: list[str]) -> tuple[list[str], list[tuple]]:
    """(column names, rows) for a SHOW statement; QueryError for a form not handled here."""
    if match := _DATABASES.match(sql):
        return ["database_name"], [(d,) for d in sorted(databases) if _matches(match[1], d)]
    if match := _TABLES.match(sql):
        database, pattern = (match[1] or "").lower(), match[2]
        if database and database not in databases:
            raise QueryError(f"database {database!r} does not exist; SHOW DATABASES lists them")
        return ["tab_name"], [(e.name,) for e in sorted(entries, key=lambda e: e.name)
                              if (not database or e.database == database) and _matches(pattern, e.name)]
    if match := _COLUMNS.match(sql):
        entry = _find(entries, match[1] or match[3], match[2])
        return ["field"], [(c["Name"],) for c in entry.all_columns]
    if match := _PROPERTIES.match(sql):
        entry = _find(entries, match[1], match[2])
        return ["prpt_name", "prpt_value"], sorted(entry.parameters.items())
    raise QueryError("this SHOW form is not supported locally; use SHOW DATABASES, SHOW TABLES [IN db], "
                     "SHOW COLUMNS FROM db.table, SHOW TBLPROPERTIES db.table or DESCRIBE db.table")


def _find(entries: list["TableEntry"], database: str | None, name: str) -> "TableEntry":
    name, database = name.lower(), (database or "").lower()
    found = [e for e in entries if e.name == name and (not database or e.database == database)]
    if not found:
        shown = f"{database}.{name}" if database else name
        raise QueryError(f"table {shown} is not in the catalog; SHOW TABLES lists them")
    return found[0]
