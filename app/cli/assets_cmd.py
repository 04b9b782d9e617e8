"""``bhnav assets``: list, show, graph and scaffold the declared assets."""

from __future__ import annotations

from pathlib import Path

import typer

from app.cli.output import FORMAT_OPTION, Format, console, emit, emit_json, fail, join


def _graph():
    from assets.definitions import load_graph
    from assets.errors import AssetDefinitionError

    try:
        return load_graph()
    except AssetDefinitionError as exc:
        fail(str(exc))


assets_app = typer.Typer(help="The declared lake tables.", no_args_is_help=True)


@assets_app.command("list")
def list_assets(
    zone: str = typer.Option(None, help="Only this zone: raw, curated or analytics."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Every asset with its zone, owner, dependencies and partitioning."""
    graph = _graph()
    rows = [
        {
            "name": a.name, "zone": a.zone, "domain": a.domain, "owner": a.owner,
            "deps": list(a.deps), "partitions": list(a.partitioning.columns),
            "freshness": a.freshness.describe(), "checks": len(a.checks), "columns": len(a.schema),
        }
        for a in graph
        if zone is None or a.zone == zone
    ]
    emit(rows, ["name", "zone", "domain", "owner", "deps", "partitions", "freshness", "checks", "columns"], fmt,
         title=f"{len(rows)} assets")


@assets_app.command("show")
def show(name: str, fmt: Format = FORMAT_OPTION) -> None:
    """Schema, dependencies both ways, partitioning, freshness, checks and source of one asset."""
    from assets.render import describe

    graph = _graph()
    if name not in graph:
        fail(f"no asset named {name!r}; `bhnav assets list` shows them")
    info = describe(graph[name], graph)
    if fmt != Format.table:
        emit_json(info)
        return
    console.print(f"[bold]{info['name']}[/] ({info['zone']}, {info['domain']}, owner {info['owner']})")
    console.print(info["description"])
    console.print(f"upstream: {join(info['upstream'])}\ndownstream: {join(info['downstream'])}")
    part = info["partitioning"]
    console.print(
        f"partitions: {join(part['columns'])}"
        + (f" (from {part['date_column']} at {part['grain']} grain)" if part["date_column"] else "")
    )
    console.print(f"freshness: {info['freshness']['text']}")
    if info["source"]:
        src = info["source"]
        console.print(f"source: {src['kind']} {src['ckan'] or src['ftp']}; snapshot file {src['snapshot_file']}")
        console.print(f"parser: {src['parser']}")
    if info["transform"]:
        console.print(f"transform: {info['transform']}")
    if info["params"]:
        console.print(f"params: {info['params']}")
    emit(info["schema"], ["name", "type", "pii", "from", "description"], Format.table, title="schema")
    emit(info["checks"], ["name", "kind", "severity"], Format.table, title="checks")


@assets_app.command("graph")
def graph_cmd(
    output: str = typer.Option("mermaid", "--output", "-o", help="mermaid or dot (Graphviz)."),
    select: list[str] = typer.Option(None, "--select", "-s", help="name, name+ or +name; repeatable."),
) -> None:
    """The asset graph as Mermaid or Graphviz dot."""
    from assets.render import dot, mermaid

    graph = _graph()
    try:
        names = graph.select(select)
    except KeyError as exc:
        fail(str(exc.args[0]))
    if output not in ("mermaid", "dot"):
        fail(f"--output {output!r} is unknown; use mermaid or dot")
    typer.echo((mermaid if output == "mermaid" else dot)(graph, names), nl=False)


@assets_app.command("new")
def new(
    name: str,
    zone: str = typer.Option(..., help="raw, curated or analytics."),
    from_: str = typer.Option(..., "--from", help="raw: a sample file of the source; derived: the upstream asset."),
    domain: str = typer.Option("geral", help="The domain folder under assets/."),
    owner: str = typer.Option("dados-bh", help="The owning team."),
    out: Path = typer.Option(None, help="Folder to write to (default assets/<domain>/)."),
) -> None:
    """Write the skeleton declaration of a new asset."""
    from assets.errors import AssetDefinitionError
    from assets.skeleton import render

    if zone not in ("raw", "curated", "analytics"):
        fail(f"--zone {zone!r} is unknown; use raw, curated or analytics")
    graph = _graph()
    if name in graph:
        fail(f"an asset named {name!r} already exists")
    try:
        text = render(name=name, zone=zone, source=from_, graph=graph, domain=domain, owner=owner)
    except (AssetDefinitionError, FileNotFoundError) as exc:
        fail(str(exc))
    except KeyError as exc:
        fail(str(exc.args[0]))
    folder = out or Path(__file__).resolve().parents[2] / "assets" / domain
    folder.mkdir(parents=True, exist_ok=True)
    if out is None and not (folder / "__init__.py").exists():
        (folder / "__init__.py").write_text(f'"""{domain.capitalize()} tables."""\n')
    target = folder / f"{name}.py"
    if target.exists():
        fail(f"{target} exists; pick another name")
    target.write_text(text)
    console.print(f"wrote {target}; `bhnav assets show {name}` shows it")


def register(app: typer.Typer) -> None:
    app.add_typer(assets_app, name="assets")
