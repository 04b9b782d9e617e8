"""The documented bairro → planning unit mapping of iqvu_bairro."""

from __future__ import annotations

import pytest

from spark.transforms.iqvu_mapping import UpIndex, map_bairro, map_bairros, newest_per_up

UPS = [
    UpIndex(1907, "Anchieta/Sion", 2016, 0.75, "NOVA SERIE"),
    UpIndex(1908, "Serra", 2016, 0.70, "NOVA SERIE"),
    UpIndex(1910, "Sao Bento/Sta. Lucia", 2016, 0.80, "NOVA SERIE"),
    UpIndex(2301, "Santa Maria", 2016, 0.55, "NOVA SERIE"),
    UpIndex(2302, "Sao Joao Batista", 2016, 0.72, "NOVA SERIE"),
    UpIndex(2401, "Santo Antonio", 2016, 0.78, "NOVA SERIE"),
    UpIndex(2402, "Santo Antonio/Leste", 2016, 0.60, "NOVA SERIE"),
]


@pytest.mark.parametrize(
    "bairro, up, metodo",
    [
        pytest.param("Serra", 1908, "nome_exato", id="exact"),
        pytest.param("SÉRRA", 1908, "nome_exato", id="accents-and-case-folded"),
        pytest.param("Sion", 1907, "nome_contido", id="slash-part"),
        pytest.param("São Bento", 1910, "nome_contido", id="slash-part-with-accent"),
        pytest.param("São João", 2302, "nome_contido", id="two-words-contained"),
        pytest.param("Maria", None, "sem_correspondencia", id="one-word-inside-longer-name-is-another-place"),
        pytest.param("Leste", 2402, "nome_contido", id="part"),
        pytest.param("Lourdes", None, "sem_correspondencia", id="no-up"),
        pytest.param("Santo Antônio", 2401, "nome_exato", id="exact-beats-contained"),
    ],
)
def test_map_bairro(bairro, up, metodo):
    found, how = map_bairro(bairro, UPS)
    assert (found.codigo_up if found else None, how) == (up, metodo)


def test_several_containing_ups_are_not_guessed():
    ups = [UpIndex(1, "Floresta/Centro", 2016, 0.7), UpIndex(2, "Centro/Barro Preto", 2016, 0.8)]
    assert map_bairro("Centro", ups) == (None, "sem_correspondencia")


def test_newest_year_and_the_new_series_win():
    rows = [
        UpIndex(1907, "Anchieta/Sion", 2014, 0.74, "NOVA SERIE"),
        UpIndex(1907, "Anchieta/Sion", 2016, 0.73, "SERIE HISTORICA"),
        UpIndex(1907, "Anchieta/Sion", 2016, 0.75, "NOVA SERIE"),
    ]
    assert newest_per_up(rows)[1907].iqvu == 0.75


def test_unmapped_bairro_keeps_null_iqvu():
    (row,) = map_bairros([(99, "Lourdes")], UPS)
    assert row == {"codigo_bairro": 99, "nome_bairro": "Lourdes", "codigo_up": None, "nome_up": None,
                   "ano_referencia": None, "iqvu": None, "metodo": "sem_correspondencia"}
