"""The log of every query the engines run: one JSON line per query, appended to a file.

A line holds the time (UTC), the user (when logged in), the SQL as asked, the engine, the bytes
scanned, the rows returned, the duration, the outcome (``ok``, ``refused``, ``error``,
``timeout``, ``cancelled``) with its one-line message, and where it was asked (``source``). The file is ``BHNAV_QUERY_LOG``, by
default ``<lake>/_query_log/queries.jsonl`` locally and ``~/.bhnav/queries.jsonl`` beside the app
in AWS. ``history(settings, user)`` reads a user's queries back, newest first, for the SQL page.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lake.settings import Settings

OUTCOMES = ("ok", "refused", "error", "timeout", "cancelled")
_lock = threading.Lock()


@dataclass(frozen=True)
class QueryLogEntry:
    time: str
    user: str | None
    sql: str
    engine: str
    bytes_scanned: int | None
    rows: int | None
    duration_s: float
    outcome: str
    message: str = ""
    source: str = ""  # where it was asked: cli, sql-page, app (the pages' own reads)


def log_path(settings: "Settings") -> Path:
    if settings.query_log is not None:
        return settings.query_log
    if settings.is_aws:
        return Path.home() / ".bhnav" / "queries.jsonl"
    return settings.lake_dir / "_query_log" / "queries.jsonl"


def record(settings: "Settings", *, user: str | None, sql: str, engine: str, bytes_scanned: int | None,
           rows: int | None, duration_s: float, outcome: str, message: str = "", source: str = "") -> QueryLogEntry:
    """Append one query to the log (one ``write`` of one line, so concurrent writers do not interleave)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"query log outcome {outcome!r} is unknown; use one of {', '.join(OUTCOMES)}")
    entry = QueryLogEntry(time=datetime.now(timezone.utc).isoformat(timespec="milliseconds"), user=user, sql=sql,
                          engine=engine, bytes_scanned=bytes_scanned, rows=rows, duration_s=round(duration_s, 3),
                          outcome=outcome, message=message, source=source)
    path = log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode("utf-8")
    with _lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
    return entry


def entries(settings: "Settings") -> list[QueryLogEntry]:
    """Every logged query, oldest first; lines that are not whole entries (a crash mid-write) are skipped."""
    path = log_path(settings)
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            found.append(QueryLogEntry(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return found


def history(settings: "Settings", user: str | None, source: str | None = None, limit: int = 50) -> list[QueryLogEntry]:
    """The user's own queries (asked from ``source`` when given), newest first; ``None``: the
    queries run without a login."""
    mine = [e for e in entries(settings) if e.user == user and (source is None or e.source == source)]
    return list(reversed(mine))[:limit]
