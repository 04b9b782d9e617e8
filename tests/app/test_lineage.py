"""What the asset page draws from the graph: the lineage around an asset, the columns it masks."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def graph():
    from assets.definitions import load_graph

    return load_graph()


def _nodes(dot_text: str) -> set[str]:
    return set(re.findall(r'^\s*"([a-z0-9_]+)" \[fillcolor', dot_text, flags=re.M))


@pytest.mark.parametrize("name", [
    pytest.param("bairros", id="curated-with-both-sides"),
    pytest.param("acidentes_raw", id="raw-source"),
    pytest.param("apetite_investidor", id="analytics-leaf"),
])
def test_lineage_holds_the_asset_its_ancestors_and_descendants_only(graph, name):
    from app.lineage import lineage_dot

    text = lineage_dot(graph, name)
    assert _nodes(text) == {name, *graph.ancestors(name), *graph.descendants(name)}
    assert f'"{name}" [penwidth=3' in text, "the asset itself is outlined"
    for node in _nodes(text):
        assert f'"{node}" [URL="asset?asset={node}"' in text, "each node opens its asset page"
    assert text.rstrip().endswith("}")


def test_lineage_of_a_bairro_table_leaves_unrelated_sources_out(graph):
    from app.lineage import lineage_dot

    nodes = _nodes(lineage_dot(graph, "bairros"))
    assert "mco_raw" not in nodes and "bairro_oficial_raw" in nodes


@pytest.mark.parametrize("name, masked", [
    pytest.param("empresas", ("nome", "nome_fantasia", "cnpj"), id="curated-declares-pii"),
    pytest.param("atividade_economica_raw", ("nome", "nome_fantasia", "cnpj"), id="raw-masks-what-curated-flags"),
    pytest.param("bairros", (), id="no-personal-data"),
])
def test_preview_masks_the_personal_data_columns(graph, name, masked):
    from app.lineage import pii_columns_of

    assert set(pii_columns_of(graph[name], graph)) == set(masked)
