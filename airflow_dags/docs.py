"""The Markdown shown on a DAG's page in Airflow, written from the asset's own declaration."""

from __future__ import annotations


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def asset_doc_md(asset, downstream: list[str] | tuple[str, ...]) -> str:
    lines = [
        f"### `{asset.name}` ({asset.zone}, {asset.domain})",
        "",
        asset.description,
        "",
        f"- owner: {asset.owner}",
        f"- freshness: {asset.freshness.describe()}",
        f"- upstream: {', '.join(asset.deps) or '-'}",
        f"- downstream: {', '.join(downstream) or '-'}",
    ]
    if asset.source is not None:
        lines.append(f"- source: {asset.source.kind} `{asset.source.name}`, file `{asset.source.file_name}`")
    if asset.partitioning.columns:
        lines.append(f"- partitions: {', '.join(asset.partitioning.columns)}")
    lines += ["", "| column | type | pii | description |", "|---|---|---|---|"]
    for column in asset.schema:
        lines.append(f"| `{column.name}` | {column.type} | {'yes' if column.pii else ''} | {_cell(column.description)} |")
    return "\n".join(lines)


def freshness_doc_md(graph) -> str:
    lines = [
        "### Freshness of every asset",
        "",
        "Each hour, every asset's last successful run is compared with its freshness policy; stale",
        "assets raise an alert.",
        "",
        "| asset | zone | policy |",
        "|---|---|---|",
    ]
    lines += [f"| `{a.name}` | {a.zone} | {a.freshness.describe()} |" for a in graph]
    return "\n".join(lines)
