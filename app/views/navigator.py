"""Navigator: where to invest in Belo Horizonte, scored per official bairro from lake tables."""

from __future__ import annotations

import streamlit as st

from app import data
from app.navigator_map import CLASS_COLOURS, deck
from app.panels import panel, reads

SCORE, BAIRROS = "apetite_investidor", "bairros"
CLASSES = tuple(CLASS_COLOURS)


def load(lk: data.Lake):
    """Every official bairro with its score (bairros without one keep a null score and a reason)."""
    data.require_tables(lk, [SCORE, BAIRROS])
    score_columns = {c["Name"] for c in (data.table(lk, SCORE) or {}).get("columns", [])}
    bairro_columns = {c["Name"] for c in (data.table(lk, BAIRROS) or {}).get("columns", [])}
    regional = ("a.regional" if "regional" in score_columns
                else "b.regional" if "regional" in bairro_columns else "CAST(NULL AS varchar)")
    sql = f"""
        SELECT b.codigo_bairro, b.nome AS nome_bairro, {regional} AS regional,
               a.apetite, a.classe, a.motivo, a.renda_proxy, a.saturacao, a.mobilidade,
               b.geometria_geojson, b.centroide_lat, b.centroide_lon
        FROM {data.qualified(lk, BAIRROS)} b
        LEFT JOIN {data.qualified(lk, SCORE)} a ON a.codigo_bairro = b.codigo_bairro
        ORDER BY a.apetite DESC NULLS LAST, b.nome
    """
    return data.query(lk, sql).frame


def filters(frame):
    left, middle, right = st.columns([2, 2, 2])
    regionais = sorted(r for r in frame["regional"].dropna().unique())
    if regionais:
        chosen_regional = left.multiselect("Regional", regionais, key="regional")
    else:
        chosen_regional = []
        left.caption("Regional: the bairro tables carry no regional column, so this filter is off.")
    classes = middle.multiselect("Class", CLASSES, key="classes")
    search = right.text_input("Bairro", key="bairro", placeholder="name contains…")
    shown = frame
    if chosen_regional:
        shown = shown[shown["regional"].isin(chosen_regional)]
    if classes:
        shown = shown[shown["classe"].isin(classes)]
    if search.strip():
        shown = shown[shown["nome_bairro"].str.contains(search.strip(), case=False, na=False)]
    return shown


def scatter(frame):
    import altair as alt

    scored = frame.dropna(subset=["renda_proxy", "saturacao"])
    colour = alt.Color("classe:N", scale=alt.Scale(
        domain=list(CLASSES), range=[f"rgb({c[0]},{c[1]},{c[2]})" for c in CLASS_COLOURS.values()]))
    return alt.Chart(scored).mark_circle(size=60, opacity=0.8).encode(
        x=alt.X("renda_proxy:Q", title="Income proxy (IQVU)", scale=alt.Scale(zero=False)),
        y=alt.Y("saturacao:Q", title="Restaurants and bars per km²"),
        color=colour,
        tooltip=["nome_bairro", "classe", alt.Tooltip("apetite:Q", format=".2f"), "renda_proxy", "saturacao"],
    )


def render() -> None:
    st.title("BH Strategic Navigator")
    st.caption("Where the opportunities are: each official bairro scored on mobility, income and how saturated "
               "its restaurants and bars already are. OURO: the best scores; SATURADO: the most crowded.")
    frame = None
    with panel("The Navigator's data"):
        lk = data.lake()
        frame = load(lk)
    if frame is None:
        return
    shown = filters(frame)
    scored = shown.dropna(subset=["apetite"])
    counts = shown["classe"].value_counts()
    cells = st.columns(4)
    cells[0].metric("Bairros shown", f"{len(shown)} of {len(frame)}")
    for cell, klass in zip(cells[1:], CLASSES):
        cell.metric(klass, int(counts.get(klass, 0)))

    chart, side = st.columns([4, 1])
    with chart, panel("Map"):
        st.subheader("Map of the bairros")
        st.pydeck_chart(deck(shown), height=560, key="map",
                        alt="3D map of Belo Horizonte's official bairros, coloured by class, height by score")
        st.caption(f"Height: the score (apetite); colour: the class. {len(frame) - len(frame.dropna(subset=['apetite']))} "
                   "bairros have no score (grey); the table below says why.")
    with side:
        reads(lk, (SCORE, BAIRROS))

    chart, side = st.columns([4, 1])
    with chart, panel("Income against saturation"):
        st.subheader("Income proxy against commercial saturation")
        st.altair_chart(scatter(shown), width="stretch")
    with side:
        reads(lk, (SCORE, "bairro_indicadores"))

    chart, side = st.columns([4, 1])
    with chart, panel("Top bairros"):
        st.subheader("Top bairros")
        st.dataframe(
            scored.head(20)[["nome_bairro", "classe", "apetite", "mobilidade", "renda_proxy", "saturacao"]],
            hide_index=True, width="stretch",
            column_config={"apetite": st.column_config.ProgressColumn("apetite", min_value=0, max_value=1,
                                                                      format="%.2f")},
        )
        unscored = shown[shown["apetite"].isna()]
        if len(unscored):
            with st.expander(f"{len(unscored)} bairros without a score, and why"):
                st.dataframe(unscored[["nome_bairro", "motivo"]], hide_index=True, width="stretch")
    with side:
        reads(lk, (SCORE,))


render()
