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


def _alerts(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bhnav.alerts" and r.getMessage().startswith("ALERT")]


def _register_all_fresh_but(lake_env, stale: dict[str, float], never: tuple[str, ...] = ()) -> None:
    """Every asset succeeded an hour ago, but those of ``stale`` (name -> days ago) and ``never``."""
    catalog = get_catalog(lake_env)
    for asset in load_graph():
        if asset.name not in never:
            catalog.register(asset, _landed(asset.name, days_ago=stale.get(asset.name, 1 / 24)))


def test_the_freshness_task_alerts_once_per_stale_asset(lake_env, caplog):
    from airflow_dags.tasks import check_freshness

    _register_all_fresh_but(lake_env, {"estacoes_onibus_raw": 500})  # yearly: stale after 400 days
    with caplog.at_level(logging.INFO, logger="bhnav"):
        rows = check_freshness()
    status = {r["asset"]: r["status"] for r in rows}
    assert status["estacoes_onibus_raw"] == "stale" and set(status.values()) == {"fresh", "stale"}
    assert set(status) == set(load_graph().names)
    alerts = _alerts(caplog)
    assert alerts[0].startswith("ALERT bhnav: estacoes_onibus_raw is stale: estacoes_onibus_raw is stale: ")
    assert [a.split(":")[1] for a in alerts] == [" estacoes_onibus_raw is stale", " daily freshness digest (1 stale)"]


@pytest.mark.parametrize("status, expected", [
    pytest.param("never", "ALERT bhnav: bairros is never: bairros has never been materialised", id="never"),
    pytest.param("failed", "ALERT bhnav: bairros is failed: bairros: its last run failed", id="failed"),
])
def test_the_freshness_task_alerts_on_never_and_failed_too(lake_env, caplog, status, expected):
    from airflow_dags.tasks import check_freshness
    from catalog.records import FAILED

    _register_all_fresh_but(lake_env, {}, never=("bairros",) if status == "never" else ())
    catalog = get_catalog(lake_env)
    moment = datetime.now(timezone.utc)
    if status == "failed":
        catalog.record(MaterializationRecord(asset="bairros", status=FAILED, started_at=moment, finished_at=moment,
                                             error="check failed"))
    with caplog.at_level(logging.INFO, logger="bhnav"):
        rows = check_freshness()
    assert {r["asset"]: r["status"] for r in rows}["bairros"] == status
    assert any(a.startswith(expected) for a in _alerts(caplog)), _alerts(caplog)


def test_ten_stale_assets_for_a_day_give_one_alert_each_and_one_digest(lake_env, caplog):
    from airflow_dags.alerts import recent_alerts
    from airflow_dags.tasks import check_freshness

    ten = list(load_graph())[:10]
    _register_all_fresh_but(lake_env, {a.name: a.freshness.max_lag.days + 5 for a in ten})  # each 5 days late
    monthly = [a.name for a in ten]
    start = datetime.now(timezone.utc)
    with caplog.at_level(logging.INFO, logger="bhnav"):
        for hour in range(24):  # the freshness DAG runs hourly; its state is kept in the lake between runs
            check_freshness(now=start + timedelta(hours=hour, minutes=1))
    alerts = _alerts(caplog)
    assert len(alerts) == 11, alerts
    assert sorted(a.split(":")[1].strip() for a in alerts[:-1]) == sorted(f"{n} is stale" for n in monthly)
    assert alerts[-1].startswith("ALERT bhnav: daily freshness digest (10 stale)")
    kept = recent_alerts(lake_env)
    assert len(kept) == 11 and kept[0]["kind"] == "digest", "the lake's alert log holds each alert, newest first"


def test_the_digest_repeats_after_a_day_and_a_recovery_is_no_alert(lake_env, caplog):
    from airflow_dags.tasks import check_freshness

    _register_all_fresh_but(lake_env, {"acidentes": load_graph()["acidentes"].freshness.max_lag.days + 5})
    start = datetime.now(timezone.utc)
    with caplog.at_level(logging.INFO, logger="bhnav"):
        check_freshness(now=start)
        check_freshness(now=start + timedelta(days=1, minutes=1))
        _register_all_fresh_but(lake_env, {})
        check_freshness(now=start + timedelta(days=1, minutes=2))
    subjects = [a.split(":")[1].strip() for a in _alerts(caplog)]
    assert subjects == ["acidentes is stale", "daily freshness digest (1 stale)", "daily freshness digest (1 stale)"]
    assert any("freshness acidentes recovered: fresh" in r.getMessage() for r in caplog.records)


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
    assert "bhnav_materialize_iqvu_bairro,derived,(bairros & iqvu) or 0 6 1 1 *," in result.output


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
