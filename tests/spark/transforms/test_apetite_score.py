"""The investment score's arithmetic on small tables (the build and the Navigator's what-if read the same functions)."""

from __future__ import annotations

import pandas as pd
import pytest

from assets.definitions import load_graph
from spark.transforms.apetite import classify, percentile_rank, score

PARAMS = load_graph()["apetite_investidor"].params
COLUMNS = ["codigo_bairro", "nome_bairro", "regional", "area_km2", "paradas_onibus", "estacoes_onibus",
           "restaurantes_bares", "renda_media_responsavel", "motivo_renda"]


def indicators(rows):
    return pd.DataFrame(rows, columns=COLUMNS)


def city(n: int = 40, outlier: float | None = None):
    """n bairros of 1 km² whose three inputs rise together; optionally one income outlier last."""
    rows = [(i, f"B{i}", "OESTE", 1.0, i, 0, i % 7, 1000.0 + 100 * i, None) for i in range(1, n + 1)]
    if outlier is not None:
        rows[-1] = (*rows[-1][:7], outlier, None)
    return indicators(rows)


def test_percentile_rank_spans_0_to_1_shares_ties_and_keeps_missing():
    ranked = percentile_rank(pd.Series([10.0, 30.0, None, 20.0, 20.0]))
    assert ranked.tolist()[:2] == [0.0, 1.0] and pd.isna(ranked[2])
    assert ranked[3] == ranked[4] == pytest.approx(0.5)
    assert percentile_rank(pd.Series([7.0])).tolist() == [0.5]


def test_one_outlier_moves_nothing_but_itself():
    plain = score(city(), PARAMS).set_index("codigo_bairro")
    spiked = score(city(outlier=38_322.59), PARAMS).set_index("codigo_bairro")
    # With min-max the R$ 38k outlier would squeeze every other income into the bottom tenth.
    assert spiked["renda_norm"].drop(40).tolist() == pytest.approx(plain["renda_norm"].drop(40).tolist())
    assert spiked.loc[39, "renda_norm"] == pytest.approx(38 / 39)


def test_formula_is_the_weighted_mean_of_the_scaled_terms():
    table = score(city(), PARAMS)
    row = table.iloc[10]
    weights = (PARAMS["peso_mobilidade"], PARAMS["peso_renda"], PARAMS["peso_saturacao"])
    expected = (weights[0] * row["mobilidade_norm"] + weights[1] * row["renda_norm"]
                + weights[2] * (1 - row["saturacao_norm"])) / sum(weights)
    assert row["apetite"] == pytest.approx(expected)
    assert table["apetite"].between(0, 1).all()


def test_classes_come_from_the_declared_quantiles_and_all_three_are_populated():
    table = score(city(), PARAMS)
    counts = table["classe"].value_counts()
    assert set(counts.index) == {"OURO", "PRATA", "SATURADO"}
    saturated_from = table["saturacao"].quantile(PARAMS["quantil_saturado"])
    assert set(table.loc[table["saturacao"] >= saturated_from, "classe"]) == {"SATURADO"}
    rest = table[table["classe"] != "SATURADO"]
    gold_from = rest["apetite"].quantile(PARAMS["quantil_ouro"])
    assert (rest["classe"] == "OURO").tolist() == (rest["apetite"] >= gold_from).tolist()
    assert table.attrs["limiar_ouro"] == pytest.approx(gold_from)


def test_posicao_ranks_by_the_score():
    table = score(city(), PARAMS).sort_values("posicao")
    assert table["posicao"].tolist() == list(range(1, 41))
    assert table["apetite"].is_monotonic_decreasing


def test_new_weights_rescore_from_the_stored_norms():
    table = score(city(), PARAMS)
    income_only = classify(table, {**PARAMS, "peso_mobilidade": 0, "peso_renda": 1, "peso_saturacao": 0})
    assert income_only["apetite"].tolist() == pytest.approx(table["renda_norm"].tolist())
    assert income_only.sort_values("posicao")["codigo_bairro"].iloc[0] == 40
    with pytest.raises(ValueError, match="add up to zero"):
        classify(table, {**PARAMS, "peso_mobilidade": 0, "peso_renda": 0, "peso_saturacao": 0})


def test_missing_input_gives_null_score_and_a_reason_never_a_constant():
    frame = city(10)
    frame.loc[3, "renda_media_responsavel"] = None
    frame.loc[3, "motivo_renda"] = "cobertura de 7% da área"
    frame.loc[5, "area_km2"] = 0.0
    table = score(frame, PARAMS).set_index("codigo_bairro")
    for code in (4, 6):
        assert pd.isna(table.loc[code, "apetite"]) and table.loc[code, "classe"] is None
        assert pd.isna(table.loc[code, "posicao"])
    assert table.loc[4, "motivo"] == "sem renda do Censo 2022 (renda_bairro): cobertura de 7% da área"
    assert "sem área" in table.loc[6, "motivo"]
    assert table["motivo"].isna().sum() == 8
    # the bairros lacking an input are left out of the ranks of the others
    assert table["mobilidade_norm"].dropna().tolist() == pytest.approx([i / 7 for i in range(8)])
