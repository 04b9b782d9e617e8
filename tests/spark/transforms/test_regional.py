"""The regional of an official bairro: the health district overlapping it most by area."""

from __future__ import annotations

import pandas as pd
import pytest

from spark.transforms.indicadores import largest_overlap


def test_the_district_with_the_largest_summed_overlap_wins():
    pairs = pd.DataFrame([
        # bairro 1: two OESTE areas (30 + 30) outweigh one BARREIRO area (50)
        (11, 1, 30.0, "OESTE"), (12, 1, 30.0, "OESTE"), (13, 1, 50.0, "BARREIRO"),
        (14, 2, 10.0, "LESTE"),
        (15, None, 99.0, "NORTE"),  # the part of a health area outside every bairro
    ], columns=["id_area", "codigo_bairro", "area_sobreposta_m2", "distrito_sanitario"])
    best = largest_overlap(pairs, "codigo_bairro", "distrito_sanitario")
    assert best["distrito_sanitario"].to_dict() == {1: "OESTE", 2: "LESTE"}
    assert best.loc[1, "share"] == pytest.approx(60 / 110)


def test_a_tie_goes_to_the_first_district_by_name_and_no_overlap_gives_none():
    pairs = pd.DataFrame([(1, 7, 5.0, "PAMPULHA"), (2, 7, 5.0, "NORTE")],
                         columns=["id_area", "codigo_bairro", "area_sobreposta_m2", "distrito_sanitario"])
    assert largest_overlap(pairs, "codigo_bairro", "distrito_sanitario").loc[7, "distrito_sanitario"] == "NORTE"
    empty = largest_overlap(pairs.iloc[:0], "codigo_bairro", "distrito_sanitario")
    assert empty.empty
