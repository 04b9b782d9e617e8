"""The SQL page on a small declared lake: raw (PII in clear) tables are refused, a runaway query ends
at the statement timeout, and the page lists the user's own query history."""

from __future__ import annotations

import pytest

from tests.app.apptest import errors, no_traceback, open_page, point_at
from tests.catalog.lake_tables import accident_rows, publish


@pytest.fixture
def small_lake(lake_env, monkeypatch, snapshot_dir):
    """Curated accidents and the landed raw accidents (names in clear), registered."""
    from assets.definitions import load_graph
    from catalog.base import get_catalog
    from landing.lander import land_asset

    graph, catalog = load_graph(), get_catalog(lake_env)
    publish(graph["acidentes"], accident_rows(per_month=40), lake_env, catalog)
    land_asset(graph["acidentes_raw"], lake_env, snapshot_dir=snapshot_dir)
    catalog.register(graph["acidentes_raw"])
    point_at(monkeypatch, lake_env)
    return lake_env


def run_sql(sql: str):
    at = open_page("sql")
    at.text_area(key="sql").set_value(sql)
    at.button(key="run").click().run()
    no_traceback(at)
    return at


def test_a_raw_pii_table_is_refused_through_the_app(small_lake):
    at = run_sql("SELECT * FROM bhnav_raw.acidentes_raw LIMIT 5")
    assert any("bhnav_raw.acidentes_raw is in a zone this engine does not serve" in e for e in errors(at)), errors(at)
    assert not at.get("download_button")


def test_a_runaway_query_on_the_page_ends_at_the_statement_timeout(small_lake, monkeypatch):
    monkeypatch.setenv("BHNAV_QUERY_TIMEOUT", "1")
    at = run_sql("SELECT count(*) FROM bhnav_curated.acidentes a, bhnav_curated.acidentes b, "
                 "bhnav_curated.acidentes c, bhnav_curated.acidentes d")
    assert any("ran past the 1 s statement timeout" in e for e in errors(at)), errors(at)


def test_the_page_lists_the_users_query_history(small_lake):
    first = "SELECT count(*) AS n FROM bhnav_curated.acidentes"
    run_sql(first)
    at = run_sql("SELECT * FROM bhnav_raw.acidentes_raw")
    (shown,) = [d.value for d in at.dataframe if "outcome" in d.value.columns]
    assert list(shown["sql"]) == ["SELECT * FROM bhnav_raw.acidentes_raw", first]
    assert list(shown["outcome"]) == ["error", "ok"]
    assert list(shown["rows"].fillna(-1)) == [-1, 1]


PASSWORD = "correct horse battery"


@pytest.fixture
def login_required(small_lake, monkeypatch):
    import json

    monkeypatch.setenv("BHNAV_APP_LOGIN", "required")
    monkeypatch.setenv("BHNAV_LOCAL_SECRET_APP", json.dumps({"password": PASSWORD}))
    return small_lake


def log_in(user: str, password: str):
    at = open_page("sql")
    at.text_input(key="login_user").input(user)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run()


def test_the_login_gate_shows_nothing_of_the_app_before_a_login(login_required):
    at = open_page("sql")
    no_traceback(at)
    assert [t.value for t in at.title] == ["BH Strategic Navigator"]
    assert not at.text_area and at.text_input(key="login_password").proto.type == 1  # PASSWORD: typed unseen


def test_a_wrong_password_is_refused(login_required):
    at = log_in("ana", "guess")
    assert "Wrong name or password." in errors(at) and not at.text_area


def test_after_the_login_queries_are_logged_under_the_user(login_required):
    from catalog.query_log import entries

    at = log_in("ana", PASSWORD)
    at.text_area(key="sql").set_value("SELECT count(*) AS n FROM bhnav_curated.acidentes")
    at.button(key="run").click().run()
    no_traceback(at)
    assert [(e.user, e.source, e.outcome) for e in entries(login_required)] == [("ana", "sql-page", "ok")]
