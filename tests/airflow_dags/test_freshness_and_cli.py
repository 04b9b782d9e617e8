"""The freshness task against a real local catalog, and the ``bhnav dags`` commands."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from app.cli.main import build
from assets.definitions import load_graph
from catalog.base import get_catalog
from catalog.records import SUCCESS, MaterializationRecord


def _landed(asset_name: str, days_ago: float) -> MaterializationRecord:
    moment = datetime.now(timezone.utc) - timedelta(days=days_ago)
    return MaterializationRecord(asset=asset_name, status=SUCCESS, started_at=moment, finished_at=moment,
                                 input_versions={asset_name: "0" * 64})


def test_the_freshness_task_alerts_on_stale_assets_only(lake_env, caplog):
    from airflow_dags.tasks import check_freshness

    catalog = get_catalog(lake_env)
    graph = load_graph()
    catalog.register(graph["estacoes_onibus_raw"], _landed("estacoes_onibus_raw", days_ago=500))  # yearly: 400 days
    catalog.register(graph["gtfs_paradas_raw"], _landed("gtfs_paradas_raw", days_ago=10))
    with caplog.at_level(logging.INFO, logger="bhnav"):
        rows = check_freshness()
    status = {r["asset"]: r["status"] for r in rows}
    assert (status["estacoes_onibus_raw"], status["gtfs_paradas_raw"], status["bairros"]) == ("stale", "fresh", "never")
    assert set(status) == set(graph.names)
    alerts = [r.getMessage() for r in caplog.records if r.name == "bhnav.alerts"]
    assert len(alerts) == 1
    assert alerts[0].startswith("ALERT bhnav: 1 stale assets: Stale: estacoes_onibus_raw (")


def test_no_alert_when_nothing_is_stale(lake_env, caplog):
    from airflow_dags.tasks import check_freshness

    get_catalog(lake_env).register(load_graph()["estacoes_onibus_raw"], _landed("estacoes_onibus_raw", days_ago=1))
    with caplog.at_level(logging.INFO, logger="bhnav"):
        check_freshness()
    assert [r for r in caplog.records if r.name == "bhnav.alerts"] == []


def test_dags_plan_prints_every_dag_as_json(lake_env):
    result = CliRunner().invoke(build(), ["dags", "plan", "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    ids = [d["dag_id"] for d in plan["dags"]]
    assert "bhnav_land_estacoes_onibus_raw" in ids and "bhnav_materialize_estacoes_onibus" in ids
    assert {a["name"] for a in plan["assets"]} == set(load_graph().names)


def test_dags_plan_table_lists_schedules(lake_env):
    result = CliRunner().invoke(build(), ["dags", "plan", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "bhnav_materialize_iqvu_bairro,derived,bairros & iqvu," in result.output


def test_dags_render_writes_one_file_per_dag(lake_env, tmp_path):
    out = tmp_path / "dags"
    result = CliRunner().invoke(build(), ["dags", "render", "--out", str(out)])
    assert result.exit_code == 0, result.output
    from airflow_dags.plan import build_plan

    assert sorted(p.stem for p in out.glob("*.py")) == sorted(d.dag_id for d in build_plan().dags)

@pytest.mark.parametrize("setup, args, match", [
    pytest.param(lambda tmp: (tmp / "a_file").write_text("x"), ["--out", "{tmp}/a_file"], r"is a file; give a folder",
                 id="out-is-a-file"),
    pytest.param(lambda tmp: None, ["--out", "/proc/bhnav-dags"], r"cannot write DAG files to /proc/bhnav-dags",
                 id="out-not-writable"),
])
def test_dags_render_refuses_a_bad_folder_in_one_line(lake_env, tmp_path, setup, args, match):
    import re

    setup(tmp_path)
    result = CliRunner().invoke(build(), ["dags", "render", *[a.format(tmp=tmp_path) for a in args]])
    assert result.exit_code == 1
    assert re.search(match, result.output), result.output
    assert len(result.output.strip().splitlines()) <= 2


def test_an_unknown_grouping_fails_the_command_in_one_line(lake_env, monkeypatch):
    monkeypatch.setenv("BHNAV_DAG_GROUPING", "team")
    result = CliRunner().invoke(build(), ["dags", "plan"])
    assert result.exit_code == 1
    assert "BHNAV_DAG_GROUPING='team' is unknown; use one of asset, source" in result.output
