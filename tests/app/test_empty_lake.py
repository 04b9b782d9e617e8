"""The app on a lake where nothing was materialised yet: every page renders and says what is missing;
and the cache: one catalog call per render until the catalog changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.app.apptest import PAGES, errors, no_traceback, open_page, point_at


@pytest.fixture
def empty_lake(lake_env, monkeypatch):
    point_at(monkeypatch, lake_env)
    return lake_env


@pytest.mark.parametrize("page, missing", [
    pytest.param("navigator", ["bhnav_analytics.apetite_investidor", "bhnav_curated.bairros"], id="navigator"),
    pytest.param("trends", ["bhnav_analytics.acidentes_mensal_regional", "bhnav_analytics.bairro_indicadores"],
                 id="trends"),
    pytest.param("asset", ["bhnav_curated.bairros"], id="asset"),
])
def test_a_table_never_materialised_shows_an_error_panel_naming_it(empty_lake, page, missing):
    at = open_page(page, query={"asset": "bairros"})
    no_traceback(at)
    shown = " ".join(errors(at))
    for table in missing:
        assert f"{table} (never materialised)" in shown
    assert "bhnav materialize --select" in shown
    assert at.title, "the page itself still renders"


@pytest.mark.parametrize("page", [pytest.param(p, id=p) for p in PAGES])
def test_every_page_renders_without_a_traceback_on_an_empty_lake(empty_lake, page):
    no_traceback(open_page(page))


def test_assets_page_lists_every_declared_asset_as_never_materialised(empty_lake):
    from assets.definitions import load_graph

    at = open_page("assets")
    frame = at.table[0].value
    assert sorted(frame["Asset"]) == sorted(load_graph().names)
    assert set(frame["Freshness"]) == {"○ never"}
    assert [m.value for m in at.metric if m.label == "Never"] == [str(len(load_graph()))]


def test_a_rerun_asks_the_catalog_only_for_its_version_until_it_changes(empty_lake):
    from assets.definitions import load_graph
    from catalog.base import get_catalog
    from catalog.records import FAILED, MaterializationRecord

    from app import data

    at = open_page("assets")
    assert data.CALLS == {"version": 1, "asset_status": 1}
    data.CALLS.clear()
    at.run()
    assert data.CALLS == {"version": 1}, "a cached render reads nothing but the catalog's version"

    now = datetime.now(timezone.utc)
    get_catalog(empty_lake).record(MaterializationRecord(
        asset="bairros", status=FAILED, started_at=now - timedelta(seconds=5), finished_at=now,
        error="boom: a test failure",
    ))
    data.CALLS.clear()
    at.run()
    assert data.CALLS == {"version": 1, "asset_status": 1}, "a catalog change invalidates the cache"
    row = at.table[0].value.set_index("Asset").loc["bairros"]
    assert row["Freshness"] == "✖ failed"
    assert load_graph()["bairros"].zone == row["Zone"]
