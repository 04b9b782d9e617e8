"""Athena through pyathena against moto, whose Athena runs no SQL: results are queued beforehand."""

from __future__ import annotations

import json
from datetime import date

import pytest

from catalog.athena import AthenaQueryEngine, cost_usd
from catalog.query import QueryError, ReadOnlyQueryError, get_query_engine
from tests.fixtures.moto import REGION, moto_api


def _column(name: str, athena_type: str) -> dict:
    return {"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": name, "Label": name,
            "Type": athena_type, "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": True}


def queue_result(endpoint: str, columns: list[tuple[str, str]], rows: list[list[str | None]]) -> None:
    """One result for the next query: a header row first (as Athena returns it, and pyathena drops it)."""
    header = {"Data": [{"VarCharValue": name} for name, _ in columns]}
    body = [{"Data": [{"VarCharValue": v} if v is not None else {} for v in row]} for row in rows]
    moto_api(endpoint, "static/athena/query-results", {
        "region": REGION,
        "results": [{"rows": [header, *body], "column_info": [_column(n, t) for n, t in columns]}],
    })


@pytest.fixture
def athena_env(aws_env):
    """Tables registered in moto's Glue, so names resolve as in Athena."""
    from assets.definitions import load_graph
    from catalog.base import get_catalog

    from lake.aws import client

    # The stack's workgroup (infra creates it with a scan cutoff and the results bucket).
    client("athena", aws_env).create_work_group(Name=aws_env.athena_workgroup, Configuration={
        "ResultConfiguration": {"OutputLocation": aws_env.athena_output}, "BytesScannedCutoffPerQuery": 10 ** 10})
    graph = load_graph()
    catalog = get_catalog(aws_env)
    for name in ("acidentes", "estacoes_onibus", "acidentes_mensal_regional"):
        catalog.register(graph[name])
    return aws_env


@pytest.fixture
def athena(athena_env):
    from lake.aws import client

    return client("athena", athena_env)


def _sent(athena) -> list[str]:
    ids = athena.list_query_executions()["QueryExecutionIds"]
    return [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"]["Query"] for i in ids]


def test_a_query_runs_in_athena_and_comes_back_typed(athena_env, moto_server, athena):
    engine = get_query_engine(athena_env)
    assert isinstance(engine, AthenaQueryEngine)
    queue_result(moto_server, [("regional", "varchar"), ("n", "bigint"), ("media", "double"), ("primeiro", "date")],
                 [["CENTRO-SUL", "1520", "2.5", "2019-01-01"], ["BARREIRO", "610", None, "2019-01-03"]])
    result = engine.run("SELECT regional, count(*) AS n, avg(feridos) AS media, min(data) AS primeiro "
                        "FROM acidentes GROUP BY 1")
    assert result.engine == "athena" and result.columns == ["regional", "n", "media", "primeiro"]
    assert result.records() == [
        {"regional": "CENTRO-SUL", "n": 1520, "media": 2.5, "primeiro": date(2019, 1, 1)},
        {"regional": "BARREIRO", "n": 610, "media": None, "primeiro": date(2019, 1, 3)},
    ]
    assert [str(t) for t in result.table.schema.types] == ["string", "int64", "double", "date32[day]"]
    # The bare name went to Athena qualified with the database the catalog holds it in.
    assert _sent(athena) == [result.executed_sql] and "bhnav_curated.acidentes" in result.executed_sql
    assert result.tables == ("bhnav_curated.acidentes",)


def test_bytes_scanned_are_athenas_and_the_bill_has_a_10_mb_floor(athena_env, moto_server, athena):
    queue_result(moto_server, [("n", "bigint")], [["58"]])
    result = AthenaQueryEngine(athena_env).run("SELECT count(*) AS n FROM bhnav_curated.estacoes_onibus")
    execution = athena.get_query_execution(QueryExecutionId=result.details["query_id"])["QueryExecution"]
    assert result.bytes_scanned == execution["Statistics"]["DataScannedInBytes"]
    assert result.details["billed_bytes"] == max(10 * 1024 * 1024, result.bytes_scanned)
    assert result.details["cost_usd"] == pytest.approx(10 / 1024 / 1024 * 5.0)
    assert cost_usd(1024 ** 4) == pytest.approx(5.0) and cost_usd(10 * 1024 ** 2 + 1) == pytest.approx(11 / 1024 ** 2 * 5)


def test_a_limit_is_sent_to_athena_and_reported(athena_env, moto_server, athena):
    queue_result(moto_server, [("nome", "varchar")], [["A"], ["B"], ["C"]])
    result = AthenaQueryEngine(athena_env).run("SELECT nome FROM bhnav_curated.estacoes_onibus", limit=2)
    assert result.truncated and [r["nome"] for r in result.records()] == ["A", "B"]
    assert _sent(athena)[0].endswith("LIMIT 3")


@pytest.mark.parametrize("sql, error, match", [
    pytest.param("DROP TABLE bhnav_curated.acidentes", ReadOnlyQueryError, "read-only", id="drop"),
    pytest.param("INSERT INTO bhnav_curated.acidentes SELECT * FROM bhnav_curated.acidentes", ReadOnlyQueryError,
                 "read-only", id="insert"),
    pytest.param("CREATE TABLE x AS SELECT * FROM bhnav_curated.acidentes", ReadOnlyQueryError, "read-only", id="ctas"),
    pytest.param("UNLOAD (SELECT 1) TO 's3://x/' WITH (format='CSV')", ReadOnlyQueryError, "read-only", id="unload"),
    pytest.param("SELECT * FROM bhnav_curated.nao_existe", QueryError, r"table bhnav_curated.nao_existe is not in the "
                 r"catalog", id="unknown-table"),
])
def test_refused_statements_never_reach_athena(athena_env, athena, sql, error, match):
    with pytest.raises(error, match=match):
        AthenaQueryEngine(athena_env).run(sql)
    assert _sent(athena) == []


def test_show_tables_is_answered_from_glue(athena_env, athena):
    result = AthenaQueryEngine(athena_env).run("SHOW TABLES IN bhnav_curated")
    assert sorted(result.table.column(0).to_pylist()) == ["acidentes", "estacoes_onibus"]
    assert _sent(athena) == [] and result.bytes_scanned == 0


def test_bhnav_query_env_aws(athena_env, moto_server, monkeypatch):
    from typer.testing import CliRunner

    from app.cli.main import app, build

    monkeypatch.setenv("BHNAV_ENV", "local")  # the flag, not the environment, picks Athena here
    queue_result(moto_server, [("regional", "varchar"), ("n", "bigint")], [["NORTE", "12"]])
    outcome = CliRunner().invoke(build(), ["query", "--env", "aws", "--format", "json",
                                           "SELECT regional, count(*) AS n FROM acidentes GROUP BY 1"])
    assert outcome.exit_code == 0, outcome.output
    assert json.loads(outcome.stdout) == [{"regional": "NORTE", "n": 12}]
    assert "athena" in outcome.stderr and "10.0 MB billed" in outcome.stderr
    refused = CliRunner().invoke(app, ["query", "--env", "aws", "DELETE FROM bhnav_curated.acidentes"])
    assert refused.exit_code == 1 and "read-only" in refused.stderr


def test_the_apps_reads_go_through_athena(athena_env, moto_server, athena):
    from app import data

    lk = data.lake()
    queue_result(moto_server, [("nome", "varchar"), ("latitude", "double")], [["Estação Barreiro", "-19.97"]])
    result = data.run_uncached(lk, f"SELECT nome, latitude FROM {data.qualified(lk, 'estacoes_onibus')}", limit=10)
    assert result.engine == "athena" and result.frame.to_dict("records") == [
        {"nome": "Estação Barreiro", "latitude": -19.97}]
    assert _sent(athena)[0].startswith("SELECT * FROM (SELECT nome, latitude FROM bhnav_curated.estacoes_onibus)")


@pytest.fixture
def runaway_queries(moto_server):
    """Queries stay QUEUED, then RUNNING, for a thousand GetQueryExecution calls: a runaway query."""
    moto_api(moto_server, "state-manager/set-transition",
             {"model_name": "athena::execution", "transition": {"progression": "manual", "times": 1000}})
    yield
    moto_api(moto_server, "state-manager/unset-transition", {"model_name": "athena::execution"})


def test_the_statement_timeout_stops_the_query_in_athena(athena_env, athena, runaway_queries, monkeypatch):
    import time

    from catalog.query_limits import QueryTimeoutError
    from lake.settings import get_settings

    monkeypatch.setenv("BHNAV_QUERY_TIMEOUT", "1")
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=r"ran past the 1 s statement timeout"):
        get_query_engine(get_settings()).run("SELECT count(*) FROM bhnav_curated.acidentes")
    assert time.monotonic() - started < 4
    ids = athena.list_query_executions()["QueryExecutionIds"]
    states = [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"]["Status"]["State"] for i in ids]
    assert states == ["CANCELLED"]
