"""Athena SQL over real Delta tables: the numbers, name resolution, limits and the read-only guard."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from datetime import date

import pytest

from catalog.query import QueryError, ReadOnlyQueryError, get_query_engine
from tests.catalog.lake_tables import accident_rows, publish


def monthly_regional(rows):
    """What the analytics transform computes, computed here in plain Python."""
    groups = defaultdict(lambda: [0, 0])
    for row in rows:
        key = (row["data_boletim"].replace(day=1), row["regional"])
        groups[key][0] += 1
        groups[key][1] += int(row["fatal"])
    return [
        {"mes_referencia": month, "regional": regional, "acidentes": n, "acidentes_fatais": fatal,
         "proporcao_fatais": fatal / n}
        for (month, regional), (n, fatal) in sorted(groups.items())
    ]


@pytest.fixture(scope="module")
def lake(tmp_path_factory, graph):
    """A lake with curated accidents and the monthly analytics table, both real Delta tables."""
    from catalog.base import get_catalog
    from lake.settings import get_settings

    settings = get_settings(env="local", lake_dir=tmp_path_factory.mktemp("lake"))
    catalog = get_catalog(settings)
    rows = accident_rows()
    publish(graph["acidentes"], rows, settings, catalog)
    publish(graph["acidentes_mensal_regional"], monthly_regional(rows), settings, catalog)
    catalog.register(graph["bairros"])  # registered, never materialised
    return settings, rows


@pytest.fixture(scope="module")
def engine(lake):
    return get_query_engine(lake[0])


def test_date_trunc_counts_per_month(engine, lake):
    rows = lake[1]
    result = engine.run("SELECT date_trunc('month', data_boletim) AS mes, count(*) AS n "
                        "FROM bhnav_curated.acidentes GROUP BY 1 ORDER BY 1")
    expected = sorted(Counter(r["data_boletim"].replace(day=1) for r in rows).items())
    assert [(r["mes"], r["n"]) for r in result.records()] == expected
    assert result.engine == "duckdb"


def test_approx_distinct_per_regional(engine, lake):
    rows = lake[1]
    result = engine.run("SELECT regional, approx_distinct(numero_boletim) AS boletins, "
                        "approx_distinct(data_boletim) AS dias FROM bhnav_curated.acidentes GROUP BY regional")
    expected = {
        regional: (len({r["numero_boletim"] for r in rows if r["regional"] == regional}),
                   len({r["data_boletim"] for r in rows if r["regional"] == regional}))
        for regional in {r["regional"] for r in rows}
    }
    assert {r["regional"]: (r["boletins"], r["dias"]) for r in result.records()} == expected


def test_cast_as_varchar_builds_month_keys(engine, lake):
    rows = lake[1]
    result = engine.run("SELECT CAST(ano AS varchar) || '-' || lpad(CAST(mes AS varchar), 2, '0') AS chave, "
                        "count_if(fatal) AS fatais FROM bhnav_curated.acidentes GROUP BY 1")
    expected = Counter()
    for r in rows:
        expected[f"{r['data_boletim'].year}-{r['data_boletim'].month:02d}"] += int(r["fatal"])
    assert {r["chave"]: r["fatais"] for r in result.records()} == dict(expected)


def test_join_across_zone_databases(engine, lake):
    rows = lake[1]
    result = engine.run("""
        SELECT m.regional, m.acidentes, count(a.numero_boletim) AS contados
        FROM bhnav_analytics.acidentes_mensal_regional AS m
        JOIN bhnav_curated.acidentes AS a
          ON a.regional = m.regional AND date_trunc('month', a.data_boletim) = m.mes_referencia
        WHERE m.mes_referencia = DATE '2019-03-01'
        GROUP BY m.regional, m.acidentes
    """)
    expected = Counter(r["regional"] for r in rows if r["data_boletim"].month == 3)
    assert {r["regional"]: r["contados"] for r in result.records()} == dict(expected)
    assert all(r["acidentes"] == r["contados"] for r in result.records())
    assert set(result.tables) == {"bhnav_analytics.acidentes_mensal_regional", "bhnav_curated.acidentes"}


def test_unnamed_columns_are_named_as_athena_names_them(engine):
    result = engine.run("SELECT count(*), max(data_boletim) FROM bhnav_curated.acidentes")
    assert result.columns == ["_col0", "_col1"]
    assert result.records()[0]["_col1"] <= date(2019, 12, 31)


@pytest.mark.parametrize("table", [
    pytest.param("acidentes", id="bare-name"),
    pytest.param("awsdatacatalog.bhnav_curated.acidentes", id="athena-catalog-prefix"),
    pytest.param('"bhnav_curated"."acidentes"', id="quoted"),
    pytest.param("BHNAV_CURATED.ACIDENTES", id="upper-case"),
])
def test_names_resolve_as_in_athena(engine, lake, table):
    assert engine.run(f"SELECT count(*) AS n FROM {table}").records() == [{"n": len(lake[1])}]


def test_limit_returns_at_most_n_rows_and_says_more_exist(engine):
    result = engine.run("SELECT numero_boletim FROM bhnav_curated.acidentes ORDER BY numero_boletim", limit=5)
    assert result.row_count == 5 and result.truncated
    assert [r["numero_boletim"] for r in result.records()] == sorted(r["numero_boletim"] for r in result.records())
    assert not engine.run("SELECT 1 AS x", limit=5).truncated


@pytest.mark.parametrize(("sql", "message"), [
    pytest.param("SELECT * FROM bhnav_curated.nada", r"table bhnav_curated.nada is not in the catalog", id="unknown"),
    pytest.param("SELECT * FROM bhnav_curated.bairros", r"has no data yet.*bhnav materialize --select bairros",
                 id="never-materialised"),
    pytest.param("SELECT * FROM hive.bhnav_curated.acidentes", r"catalog 'hive' is unknown", id="other-catalog"),
    pytest.param("SELEC 1", r"not valid Athena \(Trino\) SQL", id="syntax"),
    pytest.param("SELECT 1; SELECT 2", r"one statement at a time", id="two-statements"),
    pytest.param("EXPLAIN SELECT 1", r"EXPLAIN is not supported here", id="explain"),
    pytest.param("SHOW PARTITIONS bhnav_curated.acidentes", r"this SHOW form is not supported", id="show-partitions"),
    pytest.param("SELECT no_such_column FROM bhnav_curated.acidentes", r"the query failed: .*no_such_column",
                 id="engine-error"),
])
def test_errors_say_what_is_wrong(engine, sql, message):
    with pytest.raises(QueryError, match=message):
        engine.run(sql)


@pytest.mark.parametrize("sql", [
    pytest.param("DROP TABLE bhnav_curated.acidentes", id="drop-table"),
    pytest.param("INSERT INTO bhnav_curated.acidentes (numero_boletim) VALUES ('x')", id="insert"),
    pytest.param("CREATE TABLE copia AS SELECT * FROM bhnav_curated.acidentes", id="create-table-as"),
    pytest.param("DELETE FROM bhnav_curated.acidentes WHERE ano = 2019", id="delete"),
    pytest.param("UPDATE bhnav_curated.acidentes SET regional = 'X'", id="update"),
    pytest.param("MERGE INTO bhnav_curated.acidentes t USING bhnav_curated.acidentes s "
                 "ON t.numero_boletim = s.numero_boletim WHEN MATCHED THEN DELETE", id="merge"),
    pytest.param("ALTER TABLE bhnav_curated.acidentes ADD COLUMN x int", id="alter"),
    pytest.param("COPY bhnav_curated.acidentes TO '/tmp/out.csv'", id="copy"),
    pytest.param("ATTACH 'other.db' AS other", id="attach"),
    pytest.param("PRAGMA database_list", id="pragma"),
    pytest.param("SET enable_external_access = true", id="set"),
    pytest.param("INSTALL httpfs", id="install"),
    pytest.param("LOAD httpfs", id="load"),
    pytest.param("CALL system.sync_partition_metadata('a', 'b', 'FULL')", id="call"),
    pytest.param("EXPORT DATABASE '/tmp/dump'", id="export"),
    pytest.param("SELECT * INTO copia FROM bhnav_curated.acidentes", id="select-into"),
    pytest.param("WITH x AS (DELETE FROM bhnav_curated.acidentes RETURNING *) SELECT * FROM x", id="cte-delete"),
    pytest.param("SELECT * FROM read_csv('/etc/passwd')", id="table-function"),
])
def test_read_only_guard_refuses_changes(engine, lake, sql):
    with pytest.raises(ReadOnlyQueryError, match=r"bhnav query is read-only: .* refused"):
        engine.run(sql)
    assert engine.run("SELECT count(*) AS n FROM bhnav_curated.acidentes").records() == [{"n": len(lake[1])}]


def _cli(monkeypatch, settings, *args, stdin=None):
    from typer.testing import CliRunner

    from app.cli.main import build

    monkeypatch.setenv("BHNAV_ENV", "local")
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(settings.lake_dir))
    return CliRunner().invoke(build(), list(args), input=stdin)


def test_cli_query_prints_csv(monkeypatch, lake):
    settings, rows = lake
    result = _cli(monkeypatch, settings, "query",
                  "SELECT regional, count(*) AS n FROM bhnav_curated.acidentes GROUP BY 1", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    printed = {r["regional"]: int(r["n"]) for r in csv.DictReader(io.StringIO("\n".join(lines)))}
    assert printed == dict(Counter(r["regional"] for r in rows))


def test_cli_query_reads_sql_from_stdin_as_json(monkeypatch, lake):
    result = _cli(monkeypatch, lake[0], "query", "-", "--format", "json",
                  stdin="SELECT count(*) AS n FROM bhnav_curated.acidentes\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"n": len(lake[1])}]


def test_cli_query_refuses_drop_with_exit_1(monkeypatch, lake):
    result = _cli(monkeypatch, lake[0], "query", "DROP TABLE bhnav_curated.acidentes")
    assert result.exit_code == 1
    assert "read-only" in result.output


def test_integer_sums_come_back_as_bigint_as_in_athena(engine, lake):
    import pyarrow as pa

    result = engine.run("SELECT sum(valor_ups) AS ups, count(*) AS n FROM bhnav_curated.acidentes")
    assert result.table.schema.field("ups").type == pa.int64()
    assert result.records()[0]["ups"] == sum(r["valor_ups"] for r in lake[1])


@pytest.mark.parametrize(("sql", "column", "expected"), [
    pytest.param("SHOW DATABASES", "database_name", ["bhnav_analytics", "bhnav_curated"], id="databases"),
    pytest.param("SHOW SCHEMAS LIKE '*curated*'", "database_name", ["bhnav_curated"], id="schemas-like"),
    pytest.param("SHOW TABLES IN bhnav_curated", "tab_name", ["acidentes", "bairros"], id="tables-in"),
    pytest.param("SHOW TABLES IN bhnav_analytics 'acidentes*'", "tab_name", ["acidentes_mensal_regional"],
                 id="tables-pattern"),
    pytest.param("SHOW COLUMNS FROM bhnav_analytics.acidentes_mensal_regional", "field",
                 ["mes_referencia", "regional", "acidentes", "acidentes_fatais", "proporcao_fatais", "ano"],
                 id="columns"),
])
def test_show_statements_answer_from_the_catalog(engine, sql, column, expected):
    result = engine.run(sql)
    assert [r[column] for r in result.records()] == expected
    assert result.bytes_scanned == 0


def test_show_tblproperties_has_the_delta_table_type(engine):
    properties = {r["prpt_name"]: r["prpt_value"] for r in engine.run("SHOW TBLPROPERTIES bhnav_curated.acidentes").records()}
    assert properties["table_type"] == "DELTA"
    assert properties["bhnav.rows"] == str(len(accident_rows()))


def test_integer_division_truncates_as_in_trino(engine, lake):
    row = engine.run("SELECT 7 / 2 AS a, -7 / 2 AS b, 7.0 / 2 AS c, count(*) / 2 AS half "
                     "FROM bhnav_curated.acidentes").records()[0]
    assert (row["a"], row["b"], float(row["c"]), row["half"]) == (3, -3, 3.5, len(lake[1]) // 2)
