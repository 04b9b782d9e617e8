"""What the asset page draws from the graph: the lineage around one asset and its personal data."""

from __future__ import annotations

from assets.asset import Asset
from assets.graph import AssetGraph
from assets.render import dot

ASSET_URL = "asset?asset="


def lineage_dot(graph: AssetGraph, name: str) -> str:
    """Graphviz dot of the asset with everything upstream and downstream of it, the asset outlined."""
    names = tuple(n for n in graph.topological_order()
                  if n == name or n in graph.ancestors(name) or n in graph.descendants(name))
    text = dot(graph, names).rstrip().removesuffix("}")
    # Every node links to its own asset page (relative to the asset page, so a base path is kept).
    links = "".join(f'  "{n}" [URL="{ASSET_URL}{n}", target="_self", tooltip="open {n}"];\n' for n in names)
    return text + links + f'  "{name}" [penwidth=3, color="#c0392b", fontname="Helvetica-Bold"];\n}}\n'


def pii_columns_of(asset: Asset, graph: AssetGraph) -> tuple[str, ...]:
    """The columns to mask in a preview.

    A raw table keeps the source's columns as published and declares no PII itself; the curated
    table reading it flags them (``nome``, ``cnpj``...). Those names are masked in the raw preview too.
    """
    names = list(asset.pii_columns)
    if asset.is_raw:
        for child in graph.downstream(asset.name):
            names.extend(c for c in graph[child].pii_columns if c in asset.schema and c not in names)
    return tuple(names)
