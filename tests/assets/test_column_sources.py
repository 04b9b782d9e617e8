"""`bhnav assets show` says where each column comes from: its published column per layout and rule."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from app.cli.main import build
from assets.definitions import load_graph
from assets.render import describe

GRAPH = load_graph()


def _column(asset: str, name: str) -> dict:
    return next(c for c in describe(GRAPH[asset], GRAPH)["schema"] if c["name"] == name)


@pytest.mark.parametrize("asset, column, source, rule", [
    pytest.param("acidentes", "coordenada_x", {"original": "COORDENADA_X", "republicado": "coordenada_x"},
                 "padded_utm", id="per-layout-source"),
    pytest.param("estacoes_onibus", "coordenada_y", "GEOMETRIA", "point_y", id="point-wkt"),
    pytest.param("paradas_onibus", "longitude", "stop_lon", "number", id="gtfs-number"),
    pytest.param("centros_saude", "telefones", "TELEFONE_CENTRO_SAUDE", "text_list", id="phone-list"),
    pytest.param("empresas", "data_inicio_atividade", "DATA_INICIO_ATIVIDADE", "br_date", id="default-rule-of-type"),
    pytest.param("iqvu", "ausencia_de_acidentes_de_transito", "Ausencia_de_acidentes_de_trânsito", "number",
                 id="accented-header"),
])
def test_each_copied_column_shows_its_source_and_rule(asset, column, source, rule):
    shown = _column(asset, column)
    assert (shown["source"], shown["rule"]) == (source, rule)


def test_a_computed_column_says_the_transform_computes_it():
    assert _column("parques", "area_m2")["from"] == "computed by the transform"


def test_cli_show_prints_the_source_and_rule_of_each_column():
    result = CliRunner().invoke(build(), ["assets", "show", "paradas_onibus", "--format", "json"])
    assert result.exit_code == 0, result.output
    schema = {c["name"]: c for c in json.loads(result.output)["schema"]}
    assert schema["latitude"]["from"] == "stop_lat (number)"
    assert schema["coordenada_x"]["from"] == "computed by the transform"
