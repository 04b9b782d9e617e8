"""Read-only SQL: parse Athena (Trino) SQL with sqlglot and refuse anything but a query.

The decision is made on the parsed tree: the statement must be one SELECT (or UNION/INTERSECT/
EXCEPT, VALUES, DESCRIBE), and no node inside it may write, change settings or reach files
(``SELECT ... INTO``, a data-modifying CTE, a table function such as ``read_csv(...)``).
Statements sqlglot cannot parse are named by their first keyword when it is a known DDL/DML one,
so ``ATTACH`` or ``EXPORT DATABASE`` get the read-only message rather than a syntax error.
"""

from __future__ import annotations

import logging
import re

import sqlglot
from sqlglot import exp

READ = "trino"


class QueryError(ValueError):
    """A query could not run: bad syntax, an unknown table, an engine error."""


class ReadOnlyQueryError(QueryError):
    """The statement would change something; queries are read-only."""


_WRITE_KEYWORDS = (
    "ALTER", "ANALYZE", "ATTACH", "CALL", "CHECKPOINT", "COMMENT", "COMMIT", "COPY", "CREATE", "DEALLOCATE",
    "DELETE", "DETACH", "DROP", "EXECUTE", "EXPORT", "FORCE", "GRANT", "IMPORT", "INSERT", "INSTALL", "LOAD",
    "MERGE", "MSCK", "OPTIMIZE", "PRAGMA", "PREPARE", "REFRESH", "RESET", "REVOKE", "ROLLBACK", "SET",
    "START", "TRUNCATE", "UNLOAD", "UPDATE", "USE", "VACUUM", "BEGIN", "REPAIR",
)
_ALLOWED_ROOTS = (exp.Select, exp.SetOperation, exp.Values, exp.Describe, exp.Subquery)
_FORBIDDEN_NODES = tuple(
    getattr(exp, name) for name in (
        "Insert", "Create", "Drop", "Delete", "Update", "Merge", "Alter", "Command", "Copy", "Pragma", "Set",
        "Use", "TruncateTable", "Into", "LoadData", "Grant", "Revoke", "Transaction", "Commit", "Rollback",
        "Attach", "Detach", "Install", "Export", "Analyze", "Cache", "Uncache", "Refresh",
    ) if hasattr(exp, name)
)
_FIRST_WORD = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*([A-Za-z]+)", re.S)


def _refuse(what: str) -> ReadOnlyQueryError:
    return ReadOnlyQueryError(
        f"bhnav query is read-only: {what} refused. Only SELECT queries (with WITH, UNION, VALUES) "
        "and DESCRIBE run here; tables change only through materialisation (bhnav materialize)."
    )


def first_keyword(sql: str) -> str:
    match = _FIRST_WORD.match(sql)
    return match[1].upper() if match else ""


def parse_read_only(sql: str) -> exp.Expression:
    """The parsed statement, or ``ReadOnlyQueryError`` / ``QueryError`` saying why it cannot run."""
    if not sql or not sql.strip():
        raise QueryError("the query is empty; pass a SELECT statement")
    first = first_keyword(sql)
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # sqlglot warns when it falls back to a raw Command; we refuse those
    try:
        statements = [s for s in sqlglot.parse(sql, read=READ) if s is not None]
    except sqlglot.errors.ParseError as exc:
        if first in _WRITE_KEYWORDS:
            raise _refuse(f"{first} statements are") from None
        message = str(exc).splitlines()[0]
        raise QueryError(f"the query is not valid Athena (Trino) SQL: {message}") from None
    finally:
        logger.setLevel(level)
    if not statements:
        raise QueryError("the query is empty; pass a SELECT statement")
    if len(statements) > 1:
        raise QueryError(f"one statement at a time: the text holds {len(statements)} statements")
    statement = statements[0]
    if isinstance(statement, exp.Command) and first in ("SHOW", "EXPLAIN"):
        # SHOW is answered from the catalog before this guard runs (catalog/show.py).
        raise QueryError(f"{first} is not supported here; list tables with SHOW TABLES [IN database] and "
                         "columns with DESCRIBE <database>.<table>")
    if not isinstance(statement, _ALLOWED_ROOTS):
        kind = first if first in _WRITE_KEYWORDS or isinstance(statement, exp.Command) else type(statement).__name__.upper()
        raise _refuse(f"{kind or 'non-query'} statements are")
    for node in statement.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            name = "SELECT ... INTO is" if isinstance(node, exp.Into) else f"a nested {type(node).__name__.upper()} is"
            raise _refuse(name)
        if isinstance(node, exp.Table) and not isinstance(node.this, exp.Identifier):
            raise _refuse(f"the table function {node.this.sql(READ)[:60]!r} is")
    return statement


def table_references(statement: exp.Expression) -> list[exp.Table]:
    """The catalog tables a statement reads (CTE names excluded)."""
    ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    found = []
    for table in statement.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            continue
        if not table.db and table.name.lower() in ctes:
            continue
        found.append(table)
    return found
