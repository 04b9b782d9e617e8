"""The limits of the local engine: the statement timeout interrupts DuckDB, a query ends when its
asker has gone, results stop at the row and byte caps, the memory limit is the connection's; and
every query is logged."""

from __future__ import annotations

import threading
import time

import pytest

from catalog.query import QueryError, get_query_engine
from catalog.query_limits import QueryCancelledError, QueryTimeoutError
from tests.catalog.lake_tables import accident_rows, publish

# The runaway query, as written (5,000 rows here: 1.25e11 combinations).
RUNAWAY = ("SELECT sum(a.velocidade_permitida * b.velocidade_permitida + c.velocidade_permitida) FROM "
           "bhnav_curated.acidentes a, bhnav_curated.acidentes b, bhnav_curated.acidentes c")
TIMEOUT_S = 2.0


@pytest.fixture
def lake(settings, graph, catalog, monkeypatch):
    rows = [{**row, "velocidade_permitida": 40 + i % 3 * 20} for i, row in enumerate(accident_rows())]
    publish(graph["acidentes"], rows, settings, catalog)
    monkeypatch.setenv("BHNAV_QUERY_TIMEOUT", str(TIMEOUT_S))
    from lake.settings import get_settings

    return get_settings()


def cpu_seconds_over(seconds: float) -> float:
    """CPU time this process (every thread) spends during the next ``seconds``."""
    before = time.process_time()
    time.sleep(seconds)
    return time.process_time() - before


def test_the_runaway_cross_join_ends_at_the_statement_timeout(lake):
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=rf"ran past the {TIMEOUT_S:g} s statement timeout"):
        get_query_engine(lake).run(RUNAWAY)
    assert time.monotonic() - started < TIMEOUT_S + 3
    assert cpu_seconds_over(1.0) < 0.3, "DuckDB kept computing after the timeout"


def test_a_query_ends_when_its_asker_has_gone(lake, monkeypatch):
    monkeypatch.setenv("BHNAV_QUERY_TIMEOUT", "60")
    from lake.settings import get_settings

    gone = threading.Event()
    threading.Timer(0.5, gone.set).start()
    started = time.monotonic()
    with pytest.raises(QueryCancelledError, match=r"the session that asked for it has ended"):
        get_query_engine(get_settings()).run(RUNAWAY, should_stop=gone.is_set)
    assert time.monotonic() - started < 4
    assert cpu_seconds_over(1.0) < 0.3


def test_rows_beyond_the_row_cap_are_not_returned(lake, monkeypatch):
    monkeypatch.setenv("BHNAV_QUERY_MAX_ROWS", "100")
    from lake.settings import get_settings

    result = get_query_engine(get_settings()).run("SELECT * FROM bhnav_curated.acidentes", limit=5000)
    assert result.row_count == 100 and result.truncated


def test_a_result_stops_at_the_byte_cap(lake, monkeypatch):
    monkeypatch.setenv("BHNAV_QUERY_MAX_RESULT_MB", "1")
    from lake.settings import get_settings

    result = get_query_engine(get_settings()).run(
        "SELECT numero_boletim, repeat(descricao_ups, 60) AS longo FROM bhnav_curated.acidentes")
    assert result.truncated and 0 < result.row_count < len(accident_rows())
    assert result.table.nbytes <= 1024 * 1024


@pytest.mark.parametrize(("setting", "shown"), [
    pytest.param(None, "1.8 GiB", id="default-2gb"),
    pytest.param("300MB", "286.1 MiB", id="from-the-environment"),
])
def test_the_memory_limit_is_the_connections(lake, monkeypatch, setting, shown):
    if setting:
        monkeypatch.setenv("BHNAV_QUERY_MEMORY", setting)
    from lake.settings import get_settings

    result = get_query_engine(get_settings()).run("SELECT current_setting('memory_limit') AS m")
    assert result.records() == [{"m": shown}]


def test_every_query_is_logged_with_its_outcome(lake):
    from catalog import query_log

    engine = get_query_engine(lake)
    engine.run("SELECT count(*) AS n FROM bhnav_curated.acidentes", user="ana", source="sql-page")
    with pytest.raises(QueryError):
        engine.run("DROP TABLE bhnav_curated.acidentes", user="ana", source="sql-page")
    with pytest.raises(QueryTimeoutError):
        engine.run(RUNAWAY, user="bruno", source="sql-page")
    logged = query_log.entries(lake)
    assert [(e.user, e.outcome, e.engine) for e in logged] == [
        ("ana", "ok", "duckdb"), ("ana", "refused", "duckdb"), ("bruno", "timeout", "duckdb")]
    assert logged[0].rows == 1 and logged[0].bytes_scanned > 0 and logged[0].duration_s > 0
    assert logged[2].duration_s >= TIMEOUT_S and "statement timeout" in logged[2].message
    assert [e.sql for e in query_log.history(lake, "ana", source="sql-page")] == [
        "DROP TABLE bhnav_curated.acidentes", "SELECT count(*) AS n FROM bhnav_curated.acidentes"]
