"""The guard in front of every query: names resolve per scope to catalog tables only, no file path is
a table, raw tables only on request, deep nesting and errors stay readable and show no path."""

from __future__ import annotations

import pytest

from catalog.query import QueryError, get_query_engine
from tests.catalog.lake_tables import accident_rows, publish


@pytest.fixture
def lake(settings, graph, catalog, snapshot_dir):
    """Curated accidents (a real Delta table) and the raw accidents file landed with its manifest."""
    from landing.lander import land_asset

    publish(graph["acidentes"], accident_rows(per_month=20), settings, catalog)
    land_asset(graph["acidentes_raw"], settings, snapshot_dir=snapshot_dir)
    catalog.register(graph["acidentes_raw"])
    catalog.register(graph["bairros"])  # registered, never materialised
    return settings


def manifest_path(settings) -> str:
    found = sorted(p for p in settings.lake_dir.rglob("*") if p.is_file() and "manifest" in p.name)
    assert found, f"no landing manifest under {settings.lake_dir}"
    return str(found[0])


def test_the_cte_path_bypass_of_the_issue_is_refused(lake):
    path = manifest_path(lake)
    sql = (f'SELECT leak.* FROM (SELECT 1 FROM bhnav_raw.acidentes_raw LIMIT 1) r CROSS JOIN '
           f'(WITH "{path}" AS (SELECT 1 a) SELECT 1 b) q CROSS JOIN "{path}" leak')
    with pytest.raises(QueryError, match=r"is not a table name: queries read catalog tables only") as caught:
        get_query_engine(lake, raw=True).run(sql)
    assert str(lake.lake_dir) not in str(caught.value)


def test_a_cte_name_hides_a_table_only_inside_its_own_with(lake):
    sql = ("SELECT * FROM (WITH recent AS (SELECT 1 a) SELECT a FROM recent) q "
           "CROSS JOIN recent")
    with pytest.raises(QueryError, match=r"table recent is not in the catalog"):
        get_query_engine(lake).run(sql)


@pytest.mark.parametrize("sql", [
    pytest.param("WITH m AS (SELECT mes, count(*) AS n FROM bhnav_curated.acidentes GROUP BY mes) "
                 "SELECT count(*) AS meses FROM m", id="top-level-with"),
    pytest.param("SELECT count(*) AS meses FROM (WITH m AS (SELECT DISTINCT mes FROM acidentes) SELECT mes FROM m) q",
                 id="with-inside-a-subquery"),
    pytest.param("WITH a AS (SELECT DISTINCT mes FROM acidentes), b AS (SELECT mes FROM a) "
                 "SELECT count(*) AS meses FROM (SELECT mes FROM b) q", id="cte-reading-an-earlier-cte"),
])
def test_a_cte_is_read_where_it_is_visible(lake, sql):
    assert get_query_engine(lake).run(sql).records() == [{"meses": 12}]


@pytest.mark.parametrize("name", [
    pytest.param('"/etc/passwd"', id="absolute"),
    pytest.param('"raw/pbh/acidentes_raw/_manifest.json"', id="relative"),
    pytest.param('bhnav_curated."acidentes.parquet"', id="file-in-a-database"),
])
def test_a_quoted_path_is_never_a_table(lake, name):
    with pytest.raises(QueryError, match=r"is not a table name"):
        get_query_engine(lake).run(f"SELECT * FROM {name}")


@pytest.mark.parametrize("sql", [
    pytest.param("SELECT " + "(" * 50 + "1" + ")" * 50, id="parentheses"),
    pytest.param("SELECT * FROM " + "(SELECT * FROM " * 40 + "acidentes" + ") x" * 40, id="subqueries"),
])
def test_deep_nesting_gives_a_clear_error(lake, sql):
    with pytest.raises(QueryError, match=r"nests parentheses \d+ levels deep; at most 24 are accepted"):
        get_query_engine(lake).run(sql)


def test_a_raw_pii_table_is_refused_without_the_raw_flag(lake):
    with pytest.raises(QueryError, match=r"bhnav_raw.acidentes_raw is in a zone this engine does not serve"):
        get_query_engine(lake).run("SELECT * FROM bhnav_raw.acidentes_raw")


def test_show_lists_only_the_served_zones(lake):
    databases = [r["database_name"] for r in get_query_engine(lake).run("SHOW DATABASES").records()]
    assert databases == ["bhnav_analytics", "bhnav_curated"]


def test_the_raw_flag_reads_raw_tables(lake):
    result = get_query_engine(lake, raw=True).run("SELECT count(*) AS n FROM bhnav_raw.acidentes_raw")
    assert result.records()[0]["n"] > 1000


@pytest.mark.parametrize("sql", [
    pytest.param("SELECT * FROM bhnav_curated.bairros", id="table-never-materialised"),
    pytest.param("SELECT * FROM bhnav_curated.acidentes WHERE", id="syntax-error"),
])
def test_no_error_shows_an_absolute_path(lake, sql):
    with pytest.raises(QueryError) as caught:
        get_query_engine(lake).run(sql)
    assert str(lake.lake_dir) not in str(caught.value) and "/tmp/" not in str(caught.value)


def test_bhnav_query_refuses_raw_tables_unless_asked(lake):
    from typer.testing import CliRunner

    from app.cli.main import build

    app = build()
    refused = CliRunner().invoke(app, ["query", "SELECT count(*) AS n FROM bhnav_raw.acidentes_raw"])
    assert refused.exit_code == 1 and "bhnav query --raw" in refused.output
    allowed = CliRunner().invoke(app, ["query", "--raw", "--format", "json",
                                       "SELECT count(*) AS n FROM bhnav_raw.acidentes_raw"])
    assert allowed.exit_code == 0, allowed.output
