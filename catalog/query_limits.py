"""The limits every query runs under: a statement timeout, a memory limit, result row and byte caps.

``Limits.from_settings`` reads them (``BHNAV_QUERY_TIMEOUT``, ``BHNAV_QUERY_MEMORY``,
``BHNAV_QUERY_MAX_ROWS``, ``BHNAV_QUERY_MAX_RESULT_MB``). ``Watchdog`` is the statement timeout of
either engine: a thread that calls the engine's own cancel (DuckDB's ``interrupt()``, Athena's
``StopQueryExecution``) when the time is up or when ``should_stop`` says the asker has gone (the
app's page session ended). ``fetch_capped`` reads a result batch by batch and stops at the caps,
so a wide SELECT never holds more than the byte cap in memory.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from catalog.sql_guard import QueryError

if TYPE_CHECKING:
    import pyarrow as pa

    from lake.settings import Settings

MB = 1024 * 1024


class QueryTimeoutError(QueryError):
    """The query ran past the statement timeout and was stopped."""


class QueryCancelledError(QueryError):
    """The query was stopped because whoever asked for it has gone (the page session ended)."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 30.0
    memory_limit: str = "2GB"
    max_rows: int = 100_000
    max_bytes: int = 256 * MB

    @classmethod
    def from_settings(cls, settings: "Settings") -> "Limits":
        return cls(timeout_s=settings.query_timeout_s, memory_limit=settings.query_memory_limit,
                   max_rows=settings.query_max_rows, max_bytes=settings.query_max_result_mb * MB)

    def row_limit(self, limit: int | None) -> int:
        """The rows a query may return: what the caller asked for, never beyond the cap."""
        return self.max_rows if limit is None else min(limit, self.max_rows)


class Watchdog:
    """``with Watchdog(limits.timeout_s, cancel, should_stop):`` around a blocking engine call.

    ``cancel`` runs once, from the watchdog's thread; afterwards ``error()`` is the error the
    interrupted call should raise instead of the engine's own."""

    def __init__(self, timeout_s: float, cancel: Callable[[], None],
                 should_stop: Callable[[], bool] | None = None, poll_s: float = 0.1):
        self.timeout_s, self.cancel, self.should_stop, self.poll_s = timeout_s, cancel, should_stop, poll_s
        self.reason: str | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="bhnav-query-watchdog", daemon=True)
        self.started = 0.0

    def __enter__(self) -> "Watchdog":
        self.started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        deadline = self.started + self.timeout_s
        while not self._done.wait(min(self.poll_s, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                self.reason = "timeout"
            elif self.should_stop is not None and self.should_stop():
                self.reason = "gone"
            else:
                continue
            try:
                self.cancel()
            finally:
                self._done.set()
            return

    @property
    def fired(self) -> bool:
        return self.reason is not None

    def error(self) -> QueryError:
        if self.reason == "gone":
            return QueryCancelledError("the query was stopped: the session that asked for it has ended")
        return QueryTimeoutError(
            f"the query ran past the {self.timeout_s:g} s statement timeout and was stopped. Filter on the "
            "partition columns (ano, mes), aggregate, or avoid cross joins; the limit is BHNAV_QUERY_TIMEOUT")


def fetch_capped(reader: "pa.RecordBatchReader", max_rows: int, max_bytes: int) -> tuple["pa.Table", bool]:
    """The first ``max_rows`` rows of a result, stopping before ``max_bytes``; (table, truncated).

    ``truncated`` says more rows existed than were returned (the row cap or the byte cap)."""
    import pyarrow as pa

    batches, rows, nbytes, truncated = [], 0, 0, False
    for batch in reader:
        if rows + batch.num_rows > max_rows:
            batch, truncated = batch.slice(0, max_rows - rows), True
        if nbytes + batch.nbytes > max_bytes:
            fits = _rows_within(batch, max_bytes - nbytes)
            batch, truncated = batch.slice(0, fits), True
        batches.append(batch)
        rows += batch.num_rows
        nbytes += batch.nbytes
        if truncated:
            break
    if truncated and rows == 0 and max_rows > 0:
        raise QueryError(f"one result row is larger than the {max_bytes // MB} MB result cap "
                         "(BHNAV_QUERY_MAX_RESULT_MB); select fewer or narrower columns")
    return pa.Table.from_batches(batches, schema=reader.schema), truncated


def _rows_within(batch: "pa.RecordBatch", budget: int) -> int:
    """How many leading rows of ``batch`` fit in ``budget`` bytes (by bisection on slices)."""
    low, high = 0, batch.num_rows
    while low < high:
        middle = (low + high + 1) // 2
        if batch.slice(0, middle).nbytes <= budget:
            low = middle
        else:
            high = middle - 1
    return low
