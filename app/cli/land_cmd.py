"""``bhnav land``, ``bhnav lake ls|prune`` and ``bhnav snapshot save``: the raw zone."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from app.cli.output import FORMAT_OPTION, Format, emit, err_console, fail


def _raw_assets(select: list[str] | None = None):
    from assets.definitions import load_graph
    from assets.errors import AssetDefinitionError

    try:
        graph = load_graph()
    except AssetDefinitionError as exc:
        fail(str(exc))
    raw = [a for a in graph if a.is_raw]
    if not select:
        return raw
    names = {a.name for a in raw}
    unknown = [s for s in select if s not in names]
    if unknown:
        fail(f"no raw asset named {', '.join(map(repr, unknown))}; `bhnav assets list --zone raw` shows them")
    return [a for a in raw if a.name in select]


def _settings():
    from lake.settings import SettingsError, get_settings

    try:
        return get_settings()
    except SettingsError as exc:
        fail(str(exc))


def land(
    select: Optional[List[str]] = typer.Option(None, "--select", "-s", help="Land only these raw assets (repeatable)."),
    snapshot: Optional[Path] = typer.Option(None, "--snapshot", help="Land from this snapshot folder instead of the portal."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Land the raw assets' current files into the raw zone; unchanged files are skipped."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from landing.errors import LandingError
    from landing.lander import land_asset

    settings = _settings()
    assets = _raw_assets(select)
    if snapshot is not None and not snapshot.is_dir():
        fail(f"snapshot folder {snapshot} does not exist")
    rows, errors = [], []
    # The bar goes to stderr so that --format json keeps stdout clean for scripts.
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True) as progress:
        task = progress.add_task("landing", total=len(assets))
        for asset in assets:
            progress.update(task, description=f"landing {asset.name}")
            try:
                result = land_asset(asset.name, settings, snapshot_dir=snapshot)
                rows.append(result.to_dict())
            except LandingError as exc:
                errors.append(str(exc))
                rows.append({"asset": asset.name, "status": "failed", "reason": exc.cause})
            progress.advance(task)
    emit(rows, ["asset", "status", "key", "bytes", "sha256", "reason"], fmt, title="landing")
    for message in errors:
        err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    if errors:
        raise typer.Exit(1)


lake_app = typer.Typer(help="The raw zone of the lake: landings and their retention.", no_args_is_help=True)


@lake_app.command("ls")
def lake_ls(fmt: Format = FORMAT_OPTION) -> None:
    """Landings per raw asset: how many, the current files (one per resource) with their periods and
    total size, and the newest landing's date and file."""
    from landing.manifests import ManifestError, current_manifests, list_manifests
    from lake.storage import get_storage

    storage = get_storage(_settings())
    rows = []
    for asset in _raw_assets():
        try:
            manifests = list_manifests(storage, asset)
            current = current_manifests(storage, asset)
        except ManifestError as exc:
            fail(f"dataset {asset.name!r}: {exc}")
        newest = manifests[-1] if manifests else None
        periods = sorted(m.period for m in current if m.period)
        rows.append({
            "asset": asset.name,
            "source": asset.source.name,
            "landings": len(manifests),
            "current_files": len(current),
            "periods": f"{periods[0]}..{periods[-1]}" if len(periods) > 1 else (periods[0] if periods else None),
            "newest_ingest_date": newest.ingest_date if newest else None,
            "file": newest.key if newest else None,
            "bytes": sum(m.bytes for m in current) if current else None,
            "sha256": newest.sha256 if newest else None,
        })
    emit(rows, ["asset", "source", "landings", "current_files", "periods", "newest_ingest_date", "file", "bytes"], fmt,
         title="raw zone")


@lake_app.command("prune")
def lake_prune(
    apply: bool = typer.Option(False, "--apply", help="Delete; without it, only show what would go."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Remove raw landings older than their source's retention (never a dataset's newest)."""
    from datetime import datetime, timezone

    from landing.retention import apply_plan, prune_plan
    from lake.storage import get_storage

    settings = _settings()
    storage = get_storage(settings)
    plan = prune_plan(storage, _raw_assets(), settings, today=datetime.now(timezone.utc).date())
    if apply:
        apply_plan(storage, plan)
    action = "deleted" if apply else "would delete"
    rows = [{"action": action, **vars(item)} for item in plan]
    emit(rows, ["action", "asset", "ingest_date", "key", "bytes", "retention_days"], fmt,
         title=f"{len(plan)} landings {action}" + ("" if apply else " (dry run; --apply to delete)"))


snapshot_app = typer.Typer(help="Snapshot folders: offline copies of the portal's files.", no_args_is_help=True)


@snapshot_app.command("save")
def snapshot_save(folder: Path = typer.Argument(..., help="The folder to write (usable as --snapshot)."),
                  fmt: Format = FORMAT_OPTION) -> None:
    """Write the newest landed file of every raw asset into FOLDER, at its snapshot path."""
    from landing.snapshot_save import save_snapshot
    from lake.storage import get_storage

    saved = save_snapshot(get_storage(_settings()), _raw_assets(), folder)
    emit([vars(s) for s in saved], ["asset", "status", "path", "bytes"], fmt, title=f"snapshot {folder}")
    missing = [s.asset for s in saved if s.status == "not landed"]
    if missing:
        err_console.print(f"not landed yet, so not in the snapshot: {', '.join(missing)}")


def register(app: typer.Typer) -> None:
    app.command("land")(land)
    app.add_typer(lake_app, name="lake")
    app.add_typer(snapshot_app, name="snapshot")
