"""Text renderings of the graph and of one asset, shared by the CLI and the app."""

from __future__ import annotations

from assets.asset import Asset
from assets.graph import AssetGraph
from assets.schema import Column

_ZONE_STYLE = {"raw": "#f4d03f", "curated": "#5dade2", "analytics": "#58d68d"}


def mermaid(graph: AssetGraph, names: tuple[str, ...] | None = None) -> str:
    names = names or graph.names
    lines = ["flowchart LR"]
    for zone, colour in _ZONE_STYLE.items():
        lines.append(f"  classDef {zone} fill:{colour},stroke:#333,color:#000")
    for name in names:
        lines.append(f"  {name}[\"{name}\"]:::{graph[name].zone}")
    for name in names:
        for dep in graph[name].deps:
            if dep in names:
                lines.append(f"  {dep} --> {name}")
    return "\n".join(lines) + "\n"


def dot(graph: AssetGraph, names: tuple[str, ...] | None = None) -> str:
    names = names or graph.names
    lines = ["digraph assets {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", fontname="Helvetica"];']
    for zone in _ZONE_STYLE:
        members = [n for n in names if graph[n].zone == zone]
        if members:
            lines.append(f"  subgraph cluster_{zone} {{ label=\"{zone}\";")
            lines.extend(f'    "{n}" [fillcolor="{_ZONE_STYLE[zone]}"];' for n in members)
            lines.append("  }")
    for name in names:
        for dep in graph[name].deps:
            if dep in names:
                lines.append(f'  "{dep}" -> "{name}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def column_source(column: Column) -> dict:
    """Where a column comes from: its published column (per layout) and parse rule, or computed."""
    if column.source is None:
        return {"source": None, "rule": None, "from": "computed by the transform"}
    if isinstance(column.source, str):
        published = column.source
    else:
        published = ", ".join(f"{layout}: {name}" for layout, name in column.source) or "a layout constant"
    return {"source": column.source if isinstance(column.source, str) else dict(column.source),
            "rule": column.parse_rule, "from": f"{published} ({column.parse_rule})"}


def describe(asset: Asset, graph: AssetGraph) -> dict:
    """Everything about one asset as plain data (``bhnav assets show`` and the app)."""
    source = None
    if asset.source:
        s = asset.source
        source = {
            "kind": s.kind,
            "system": s.name,
            "snapshot_file": s.snapshot_file,
            "ckan": vars(s.ckan) if s.ckan else None,
            "ftp": {"host": s.ftp.host, "path": s.ftp.path, "port": s.ftp.port} if s.ftp else None,
            "parser": {k: v for k, v in vars(s.parser).items()},
            "schedule": s.schedule or "monthly",
            "retention_days": s.retention_days,
        }
    return {
        "name": asset.name,
        "zone": asset.zone,
        "domain": asset.domain,
        "owner": asset.owner,
        "description": asset.description,
        "tags": list(asset.tags),
        "upstream": list(asset.deps),
        "downstream": list(graph.downstream(asset.name)),
        "schema": [
            {"name": c.name, "type": c.type, "description": c.description, "pii": c.pii,
             "pii_handling": c.pii_handling if c.pii else None, **column_source(c)}
            for c in asset.schema
        ],
        "partitioning": {
            "columns": list(asset.partitioning.columns),
            "date_column": asset.partitioning.date_column,
            "grain": asset.partitioning.grain if asset.partitioning.date_column else None,
            "attributes": list(asset.partitioning.attributes),
        },
        "freshness": {"max_lag_days": asset.freshness.max_lag.total_seconds() / 86400, "text": asset.freshness.describe()},
        "checks": [{"name": c.name, "kind": c.kind, "severity": c.severity} for c in asset.checks],
        "source": source,
        "transform": (asset.transform.ref or "sql") if asset.transform else None,
        "params": dict(asset.params),
        "schedule_on": asset.schedule_on if not asset.is_raw else None,
    }
