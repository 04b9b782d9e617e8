"""Every page of the app, run by AppTest on the lake built from the real snapshot folder."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from tests.app.apptest import errors, no_traceback, open_page

# The first test asking for the built lake builds it from the snapshot: minutes on two busy cores.
pytestmark = [pytest.mark.spark, pytest.mark.timeout(3600)]


def _catalog(settings):
    from catalog.base import get_catalog

    return get_catalog(settings)


def _sql(settings, sql: str):
    from catalog.query import get_query_engine

    return get_query_engine(settings).run(sql).to_pandas()


def _graph():
    from assets.definitions import load_graph

    return load_graph()


def _metric(at, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; metrics: {[m.label for m in at.metric]}"
    return found[0]


# -- Assets ----------------------------------------------------------------------------------

def test_assets_page_lists_every_asset_with_the_rows_the_catalog_records(on_built_lake):
    at = open_page("assets")
    no_traceback(at)
    assert not errors(at)
    frame = at.table[0].value
    graph, catalog = _graph(), _catalog(on_built_lake)
    assert sorted(frame["Asset"]) == sorted(graph.names)
    for name, rows_cell in zip(frame["Asset"], frame["Rows"]):
        record = catalog.last_record(name)
        entry = catalog.get_table(name)
        rows = record.rows if record and record.rows is not None else (entry.rows if entry else None)
        assert rows_cell == ("—" if rows is None else f"{rows:,}"), name
    bairros = frame[frame["Asset"] == "bairros"].iloc[0]
    assert bairros["Rows"] == "323", "the city publishes 323 official bairros"


def test_assets_page_shows_a_freshly_built_lake_as_fresh(on_built_lake):
    from catalog.status import asset_status

    frame = open_page("assets").table[0].value
    expected = {s.asset: s.freshness for s in asset_status(on_built_lake)}
    shown = dict(zip(frame["Asset"], frame["Freshness"]))
    assert {name: cell.split()[1] for name, cell in shown.items()} == expected
    assert shown["apetite_investidor"] == "● fresh"


def test_assets_page_filters_by_zone_status_and_search(on_built_lake):
    at = open_page("assets")
    at.multiselect(key="zone").set_value(["analytics"]).run()
    frame = at.table[0].value
    analytics = sorted(a.name for a in _graph() if a.zone == "analytics")
    assert sorted(frame["Asset"]) == analytics
    at.text_input(key="search").set_value("apetite").run()
    assert list(at.table[0].value["Asset"]) == ["apetite_investidor"]
    at.multiselect(key="status").set_value(["stale"]).run()
    assert not at.table, "nothing is stale in a lake built just now"
    assert any("No asset matches" in i.value for i in at.info)


def test_an_asset_materialised_longer_ago_than_its_policy_shows_as_stale(lake_copy):
    """A successful run recorded 60 days ago, through the catalog, on a monthly (35-day) table."""
    name = "empresas"  # a monthly table whose source has no yearly deadline
    asset, catalog = _graph()[name], _catalog(lake_copy)
    finished = datetime.now(timezone.utc) - timedelta(days=60, minutes=30)
    old = replace(catalog.last_record(name), started_at=finished - timedelta(minutes=2), finished_at=finished)
    catalog.register(asset, old)

    at = open_page("assets")
    no_traceback(at)
    row = at.table[0].value.set_index("Asset").loc[name]
    assert row["Freshness"] == "▲ stale (late 25 d)"
    assert row["Last materialised"] == finished.strftime("%Y-%m-%d %H:%M")
    assert _metric(at, "Stale") == "1"

    page = open_page("asset", query={"asset": name})
    assert any("data-status='stale'" in m.value for m in page.markdown)


# -- One asset -------------------------------------------------------------------------------

def test_asset_page_shows_schema_lineage_history_checks_and_first_rows(on_built_lake):
    at = open_page("asset", query={"asset": "bairros"})
    no_traceback(at)
    assert not errors(at)
    assert [t.value for t in at.title] == ["bairros"]
    entry, catalog = _catalog(on_built_lake).get_table("bairros"), _catalog(on_built_lake)
    schema, history, checks, preview = (d.value for d in at.dataframe)
    assert list(schema["column"]) == [c["Name"] for c in entry.columns + entry.partition_keys]
    assert list(schema["type"]) == [c["Type"] for c in entry.columns + entry.partition_keys]
    assert len(history) == len(catalog.history("bairros"))
    assert list(checks["check"]) == [c.name for c in _graph()["bairros"].checks]
    assert set(checks["result"]) == {"passed"}
    assert len(preview) == 20 and "geometria_geojson" in preview.columns
    lineage = at.get("graphviz_chart")[0].proto.spec
    for neighbour in ("bairro_oficial_raw", "bairro_indicadores", "apetite_investidor"):
        assert f'"{neighbour}"' in lineage
    links = {p.proto.label: p.proto.query_string for p in at.page_link}
    assert links["bairro_oficial_raw"] == "asset=bairro_oficial_raw"
    assert links["bairro_indicadores"] == "asset=bairro_indicadores"


def test_asset_page_masks_personal_data_in_the_preview(on_built_lake):
    at = open_page("asset", query={"asset": "empresas"})
    no_traceback(at)
    preview = at.dataframe[-1].value
    for column in ("nome", "nome_fantasia", "cnpj"):
        values = set(preview[column].dropna())
        assert values == {"•••• (PII)"}, column
    schema = at.dataframe[0].value.set_index("column")
    assert schema.loc["cnpj", "PII"] == "yes (hash)"


def test_asset_page_neighbour_links_carry_the_asset_in_the_url(on_built_lake):
    at = open_page("asset", query={"asset": "apetite_investidor"})
    links = [p.proto for p in at.page_link if p.proto.label == "bairro_indicadores"]
    assert links and links[0].query_string == "asset=bairro_indicadores"
    assert links[0].page.endswith("asset"), "the link opens the asset page"


# -- Navigator -------------------------------------------------------------------------------

def test_navigator_maps_every_official_bairro_coloured_by_class(on_built_lake):
    at = open_page("navigator")
    no_traceback(at)
    assert not errors(at)
    bairros = _catalog(on_built_lake).last_record("bairros").rows
    assert _metric(at, "Bairros shown") == f"{bairros} of {bairros}"
    classes = _sql(on_built_lake, "SELECT classe, count(*) AS n FROM bhnav_analytics.apetite_investidor "
                                  "WHERE classe IS NOT NULL GROUP BY classe")
    for klass, count in zip(classes["classe"], classes["n"]):
        assert _metric(at, klass) == str(count)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    features = deck["layers"][0]["data"]["features"]
    assert len(features) == bairros
    lon, lat = features[0]["geometry"]["coordinates"][0][0][:2] if features[0]["geometry"]["type"] == "Polygon" \
        else features[0]["geometry"]["coordinates"][0][0][0][:2]
    assert -44.1 < lon < -43.8 and -20.1 < lat < -19.7, "polygons are in WGS84 around Belo Horizonte"
    scores = _sql(on_built_lake, "SELECT b.codigo_bairro, a.apetite, a.classe FROM bhnav_curated.bairros b "
                                 "LEFT JOIN bhnav_analytics.apetite_investidor a ON a.codigo_bairro = b.codigo_bairro")
    heights = sorted(0 if s != s or s is None else round(s * 3000) for s in scores["apetite"])
    assert sorted(f["properties"]["altura"] for f in features) == heights, "extruded by the score"
    from app.navigator_map import CLASS_COLOURS, NO_SCORE_COLOUR

    for feature in features:
        klass = feature["properties"]["classe"]
        assert feature["properties"]["cor"] == CLASS_COLOURS.get(klass, NO_SCORE_COLOUR), "coloured by class"


def test_navigator_top_bairros_follow_the_score(on_built_lake):
    at = open_page("navigator")
    top = at.dataframe[0].value
    expected = _sql(on_built_lake, "SELECT nome_bairro, apetite FROM bhnav_analytics.apetite_investidor "
                                   "WHERE apetite IS NOT NULL ORDER BY apetite DESC LIMIT 20")
    assert list(top["apetite"]) == pytest.approx(list(expected["apetite"]))
    reads = [m.value for m in at.markdown if "bhnav-status" in m.value]
    assert reads and all("data-status='fresh'" in r for r in reads)


def test_navigator_class_filter_keeps_only_that_class(on_built_lake):
    counts = _sql(on_built_lake, "SELECT classe, count(*) AS n FROM bhnav_analytics.apetite_investidor "
                                 "WHERE classe IS NOT NULL GROUP BY classe ORDER BY n DESC")
    klass, count = counts.iloc[0]["classe"], int(counts.iloc[0]["n"])
    at = open_page("navigator")
    at.multiselect(key="classes").set_value([klass]).run()
    no_traceback(at)
    assert _metric(at, klass) == str(count)
    assert {_metric(at, other) for other in ("OURO", "PRATA", "SATURADO") if other != klass} == {"0"}
    assert _metric(at, "Bairros shown").startswith(f"{count} of ")
    assert set(at.dataframe[0].value["classe"]) == {klass}


def test_navigator_regional_filter_keeps_that_regional(on_built_lake):
    expected = _sql(on_built_lake, "SELECT count(*) AS n FROM bhnav_analytics.bairro_indicadores "
                                   "WHERE regional = 'CENTRO-SUL'").iloc[0]["n"]
    at = open_page("navigator")
    assert set(at.multiselect(key="regional").options) == {
        "BARREIRO", "CENTRO-SUL", "LESTE", "NORDESTE", "NOROESTE", "NORTE", "OESTE", "PAMPULHA", "VENDA NOVA"}
    at.multiselect(key="regional").set_value(["CENTRO-SUL"]).run()
    no_traceback(at)
    assert _metric(at, "Bairros shown") == f"{expected} of 323"
    assert set(at.dataframe[0].value["regional"]) == {"CENTRO-SUL"}


def test_navigator_what_if_weights_rescore_in_the_page_and_leave_the_lake_alone(on_built_lake):
    before = _sql(on_built_lake, "SELECT codigo_bairro, apetite, classe FROM bhnav_analytics.apetite_investidor "
                                 "ORDER BY codigo_bairro")
    params = _graph()["apetite_investidor"].params
    at = open_page("navigator")
    assert [at.slider(key=k).value for k in ("peso_mobilidade", "peso_renda", "peso_saturacao")] == [
        params["peso_mobilidade"], params["peso_renda"], params["peso_saturacao"]]
    lake_top = list(at.dataframe[0].value["nome_bairro"])
    at.slider(key="peso_mobilidade").set_value(0.0)
    at.slider(key="peso_saturacao").set_value(0.0)
    at.slider(key="peso_renda").set_value(1.0).run()
    no_traceback(at)
    assert not errors(at)
    top = at.dataframe[0].value
    richest = _sql(on_built_lake, "SELECT nome_bairro FROM bhnav_analytics.apetite_investidor "
                                  "WHERE apetite IS NOT NULL ORDER BY renda_norm DESC, nome_bairro LIMIT 20")
    assert list(top["nome_bairro"]) == list(richest["nome_bairro"]), "income alone ranks by income"
    assert list(top["nome_bairro"]) != lake_top
    assert "places gained" in top.columns
    counts = {k: int(_metric(at, k)) for k in ("OURO", "PRATA", "SATURADO")}
    assert min(counts.values()) > 0, "the declared quantiles keep every class populated"
    assert any("What-if weights" in i.value for i in at.info)
    after = _sql(on_built_lake, "SELECT codigo_bairro, apetite, classe FROM bhnav_analytics.apetite_investidor "
                                "ORDER BY codigo_bairro")
    assert after.equals(before), "the what-if never writes the lake"
    at.button(key="reset_weights").click().run()
    assert list(at.dataframe[0].value["nome_bairro"]) == lake_top


def test_navigator_all_weights_at_zero_keep_the_lake_score_and_say_so(on_built_lake):
    at = open_page("navigator")
    lake_top = list(at.dataframe[0].value["nome_bairro"])
    for key in ("peso_mobilidade", "peso_renda", "peso_saturacao"):
        at.slider(key=key).set_value(0.0)
    at.run()
    no_traceback(at)
    assert any("three weights are zero" in w.value for w in at.warning)
    assert list(at.dataframe[0].value["nome_bairro"]) == lake_top


def test_navigator_mvp_preset_selects_its_centro_sul_bairros(on_built_lake):
    from app.views.navigator import MVP_BAIRROS

    at = open_page("navigator")
    at.radio(key="preset").set_value("MVP: its 17 Centro-Sul bairros").run()
    no_traceback(at)
    assert len(MVP_BAIRROS) == 17
    assert _metric(at, "Bairros shown") == f"{len(set(MVP_BAIRROS.values()))} of 323"
    shown = at.dataframe[0].value
    assert set(shown["regional"]) == {"CENTRO-SUL"}
    assert {"Belvedere", "Sion", "das Mangabeiras"} <= set(shown["nome_bairro"])


def test_navigator_bairro_detail_shows_indicators_rank_class_and_their_tables(on_built_lake):
    row = _sql(on_built_lake, "SELECT a.codigo_bairro, a.posicao, a.classe, r.renda_media_responsavel "
                              "FROM bhnav_analytics.apetite_investidor a JOIN bhnav_analytics.renda_bairro r "
                              "USING (codigo_bairro) WHERE a.nome_bairro = 'Belvedere'").iloc[0]
    at = open_page("navigator")
    at.selectbox(key="detalhe").set_value(int(row["codigo_bairro"])).run()
    no_traceback(at)
    assert _metric(at, "Rank").startswith(f"{int(row['posicao'])} of ")
    assert _metric(at, "Class") == row["classe"]
    table = at.table[-1].value
    by = dict(zip(table["Indicator"], table["Value"]))
    assert by["Income of the household's responsible person (R$)"] == f"R$ {row['renda_media_responsavel']:,.0f}"
    assert by["Regional"] == "CENTRO-SUL"
    tables = {t.rsplit(".", 1)[0] for t in table["Table"]}
    assert tables == {"bhnav_analytics.bairro_indicadores", "bhnav_analytics.renda_bairro",
                      "bhnav_analytics.apetite_investidor"}


def test_navigator_unscored_bairros_say_why(on_built_lake):
    unscored = _sql(on_built_lake, "SELECT nome_bairro, motivo FROM bhnav_analytics.apetite_investidor "
                                   "WHERE apetite IS NULL")
    assert 0 < len(unscored) <= 8
    at = open_page("navigator")
    assert _metric(at, "Scored") == str(323 - len(unscored))
    why = at.dataframe[1].value
    assert sorted(why["motivo"]) == sorted(unscored["motivo"]) and why["motivo"].notna().all()
    code = _sql(on_built_lake, "SELECT codigo_bairro FROM bhnav_analytics.apetite_investidor "
                               "WHERE apetite IS NULL ORDER BY codigo_bairro LIMIT 1").iloc[0]["codigo_bairro"]
    at.selectbox(key="detalhe").set_value(int(code)).run()
    assert any(w.value.startswith("No score:") for w in at.warning)


# -- Trends ----------------------------------------------------------------------------------

def test_trends_totals_equal_the_tables(on_built_lake):
    at = open_page("trends")
    no_traceback(at)
    assert not errors(at)
    totals = _sql(on_built_lake, "SELECT sum(acidentes) AS a, sum(acidentes_fatais) AS f "
                                 "FROM bhnav_analytics.acidentes_mensal_regional").iloc[0]
    assert _metric(at, "Accidents with victims") == f"{int(totals['a']):,}"
    assert _metric(at, "Fatal") == f"{int(totals['f']):,}"
    people = _sql(on_built_lake, "SELECT sum(populacao) AS p FROM bhnav_analytics.bairro_indicadores").iloc[0]["p"]
    assert _metric(at, "Residents (2022)") == f"{people:,.0f}"
    assert len(at.get("vega_lite_chart")) == 5


def test_trends_regional_filter(on_built_lake):
    at = open_page("trends")
    at.multiselect(key="regional").set_value(["CENTRO-SUL"]).run()
    expected = _sql(on_built_lake, "SELECT sum(acidentes) AS a FROM bhnav_analytics.acidentes_mensal_regional "
                                   "WHERE regional = 'CENTRO-SUL'").iloc[0]["a"]
    assert _metric(at, "Accidents with victims") == f"{int(expected):,}"


# -- SQL -------------------------------------------------------------------------------------

def test_sql_page_runs_athena_sql_and_shows_bytes_scanned(on_built_lake):
    at = open_page("sql")
    sql = ("SELECT regional, CAST(sum(acidentes) AS bigint) AS n FROM bhnav_analytics.acidentes_mensal_regional "
           "GROUP BY regional ORDER BY n DESC")
    at.text_area(key="sql").set_value(sql)
    at.number_input(key="limit").set_value(3)
    at.button(key="run").click().run()
    no_traceback(at)
    assert not errors(at)
    shown = at.dataframe[-1].value
    expected = _sql(on_built_lake, sql).head(3)
    assert list(shown["regional"]) == list(expected["regional"])
    assert list(shown["n"]) == list(expected["n"])
    assert _metric(at, "Rows") == "3 (limit reached)"
    assert _metric(at, "Bytes scanned").split()[-1] in ("B", "KB", "MB")
    assert at.get("download_button")


@pytest.mark.parametrize("statement", [
    pytest.param("DROP TABLE bhnav_analytics.apetite_investidor", id="drop-table"),
    pytest.param("DELETE FROM bhnav_curated.bairros", id="delete"),
    pytest.param("CREATE TABLE bhnav_analytics.x AS SELECT 1 AS a", id="ctas"),
])
def test_sql_page_refuses_statements_that_write(on_built_lake, statement):
    at = open_page("sql")
    at.text_area(key="sql").set_value(statement)
    at.button(key="run").click().run()
    no_traceback(at)
    assert any(e.startswith("Refused:") for e in errors(at)), errors(at)
    assert not at.get("download_button")
    assert _catalog(on_built_lake).get_table("apetite_investidor") is not None
    assert len(_sql(on_built_lake, "SELECT * FROM bhnav_analytics.apetite_investidor")) > 300


# -- Missing tables --------------------------------------------------------------------------

@pytest.mark.parametrize("page, table, still_rendered", [
    pytest.param("navigator", "apetite_investidor", "BH Strategic Navigator", id="navigator-without-score"),
    pytest.param("trends", "acidentes_mensal_regional", "Residents (2022)", id="trends-without-accidents"),
    pytest.param("asset", "bairros", "Rows", id="asset-preview-without-data"),
])
def test_a_table_whose_data_is_gone_shows_an_error_panel_and_the_rest_renders(lake_copy, page, table,
                                                                               still_rendered):
    import shutil

    from lake.locations import local_path

    shutil.rmtree(local_path(_catalog(lake_copy).get_table(table).location))
    at = open_page(page, query={"asset": table} if page == "asset" else None)
    no_traceback(at)
    assert any(table in e and "cannot be shown" in e for e in errors(at)), errors(at)
    rendered = [t.value for t in at.title] + [m.label for m in at.metric]
    assert still_rendered in rendered
