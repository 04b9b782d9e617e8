"""Navigator: where to invest in Belo Horizonte, scored per official bairro from lake tables.

The what-if panel re-scores in the page: the three weights feed ``spark.transforms.apetite.classify``,
the rule the lake's build uses, over the stored percentile ranks (``*_norm``); the lake is never
written. With the asset's own weights the page shows the lake's scores as stored.
"""

from __future__ import annotations

import streamlit as st

from app import data
from app.navigator_map import CLASS_COLOURS, deck
from app.panels import panel, reads

SCORE, BAIRROS, INDICATORS, INCOME = "apetite_investidor", "bairros", "bairro_indicadores", "renda_bairro"
CLASSES = tuple(CLASS_COLOURS)
WEIGHTS = (("peso_mobilidade", "Mobility"), ("peso_renda", "Income"), ("peso_saturacao", "Low saturation"))

# The MVP scored 17 Centro-Sul bairros by their popular names. The city's official bairros there are
# mostly numbered seções, so each MVP name points to the official bairro holding the largest part of
# its popular-bairro polygon (populacao_2022 laid over bairros): 17 names, 15 official bairros.
MVP_BAIRROS = {
    "Savassi": 5, "Lourdes": 10, "Funcionários": 6, "Santo Agostinho": 12, "Sion": 113, "Anchieta": 110,
    "Cruzeiro": 101, "Serra": 108, "Carmo": 102, "Santo Antônio": 120, "São Pedro": 102, "Belvedere": 122,
    "Mangabeiras": 109, "Cidade Jardim": 125, "Luxemburgo": 120, "Santa Lúcia": 121, "São Bento": 123,
}
PRESETS = ("Every bairro", "MVP: its 17 Centro-Sul bairros")

# What the detail panel shows of a bairro: (label, column, table it comes from, format).
DETAIL = (
    ("Regional", "regional", INDICATORS, "{}"),
    ("Area (km²)", "area_km2", INDICATORS, "{:,.2f}"),
    ("Residents (2022)", "populacao", INDICATORS, "{:,.0f}"),
    ("Residents per km²", "densidade_hab_km2", INDICATORS, "{:,.0f}"),
    ("Bus stops", "paradas_onibus", INDICATORS, "{:,.0f}"),
    ("Bus stations", "estacoes_onibus", INDICATORS, "{:,.0f}"),
    ("Restaurants and bars", "restaurantes_bares", INDICATORS, "{:,.0f}"),
    ("Health centres", "centros_saude", INDICATORS, "{:,.0f}"),
    ("Parks", "parques", INDICATORS, "{:,.0f}"),
    ("Accidents with victims", "acidentes_com_vitima", INDICATORS, "{:,.0f}"),
    ("IQVU of its planning unit", "iqvu", INDICATORS, "{:.3f}"),
    ("Income of the household's responsible person (R$)", "renda_media_responsavel", INCOME, "R$ {:,.0f}"),
    ("Households (Census 2022)", "domicilios", INCOME, "{:,.0f}"),
    ("Area covered by census bairros", "cobertura_area", INCOME, "{:.0%}"),
    ("Census (popular) bairros", "bairros_populares", INCOME, "{}"),
    ("Mobility: stops and stations per km²", "mobilidade", SCORE, "{:,.1f}"),
    ("Saturation: restaurants and bars per km²", "saturacao", SCORE, "{:,.1f}"),
    ("Mobility, percentile", "mobilidade_norm", SCORE, "{:.2f}"),
    ("Income, percentile", "renda_norm", SCORE, "{:.2f}"),
    ("Saturation, percentile", "saturacao_norm", SCORE, "{:.2f}"),
)


def load(lk: data.Lake):
    """Every official bairro with its score, indicators and income (a bairro without a score keeps
    a null score and its reason)."""
    data.require_tables(lk, [SCORE, BAIRROS, INDICATORS, INCOME])
    sql = f"""
        SELECT b.codigo_bairro, b.nome AS nome_bairro, i.regional,
               a.apetite, a.posicao, a.classe, a.motivo,
               a.mobilidade, a.renda_media_responsavel, a.saturacao,
               a.mobilidade_norm, a.renda_norm, a.saturacao_norm,
               i.area_km2, i.populacao, i.densidade_hab_km2, i.paradas_onibus, i.estacoes_onibus,
               i.restaurantes_bares, i.centros_saude, i.parques, i.acidentes_com_vitima, i.iqvu,
               r.domicilios, r.cobertura_area, r.bairros_populares,
               b.geometria_geojson, b.centroide_lat, b.centroide_lon
        FROM {data.qualified(lk, BAIRROS)} b
        LEFT JOIN {data.qualified(lk, SCORE)} a ON a.codigo_bairro = b.codigo_bairro
        LEFT JOIN {data.qualified(lk, INDICATORS)} i ON i.codigo_bairro = b.codigo_bairro
        LEFT JOIN {data.qualified(lk, INCOME)} r ON r.codigo_bairro = b.codigo_bairro
        ORDER BY a.apetite DESC NULLS LAST, b.nome
    """
    frame = data.query(lk, sql).frame.copy()
    frame["posicao"] = frame["posicao"].astype("Int64")
    return frame


def lake_params() -> dict:
    return dict(data.graph()[SCORE].params)


def what_if(params: dict) -> dict:
    """The three weight sliders (the asset's weights by default); the weights chosen."""
    with st.sidebar:
        st.subheader("What if")
        st.caption("Move a weight to re-score every bairro here, in the page; the lake keeps its score. "
                   "Weights are relative: the score divides by their sum.")
        chosen = {name: st.slider(label, 0.0, 1.0, float(params[name]), 0.05, key=name) for name, label in WEIGHTS}

        def reset():
            for name, _ in WEIGHTS:
                st.session_state[name] = float(params[name])

        st.button("Back to the lake's weights", on_click=reset, key="reset_weights",
                  disabled=all(chosen[n] == float(params[n]) for n, _ in WEIGHTS))
    return chosen


def rescore(frame, params: dict, weights: dict):
    """The frame scored with these weights; the lake's own columns when they are the asset's."""
    from spark.transforms.apetite import classify

    frame = frame.copy()
    frame["posicao_lake"] = frame["posicao"]
    if all(float(weights[n]) == float(params[n]) for n, _ in WEIGHTS):
        return frame
    scored = classify(frame, {**params, **weights})
    return scored.sort_values(["apetite", "nome_bairro"], ascending=[False, True], na_position="last")


def filters(frame):
    preset = st.radio("Selection", PRESETS, horizontal=True, key="preset")
    left, middle, right = st.columns([2, 2, 2])
    regionais = sorted(r for r in frame["regional"].dropna().unique())
    chosen_regional = left.multiselect("Regional", regionais, key="regional")
    classes = middle.multiselect("Class", CLASSES, key="classes")
    search = right.text_input("Bairro", key="bairro", placeholder="name contains…")
    shown = frame
    if preset == PRESETS[1]:
        shown = shown[shown["codigo_bairro"].isin(set(MVP_BAIRROS.values()))]
    if chosen_regional:
        shown = shown[shown["regional"].isin(chosen_regional)]
    if classes:
        shown = shown[shown["classe"].isin(classes)]
    if search.strip():
        shown = shown[shown["nome_bairro"].str.contains(search.strip(), case=False, na=False)]
    return preset, shown


def scatter(frame):
    import altair as alt

    scored = frame.dropna(subset=["renda_media_responsavel", "saturacao", "apetite"])
    colour = alt.Color("classe:N", scale=alt.Scale(
        domain=list(CLASSES), range=[f"rgb({c[0]},{c[1]},{c[2]})" for c in CLASS_COLOURS.values()]))
    return alt.Chart(scored).mark_circle(size=60, opacity=0.8).encode(
        x=alt.X("renda_media_responsavel:Q", title="Income of the household's responsible person (R$, log)",
                scale=alt.Scale(type="log")),
        y=alt.Y("saturacao:Q", title="Restaurants and bars per km²"),
        color=colour,
        tooltip=["nome_bairro", "regional", "classe", alt.Tooltip("apetite:Q", format=".2f"),
                 alt.Tooltip("renda_media_responsavel:Q", format=",.0f"), alt.Tooltip("saturacao:Q", format=".1f")],
    )


def podium(scored, count: int = 5) -> str:
    """The top of the current ranking as a list the reader (and the browser test) can read."""
    items = "".join(
        f"<li data-codigo='{int(r.codigo_bairro)}'>{r.nome_bairro} <small>({r.classe}, {r.apetite:.2f})</small></li>"
        for r in scored.head(count).itertuples()
    )
    return f"<ol class='bhnav-top'>{items}</ol>"


def _absent(value) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def detail(frame, shown, lk) -> None:
    st.subheader("A bairro in detail")
    options = list(shown["codigo_bairro"]) or list(frame["codigo_bairro"])
    names = dict(zip(frame["codigo_bairro"], frame["nome_bairro"]))
    regional = dict(zip(frame["codigo_bairro"], frame["regional"]))
    code = st.selectbox("Bairro", options, key="detalhe",
                        format_func=lambda c: f"{names.get(c)} ({str(regional.get(c) or '—').title()}, {c})")
    if code is None:
        return
    row = frame[frame["codigo_bairro"] == code].iloc[0]
    scored = not _absent(row["apetite"])
    cells = st.columns(4)
    cells[0].metric("Rank", f"{int(row['posicao'])} of {int(frame['apetite'].notna().sum())}" if scored else "—")
    cells[1].metric("Class", row["classe"] if scored else "no score")
    cells[2].metric("Score", f"{row['apetite']:.2f}" if scored else "—")
    lake_rank = row.get("posicao_lake")
    cells[3].metric("Rank in the lake", "—" if _absent(lake_rank) else f"{int(lake_rank)}")
    if not scored:
        st.warning(f"No score: {row['motivo']}", icon=":material/help:")
    rows = []
    for label, column, table, fmt in DETAIL:
        value = row.get(column)
        shown_value = "—" if _absent(value) else fmt.format(value)
        rows.append({"Indicator": label, "Value": shown_value, "Table": f"{data.qualified(lk, table)}.{column}"})
    st.table(rows)


def render() -> None:
    st.title("BH Strategic Navigator")
    st.caption("Where the opportunities are: each official bairro scored on mobility, census income and how "
               "saturated its restaurants and bars already are. OURO: the best scores; SATURADO: the most crowded. "
               "Income: Fonte: IBGE, Censo Demográfico 2022.")
    frame = None
    params = lake_params()
    weights = what_if(params)
    with panel("The Navigator's data"):
        lk = data.lake()
        frame = load(lk)
    if frame is None:
        return
    changed = any(float(weights[n]) != float(params[n]) for n, _ in WEIGHTS)
    if changed and sum(weights.values()) <= 0:
        st.warning("The three weights are zero, which scores nothing: the page shows the lake's score.",
                   icon=":material/tune:")
        weights, changed = dict(params), False
    with panel("What if"):
        frame = rescore(frame, params, weights)
    if changed:
        st.info("What-if weights: " + ", ".join(f"{label.lower()} {weights[n]:.2f}" for n, label in WEIGHTS)
                + f" (the lake's: {', '.join(f'{params[n]:.2f}' for n, _ in WEIGHTS)}). Nothing is written.",
                icon=":material/tune:")
    preset, shown = filters(frame)
    if preset == PRESETS[1]:
        st.caption("The MVP's names and the official bairro each one points to: " + "; ".join(
            f"{name} → {frame.loc[frame['codigo_bairro'] == code, 'nome_bairro'].iloc[0]}"
            for name, code in MVP_BAIRROS.items() if (frame["codigo_bairro"] == code).any()))
    scored = shown.dropna(subset=["apetite"])
    counts = shown["classe"].value_counts()
    cells = st.columns(5)
    cells[0].metric("Bairros shown", f"{len(shown)} of {len(frame)}")
    cells[1].metric("Scored", f"{len(scored)}")
    for cell, klass in zip(cells[2:], CLASSES):
        cell.metric(klass, int(counts.get(klass, 0)))

    chart, side = st.columns([4, 1])
    with chart, panel("Map"):
        st.subheader("Map of the bairros")
        st.pydeck_chart(deck(shown), height=560, key="map",
                        alt="3D map of Belo Horizonte's official bairros, coloured by class, height by score")
        st.caption(f"Height: the score (apetite); colour: the class. {len(shown) - len(scored)} of the bairros "
                   "shown have no score (grey); the table below says why.")
    with side:
        reads(lk, (SCORE, BAIRROS))

    chart, side = st.columns([4, 1])
    with chart, panel("Top bairros"):
        st.subheader("Top bairros")
        st.markdown(podium(scored), unsafe_allow_html=True)
        table = scored[["posicao", "nome_bairro", "regional", "classe", "apetite", "mobilidade",
                        "renda_media_responsavel", "saturacao"]].head(20)
        if changed:
            table = table.assign(
                lake=scored["posicao_lake"].head(20).astype("Int64"),
                movement=(scored["posicao_lake"] - scored["posicao"]).head(20),
            ).rename(columns={"lake": "rank in the lake", "movement": "places gained"})
        st.dataframe(
            table, hide_index=True, width="stretch",
            column_config={
                "apetite": st.column_config.ProgressColumn("apetite", min_value=0, max_value=1, format="%.2f"),
                "renda_media_responsavel": st.column_config.NumberColumn("income (R$)", format="%,.0f"),
                "mobilidade": st.column_config.NumberColumn("stops/km²", format="%.1f"),
                "saturacao": st.column_config.NumberColumn("bars/km²", format="%.1f"),
            },
        )
        unscored = shown[shown["apetite"].isna()]
        if len(unscored):
            with st.expander(f"{len(unscored)} bairros without a score, and why"):
                st.dataframe(unscored[["nome_bairro", "regional", "motivo"]], hide_index=True, width="stretch")
    with side:
        reads(lk, (SCORE, INCOME))

    chart, side = st.columns([4, 1])
    with chart, panel("Bairro detail"):
        detail(frame, shown, lk)
    with side:
        reads(lk, (SCORE, INDICATORS, INCOME))

    chart, side = st.columns([4, 1])
    with chart, panel("Income against saturation"):
        st.subheader("Census income against commercial saturation")
        st.altair_chart(scatter(shown), width="stretch")
    with side:
        reads(lk, (SCORE, INCOME))


render()
