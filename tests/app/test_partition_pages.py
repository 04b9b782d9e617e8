"""The pages on a small declared lake: the periods an asset holds, its gaps, its lateness against the
source's cadence, and the trends over every year held."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from tests.app.apptest import errors, no_traceback, open_page, point_at
from tests.catalog.lake_tables import accident_rows, publish

HELD = [(2016, 1), (2016, 2), (2016, 3)] + [(2019, m) for m in range(1, 13)]


def _accidents(months) -> list[dict]:
    template = accident_rows(per_month=1)[0]
    return [{**template, "numero_boletim": f"{y}-{m:02d}-{i}", "data_boletim": date(y, m, 10),
             "data_hora_boletim": datetime(y, m, 10, 8, tzinfo=timezone.utc)} for y, m in months for i in range(2)]


@pytest.fixture
def small_lake(lake_env, monkeypatch):
    """acidentes holding January-March 2016 and all of 2019, materialised an hour ago."""
    from assets.definitions import load_graph
    from catalog.base import get_catalog

    graph, catalog = load_graph(), get_catalog(lake_env)
    publish(graph["acidentes"], _accidents(HELD), lake_env, catalog,
            finished_at=datetime.now(timezone.utc) - timedelta(hours=1))
    point_at(monkeypatch, lake_env)
    return lake_env


def _metric(at, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; metrics: {[m.label for m in at.metric]}"
    return found[0]


def test_assets_page_shows_range_gaps_and_lateness_against_the_source_cadence(small_lake):
    at = open_page("assets")
    no_traceback(at)
    row = at.table[0].value.set_index("Asset").loc["acidentes"]
    assert row["Freshness"].startswith("◆ late (")
    assert row["Source cadence"].startswith("late: 2020..") and row["Source cadence"].endswith(
        "missing (due since 2021-03-31)")
    assert (row["Range held"], row["Gaps"], row["Pipeline lag"]) == ("2016-01..2019-12", "2016-04..2018-12", "1 h")
    assert _metric(at, "Late") == "1"


def test_asset_page_lists_the_partitions_held_and_the_gaps(small_lake):
    at = open_page("asset", query={"asset": "acidentes"})
    no_traceback(at)
    assert (_metric(at, "Range held"), _metric(at, "Periods held (month)"), _metric(at, "Gaps")) == (
        "2016-01..2019-12", str(len(HELD)), "1")
    assert any("Missing between the first and the last period: 2016-04..2018-12" in w.value for w in at.warning)
    assert any(w.value.startswith("Source cadence (yearly, last year's data due by 03-31 (acidentes_raw)): late: 2020")
               for w in at.warning)
    periods = next(d.value for d in at.dataframe if list(d.value.columns) == ["period"])
    assert list(periods["period"]) == [f"{y}-{m:02d}" for y, m in HELD]


def test_trends_show_every_year_held(lake_env, monkeypatch):
    from assets.definitions import load_graph
    from catalog.base import get_catalog

    trend = load_graph()["acidentes_mensal_regional"]
    rows = [{"mes_referencia": date(y, m, 1), "regional": "CENTRO-SUL", "acidentes": y - 2000 + m,
             "acidentes_fatais": 1, "proporcao_fatais": 1 / (y - 2000 + m)} for y in (2016, 2017, 2018, 2019)
            for m in (1, 7)]
    publish(trend, rows, lake_env, get_catalog(lake_env))
    point_at(monkeypatch, lake_env)
    at = open_page("trends")
    no_traceback(at)
    assert "Years held: 2016, 2017, 2018, 2019" in [c.value for c in at.caption]
    assert _metric(at, "Accidents with victims") == f"{sum(r['acidentes'] for r in rows):,}"
    per_year = [c for c in at.get("vega_lite_chart") if "per year" in c.proto.spec]
    assert len(per_year) == 1
    assert not [e for e in errors(at) if "Accidents" in e]


def test_trends_name_the_years_that_count_only_geolocated_accidents(lake_env, monkeypatch):
    from assets.definitions import load_graph
    from catalog.base import get_catalog

    graph, catalog = load_graph(), get_catalog(lake_env)
    reports = [{**r, "apenas_geolocalizados": r["data_boletim"].year < 2019}
               for r in _accidents([(y, 5) for y in (2016, 2017, 2018, 2019)])]
    publish(graph["acidentes"], reports, lake_env, catalog)
    publish(graph["acidentes_mensal_regional"], [
        {"mes_referencia": date(y, 5, 1), "regional": "CENTRO-SUL", "acidentes": 2, "acidentes_fatais": 0,
         "proporcao_fatais": 0.0} for y in (2016, 2017, 2018, 2019)], lake_env, catalog)
    point_at(monkeypatch, lake_env)
    at = open_page("trends")
    no_traceback(at)
    notes = [i.value for i in at.info if "geolocated" in i.value]
    assert notes == ["2016, 2017 and 2018 count only geolocated accidents: the re-published files leave out the "
                     "reports without coordinates, so those years are lower bounds."]
