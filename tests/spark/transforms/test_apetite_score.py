"""The investment score's arithmetic on small tables (the build reads the same function)."""

from __future__ import annotations

import pandas as pd
import pytest

from assets.definitions import load_graph
from spark.transforms.apetite import min_max, score

PARAMS = load_graph()["apetite_investidor"].params


def indicators(rows):
    return pd.DataFrame(rows, columns=["codigo_bairro", "nome_bairro", "area_km2", "paradas_onibus",
                                       "estacoes_onibus", "restaurantes_bares", "iqvu"])


def test_min_max_scales_and_keeps_missing():
    scaled = min_max(pd.Series([2.0, 4.0, None, 6.0]))
    assert scaled.tolist()[:2] == [0.0, 0.5] and pd.isna(scaled[2]) and scaled[3] == 1.0


def test_formula_weights_and_classes():
    table = score(indicators([
        (1, "A", 1.0, 10, 0, 0, 0.9),    # best mobility, best income, no saturation -> 1.0
        (2, "B", 1.0, 0, 0, 10, 0.5),    # worst everything, top saturation
        (3, "C", 1.0, 5, 0, 5, 0.7),
    ]), {**PARAMS, "quantil_saturado": 0.9})
    by = table.set_index("codigo_bairro")
    assert by.loc[1, "apetite"] == pytest.approx(1.0)
    assert by.loc[1, "classe"] == "OURO"
    assert by.loc[2, "classe"] == "SATURADO"
    assert by.loc[3, "apetite"] == pytest.approx(0.4 * 0.5 + 0.3 * 0.5 + 0.3 * 0.5)
    assert by.loc[3, "classe"] == "PRATA"


def test_missing_input_gives_null_score_and_a_reason_never_a_constant():
    table = score(indicators([(1, "A", 1.0, 10, 0, 0, 0.9), (2, "B", 1.0, 3, 1, 2, None), (3, "C", 1.0, 0, 0, 9, 0.4)]),
                  PARAMS)
    row = table.set_index("codigo_bairro").loc[2]
    assert pd.isna(row["apetite"]) and row["classe"] is None
    assert "sem IQVU" in row["motivo"]
    assert table["motivo"].isna().sum() == 2
