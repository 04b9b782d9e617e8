"""Trends: accidents with victims per year, month and regional (with the fatal share); people per bairro.

Every year the lake holds is shown; a year whose source file counts only geolocated accidents (the
re-published si-bol files dropped the rows without coordinates) says so beside the chart, read
from the curated accidents' ``apenas_geolocalizados`` column when the table declares it.
"""

from __future__ import annotations

import streamlit as st

from app import data
from app.panels import panel, reads

ACCIDENTS, INDICATORS = "acidentes_mensal_regional", "bairro_indicadores"
REPORTS, GEOLOCATED_ONLY = "acidentes", "apenas_geolocalizados"


def accidents(lk: data.Lake):
    data.require_tables(lk, [ACCIDENTS])
    return data.query(lk, f"""
        SELECT mes_referencia, regional, acidentes, acidentes_fatais, proporcao_fatais
        FROM {data.qualified(lk, ACCIDENTS)}
        ORDER BY mes_referencia, regional
    """).frame


def geolocated_only_years(lk: data.Lake) -> list[int]:
    """The years of the accidents table that count only geolocated accidents ([] when it does not say)."""
    if GEOLOCATED_ONLY not in data.graph()[REPORTS].schema:
        return []
    data.require_tables(lk, [REPORTS])
    frame = data.query(lk, f"""
        SELECT DISTINCT year(data_boletim) AS ano
        FROM {data.qualified(lk, REPORTS)}
        WHERE {GEOLOCATED_ONLY}
        ORDER BY 1
    """).frame
    return [int(y) for y in frame["ano"]]


def year_note(years: list[int], geolocated_only: list[int]) -> str | None:
    """'2016, 2017 and 2018 count only geolocated accidents ...', or None when no year held is one."""
    only = [y for y in years if y in geolocated_only]
    if not only:
        return None
    listed = str(only[0]) if len(only) == 1 else f"{', '.join(map(str, only[:-1]))} and {only[-1]}"
    verb = "counts" if len(only) == 1 else "count"
    return (f"{listed} {verb} only geolocated accidents: the re-published files leave out the reports "
            "without coordinates, so those years are lower bounds.")


def population(lk: data.Lake):
    data.require_tables(lk, [INDICATORS])
    return data.query(lk, f"""
        SELECT nome_bairro, populacao, densidade_hab_km2, area_km2
        FROM {data.qualified(lk, INDICATORS)}
        ORDER BY populacao DESC NULLS LAST
    """).frame


def accident_charts(frame, geolocated_only: list[int] = ()) -> None:
    import altair as alt
    import pandas as pd

    frame = frame.assign(mes_referencia=pd.to_datetime(frame["mes_referencia"]))
    frame = frame.assign(ano=frame["mes_referencia"].dt.year)
    years = sorted(int(y) for y in frame["ano"].dropna().unique())
    regionais = sorted(frame["regional"].dropna().unique())
    chosen = st.multiselect("Regional", regionais, key="regional")
    if chosen:
        frame = frame[frame["regional"].isin(chosen)]
    total, fatal = int(frame["acidentes"].sum()), int(frame["acidentes_fatais"].sum())
    cells = st.columns(3)
    cells[0].metric("Accidents with victims", f"{total:,}")
    cells[1].metric("Fatal", f"{fatal:,}")
    cells[2].metric("Fatal share", f"{fatal / total:.2%}" if total else "—")
    st.caption("Years held: " + (", ".join(map(str, years)) or "none"))
    per_year = frame.groupby("ano", as_index=False)[["acidentes", "acidentes_fatais"]].sum()
    per_year["contagem"] = ["only geolocated" if y in geolocated_only else "all reports" for y in per_year["ano"]]
    st.altair_chart(alt.Chart(per_year).mark_bar().encode(
        x=alt.X("ano:O", title="Year"), y=alt.Y("acidentes:Q", title="Accidents with victims"),
        color=alt.Color("contagem:N", title="Counts"),
        tooltip=["ano", "acidentes", "acidentes_fatais", "contagem"],
    ).properties(title="Accidents with victims per year"), width="stretch")
    note = year_note(years, list(geolocated_only))
    if note:
        st.info(note, icon=":material/location_on:")
    st.altair_chart(alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("yearmonth(mes_referencia):T", title="Month"),
        y=alt.Y("sum(acidentes):Q", title="Accidents with victims"),
        color=alt.Color("regional:N", title="Regional"),
        tooltip=["regional", "yearmonth(mes_referencia):T", "sum(acidentes):Q", "sum(acidentes_fatais):Q"],
    ).properties(title="Accidents with victims per month"), width="stretch")
    per_regional = frame.groupby("regional", as_index=False)[["acidentes", "acidentes_fatais"]].sum()
    per_regional["proporcao_fatais"] = per_regional["acidentes_fatais"] / per_regional["acidentes"]
    st.altair_chart(alt.Chart(per_regional).mark_bar().encode(
        x=alt.X("proporcao_fatais:Q", title="Fatal share", axis=alt.Axis(format="%")),
        y=alt.Y("regional:N", sort="-x", title=None),
        tooltip=["regional", "acidentes", "acidentes_fatais", alt.Tooltip("proporcao_fatais:Q", format=".2%")],
    ).properties(title="Fatal share per regional"), width="stretch")


def population_charts(frame) -> None:
    import altair as alt

    cells = st.columns(3)
    cells[0].metric("Residents (2022)", f"{frame['populacao'].sum():,.0f}")
    cells[1].metric("Bairros", len(frame))
    area = frame["area_km2"].sum()
    cells[2].metric("Mean density", f"{frame['populacao'].sum() / area:,.0f} /km²" if area else "—")
    top = st.slider("Bairros shown", 5, 50, 20, key="top")
    left, right = st.columns(2)
    left.altair_chart(alt.Chart(frame.head(top)).mark_bar().encode(
        x=alt.X("populacao:Q", title="Residents"), y=alt.Y("nome_bairro:N", sort="-x", title=None),
        tooltip=["nome_bairro", alt.Tooltip("populacao:Q", format=",.0f")],
    ).properties(title="Most populous"), width="stretch")
    densest = frame.sort_values("densidade_hab_km2", ascending=False).head(top)
    right.altair_chart(alt.Chart(densest).mark_bar(color="#8e44ad").encode(
        x=alt.X("densidade_hab_km2:Q", title="Residents per km²"), y=alt.Y("nome_bairro:N", sort="-x", title=None),
        tooltip=["nome_bairro", alt.Tooltip("densidade_hab_km2:Q", format=",.0f")],
    ).properties(title="Densest"), width="stretch")


def render() -> None:
    st.title("Trends")
    lk = None
    with panel("The catalog"):
        lk = data.lake()
    if lk is None:
        return
    chart, side = st.columns([4, 1])
    with chart:
        st.subheader("Accidents with victims per month and regional")
        geolocated_only: list[int] = []
        with panel("Geolocated-only years"):
            geolocated_only = geolocated_only_years(lk)
        with panel("Accidents"):
            accident_charts(accidents(lk), geolocated_only)
    with side:
        reads(lk, (ACCIDENTS,))
    chart, side = st.columns([4, 1])
    with chart:
        st.subheader("Population and density per bairro")
        with panel("Population"):
            population_charts(population(lk))
    with side:
        reads(lk, (INDICATORS,))


render()
