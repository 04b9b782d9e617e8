"""``bhnav materialize``, ``bhnav optimize`` and ``bhnav vacuum``: build and maintain the lake."""

from __future__ import annotations

from pathlib import Path

import typer

from app.cli.output import FORMAT_OPTION, Format, emit, err_console, fail

SELECT_HELP = "name, name+ (with downstream), +name (with upstream) or zone:curated; repeatable. All when omitted."
RESULT_COLUMNS = ["asset", "status", "rows", "quarantined", "delta_version", "seconds", "note"]


def _settings(snapshot: Path | None = None, env: str | None = None):
    from lake.settings import SettingsError, get_settings

    try:
        return get_settings(snapshot_dir=snapshot, env=env)
    except SettingsError as exc:
        fail(str(exc))


def _note(record) -> str:
    if record.status == "failed":
        return "see the error below"
    if record.status == "skipped":
        return "unchanged file" if "landing" in record.notes else "unchanged inputs and code"
    warnings = [c.name for c in record.checks if not c.passed]
    parts = []
    if record.partitions_written:
        parts.append(f"{len(record.partitions_written)} partitions")
    if warnings:
        parts.append("warn: " + ", ".join(warnings))
    if "landing" in record.notes:
        parts.append("landed")
    return "; ".join(parts)


def materialize(
    select: list[str] = typer.Option(None, "--select", "-s", help=SELECT_HELP),
    force: bool = typer.Option(False, "--force", help="Rebuild even when inputs and code are unchanged."),
    snapshot: Path = typer.Option(None, "--snapshot", help="Land raw files from this snapshot folder (offline)."),
    allow_breaking: bool = typer.Option(False, "--allow-breaking", help="Accept incompatible schema changes."),
    fmt: Format = FORMAT_OPTION,
    env: str = typer.Option(None, "--env", help="local (Spark in this process) or aws (AWS Glue job runs); "
                                                 "default: BHNAV_ENV."),
) -> None:
    """Land and materialise the selected assets in topological order; stop at the first failure."""
    from assets.errors import AssetDefinitionError
    from runs.runner import materialize as run

    if snapshot is not None and not snapshot.is_dir():
        fail(f"snapshot folder {snapshot} does not exist")
    settings = _settings(snapshot, env)
    if settings.is_aws:
        from app.cli.glue_materialize import materialize_on_glue

        return materialize_on_glue(select, settings, force, fmt)
    result = run_with_progress(
        lambda progress: run(select or None, settings, force, snapshot, progress, allow_breaking=allow_breaking),
        fmt, (KeyError, AssetDefinitionError))
    report(result, fmt, title=f"{len(result.records)} of {len(result.selected)} assets")


def run_with_progress(call, fmt: Format, refused: tuple[type[Exception], ...]):
    """Run ``call(progress)`` (a runs.runner run) behind a progress bar on stderr; a refused
    selection or declaration is a one-line error."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err_console, transient=fmt != Format.table)
    with bar:
        task = bar.add_task("materialise", total=None)

        def progress(event, name, index, total, record):
            if event == "start":
                bar.update(task, total=total, completed=index, description=f"{name}")
            else:
                bar.update(task, completed=index + 1, description=f"{name}: {record.status}")

        try:
            return call(progress)
        except refused as exc:
            fail(str(exc).strip('"'))


def report(result, fmt: Format, *, title: str) -> None:
    """One row per asset run; a failed run exits non-zero with its error."""
    rows = [
        {"asset": r.asset, "status": r.status, "rows": r.rows, "quarantined": r.quarantined_rows,
         "delta_version": r.delta_version, "seconds": round(result.seconds.get(r.asset, 0.0), 1), "note": _note(r)}
        for r in result.records
    ]
    emit(rows, RESULT_COLUMNS, fmt, title=title)
    if not result.ok:
        fail(str(result.error))


def optimize(
    select: list[str] = typer.Option(None, "--select", "-s", help=SELECT_HELP),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Compact the selected Delta tables (Delta OPTIMIZE): fewer, larger files."""
    from spark.maintenance import optimize_tables

    rows = _maintain(lambda settings: optimize_tables(select or None, settings))
    emit(rows, ["asset", "files_removed", "files_added", "delta_version"], fmt, title="OPTIMIZE")


def vacuum(
    retention_hours: int = typer.Option(168, "--retention-hours", help="Keep files needed by the last N hours of versions."),
    select: list[str] = typer.Option(None, "--select", "-s", help=SELECT_HELP),
    unsafe_retention: bool = typer.Option(False, "--unsafe-retention",
                                          help="Allow a retention under Delta's 168 hours (no one reads or writes now)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Delete files no Delta version younger than the retention needs (Delta VACUUM)."""
    from spark.maintenance import vacuum_tables

    rows = _maintain(lambda settings: vacuum_tables(select or None, settings, retention_hours=retention_hours,
                                                    unsafe_retention=unsafe_retention))
    emit(rows, ["asset", "files_deleted", "retention_hours"], fmt, title="VACUUM")


def _maintain(action):
    from assets.errors import AssetDefinitionError
    from lake.locks import LockHeldError
    from spark.maintenance import MaintenanceError

    settings = _settings()
    try:
        return action(settings)
    except (KeyError, AssetDefinitionError, MaintenanceError, LockHeldError) as exc:
        fail(str(exc).strip('"'))


def register(app: typer.Typer) -> None:
    app.command("materialize")(materialize)
    app.command("optimize")(optimize)
    app.command("vacuum")(vacuum)
