"""Census income per official bairro on small inputs: the IBGE row, the name matching, the overlay."""

from __future__ import annotations

import pytest

from spark.parsing.record import Record, RowError
from spark.transforms.renda import contributors, ibge_row, match_names, overlay, popular_income


def _record(**values) -> Record:
    base = {"CD_BAIRRO": "3106200001", "NM_BAIRRO": "Santa Inês", "V06001": "3339", "V06002": "8778",
            "V06003": "1,54", "V06004": "5743,87", "V06005": "34140762,73"}
    return Record({**base, **values}, decimal_comma=True)


def test_ibge_row_types_decimal_commas_and_the_municipality():
    row = ibge_row(_record())
    assert row == {"codigo_bairro_ibge": 3106200001, "codigo_municipio": 3106200, "nome_bairro": "Santa Inês",
                   "responsaveis": 3339, "moradores": 8778, "variancia_moradores": 1.54,
                   "renda_media_responsavel": 5743.87, "variancia_renda": 34140762.73}


def test_ibge_row_reads_x_as_withheld_and_refuses_a_short_code():
    row = ibge_row(_record(V06004="X", V06005="X"))
    assert row["renda_media_responsavel"] is None and row["variancia_renda"] is None
    with pytest.raises(RowError, match="CD_BAIRRO"):
        ibge_row(_record(CD_BAIRRO="310620"))
    with pytest.raises(RowError, match="V06004"):
        ibge_row(_record(V06004="5.743,87"))


POPULAR = [(1, "Santa Lúcia"), (2, "Vila Barragem Santa Lúcia"), (3, "Vila São Rafael"), (4, "Europa"),
           (5, "Vila Santa Mônica"), (6, "Lourdes")]


def test_names_match_one_to_one_exact_then_without_vila_then_the_mapping():
    ibge = [(10, "SANTA LUCIA"), (11, "Vila Santa Lúcia"), (12, "São Rafael"), (13, "Jardim Europa"),
            (14, "Vila Santa Monica 1ª Seção"), (15, "Vila Santa Monica 2ª Seção"),
            (16, "Vila Ponta Porã")]
    mapping = {"Jardim Europa": "Europa", "Vila Santa Lúcia": "Vila Barragem Santa Lúcia",
               "Vila Santa Monica 1ª Seção": "Vila Santa Mônica", "Vila Santa Monica 2ª Seção": "Vila Santa Mônica",
               "Bairro Que Sumiu": "Lourdes"}
    matches, unused = match_names(ibge, POPULAR, mapping)
    found = {m.codigo_bairro_ibge: (m.num_bairro, m.metodo) for m in matches}
    assert found == {
        10: (1, "nome_exato"),
        # 'Vila Santa Lúcia' without 'Vila ' is 'Santa Lúcia', already taken: it needs the mapping
        11: (2, "mapeamento"),
        12: (3, "sem_vila"),
        13: (4, "mapeamento"),
        14: (5, "mapeamento"),
        15: (5, "mapeamento"),
        16: (None, "sem_correspondencia"),
    }
    assert unused == ["Bairro Que Sumiu → Lourdes"]


def test_popular_income_pools_the_ibge_bairros_it_receives_by_households():
    mapping = {"Vila Santa Monica 1ª Seção": "Vila Santa Mônica", "Vila Santa Monica 2ª Seção": "Vila Santa Mônica"}
    matches, _ = match_names([(14, "Vila Santa Monica 1ª Seção"), (15, "Vila Santa Monica 2ª Seção"),
                              (16, "Lourdes")], POPULAR, mapping)
    pooled = popular_income(matches, {14: (539, 1583.69), 15: (61, 1262.19), 16: (100, None)})
    households, income = pooled[5]
    assert households == 600 and income == pytest.approx((539 * 1583.69 + 61 * 1262.19) / 600)
    assert pooled[6] == (100, None)
    # counted with nobody there: census ground (it covers area) with no income to weigh
    assert popular_income(matches, {16: (0, None)}) == {6: (0.0, None)}


def test_overlay_weights_incomes_by_the_households_each_polygon_brings():
    # popular 1 (100 households, R$ 1,000) lies half in official 7, half in 8; popular 2 (300, R$ 5,000)
    # lies wholly in 8; popular 3 has no census figures and covers the rest of 9.
    pairs = [(1, 7, 50.0), (1, 8, 50.0), (2, 8, 100.0), (3, 9, 80.0), (2, 9, 0.0)]
    rows = overlay(pairs, {1: 100.0, 2: 100.0, 3: 80.0}, {7: 100.0, 8: 150.0, 9: 100.0},
                   {1: (100, 1000.0), 2: (300, 5000.0)}, {1: "Um", 2: "Dois", 3: "Três"},
                   {7: "Sete", 8: "Oito", 9: "Nove"}, min_coverage=0.5)
    by = {r["codigo_bairro"]: r for r in rows}
    assert by[7]["domicilios"] == 50 and by[7]["renda_media_responsavel"] == 1000 and by[7]["cobertura_area"] == 0.5
    assert by[8]["domicilios"] == 350
    assert by[8]["renda_media_responsavel"] == pytest.approx((50 * 1000 + 300 * 5000) / 350)
    assert by[8]["bairros_populares"] == "Dois 86%; Um 14%"
    assert by[9]["renda_media_responsavel"] is None and by[9]["cobertura_area"] == 0
    assert by[9]["motivo"].startswith("cobertura de 0% da área") and "mínimo de 50%" in by[9]["motivo"]
    assert sum(r["domicilios"] for r in rows) == 400


def test_overlay_says_why_a_covered_bairro_has_no_income():
    rows = overlay([(1, 7, 100.0)], {1: 100.0}, {7: 100.0}, {1: (0, None)}, {1: "Um"}, {7: "Sete"}, 0.5)
    assert rows[0]["renda_media_responsavel"] is None and "nenhum domicílio" in rows[0]["motivo"]
    rows = overlay([(1, 7, 100.0)], {1: 100.0}, {7: 100.0}, {1: (40, None)}, {1: "Um"}, {7: "Sete"}, 0.5)
    assert "não têm renda publicada" in rows[0]["motivo"] and rows[0]["domicilios"] == 40


def test_contributors_name_the_largest_first_and_skip_slivers():
    assert contributors({1: 93.0, 2: 6.5, 3: 0.5}, {1: "Belvedere", 2: "Sion", 3: "Pilar"}) == "Belvedere 93%; Sion 6%"
    assert contributors({}, {}) is None


def test_overlap_pairs_split_a_polygon_over_the_targets_and_keep_what_falls_outside():
    import shapely

    from spark.spatial import overlap_pairs

    targets = [shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)]
    tree = shapely.STRtree(targets)
    rows = list(overlap_pairs([(5, shapely.box(5, 0, 25, 10).wkt), (6, None)], tree, [1, 2], targets))
    assert sorted(rows, key=lambda r: (r[1] is None, r[1] or 0)) == [(5, 1, 50.0, 200.0), (5, 2, 100.0, 200.0),
                                                                     (5, None, 50.0, 200.0)]
