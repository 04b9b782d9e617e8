"""Read-only SQL: parse Athena (Trino) SQL with sqlglot and refuse anything but a query.

The decision is made on the parsed tree: the statement must be one SELECT (or UNION/INTERSECT/
EXCEPT, VALUES, DESCRIBE), and no node inside it may write, change settings or reach files
(``SELECT ... INTO``, a data-modifying CTE, a table function such as ``read_csv(...)``).
Statements sqlglot cannot parse are named by their first keyword when it is a known DDL/DML one,
so ``ATTACH`` or ``EXPORT DATABASE`` get the read-only message rather than a syntax error.

``table_references`` resolves names per scope (sqlglot's scope model): a ``WITH`` name hides a
table only inside the query that defines it, every other reference must be a catalog table, and a
quoted file path is never a table name. Nesting deeper than ``MAX_NESTING`` is refused before
sqlglot recurses into it; ``redact_paths`` keeps the machine's folders out of every message.
"""

from __future__ import annotations

import logging
import re

import sqlglot
from sqlglot import exp

READ = "athena"  # Athena's engine v3 is Trino: sqlglot's Athena dialect reads its DML as Trino
MAX_NESTING = 24  # parentheses deep; sqlglot's recursive parser and printer need far fewer than Python's limit


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


def nesting_depth(sql: str) -> int:
    """How deep the parentheses of ``sql`` go, outside string literals, quoted names and comments."""
    depth = deepest = 0
    for token in _TOKENS.finditer(sql):
        if token[0] == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif token[0] == ")":
            depth -= 1
    return deepest


_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|[()]", re.S)


def parse_read_only(sql: str) -> exp.Expression:
    """The parsed statement, or ``ReadOnlyQueryError`` / ``QueryError`` saying why it cannot run."""
    if not sql or not sql.strip():
        raise QueryError("the query is empty; pass a SELECT statement")
    depth = nesting_depth(sql)
    if depth > MAX_NESTING:
        raise QueryError(f"the query nests parentheses {depth} levels deep; at most {MAX_NESTING} are accepted. "
                         "Name the inner parts with WITH instead of nesting them")
    first = first_keyword(sql)
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # sqlglot warns when it falls back to a raw Command; we refuse those
    try:
        statements = [s for s in sqlglot.parse(sql, read=READ) if s is not None]
    except RecursionError:
        raise QueryError(f"the query is nested too deeply to parse; at most {MAX_NESTING} levels are accepted. "
                         "Name the inner parts with WITH instead of nesting them") from None
    except sqlglot.errors.ParseError as exc:
        if first in _WRITE_KEYWORDS:
            raise _refuse(f"{first} statements are") from None
        message = str(exc).splitlines()[0]
        raise QueryError(f"the query is not valid Athena (Trino) SQL: {redact_paths(message)}") from None
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
    """The catalog tables a statement reads: every table reference but those naming a ``WITH``
    query visible in their own scope. Fails closed: a reference no scope claims counts as a
    catalog table, so it must resolve in the catalog."""
    from sqlglot.optimizer.scope import traverse_scope

    tables = [t for t in statement.find_all(exp.Table) if isinstance(t.this, exp.Identifier)]
    for table in tables:
        _refuse_path(table)
    for cte in statement.find_all(exp.CTE):
        _refuse_path_name(cte.alias_or_name)
    try:
        scopes = traverse_scope(statement)
    except RecursionError:
        raise QueryError(f"the query is nested too deeply; at most {MAX_NESTING} levels are accepted") from None
    cte_references = {
        id(table) for scope in scopes for table in scope.tables
        if not table.db and not table.catalog and table.name in scope.cte_sources
    }
    return [t for t in tables if id(t) not in cte_references]


_PATH_CHARS = re.compile(r"[/\\:*?.~]")


def _refuse_path_name(name: str) -> None:
    if _PATH_CHARS.search(name or ""):
        shown = name if len(name) <= 40 and not name.startswith(("/", "\\", "~")) else "a quoted file path"
        raise QueryError(f"{shown!r} is not a table name: queries read catalog tables only, named "
                         "<database>.<table> (SHOW TABLES lists them), never files or paths")


def _refuse_path(table: exp.Table) -> None:
    for part in (table.this, table.args.get("db"), table.args.get("catalog")):
        if isinstance(part, exp.Identifier):
            _refuse_path_name(part.name)


_ABSOLUTE_PATH = re.compile(r"(?:[A-Za-z]:)?(?<![\w.])/(?:[^\s'\"/]+/)*[^\s'\",;)]*")


def redact_paths(text: str) -> str:
    """``text`` with every absolute path shortened to its last part: messages must not show where
    the lake or the code lives on this machine."""
    def last_part(match: re.Match) -> str:
        path = match[0].rstrip("/")
        return f"<...>/{path.rsplit('/', 1)[-1]}" if "/" in path.strip("/") else match[0]

    return _ABSOLUTE_PATH.sub(last_part, text)
