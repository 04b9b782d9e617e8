"""``bhnav backfill``: re-materialise exactly one period of the selected time-partitioned tables.

``bhnav backfill --select acidentes --from 2016-01 --to 2018-12`` rewrites the partitions of
January 2016 to December 2018 and leaves the others untouched; it always rebuilds (an unchanged
input is no reason to skip a backfill someone asked for).
"""

from __future__ import annotations

from pathlib import Path

import typer

from app.cli.materialize_cmd import SELECT_HELP, _settings, report, run_with_progress
from app.cli.output import FORMAT_OPTION, Format, fail

PERIOD_HELP = "2019, 2019-03 or 2019-03-15 (the whole year, month or day)."


def backfill_period(first: str, last: str):
    """The period from the start of ``first`` to the end of ``last``; a one-line error otherwise."""
    from assets.period import Period, PeriodError

    bounds = {}
    for option, text in (("--from", first), ("--to", last)):
        try:
            bounds[option] = Period.parse(text)
        except PeriodError as exc:
            hint = "" if "write " in str(exc) else "; write 2019, 2019-03 or 2019-03-15"
            fail(f"backfill {option}: {exc}{hint}")
    if bounds["--to"].end < bounds["--from"].start:
        fail(f"backfill --to {last} ends before --from {first} starts; swap them "
             f"(--from {last} --to {first}) or correct the one that is wrong")
    return Period.between(first, last)


def check_partitioned(names: tuple[str, ...], graph) -> None:
    """Every derived asset of a backfill has time partitions: a period of anything else means nothing."""
    for name in names:
        asset = graph[name]
        if not asset.is_raw and asset.partitioning.date_column is None:
            fail(f"Asset '{name}': a backfill rewrites a period of a time-partitioned table, and {name} has no "
                 f"time partitions. Rebuild it whole with `bhnav materialize --select {name} --force`.")


def backfill(
    select: list[str] = typer.Option(..., "--select", "-s", help=SELECT_HELP.replace(" All when omitted.", "")),
    first: str = typer.Option(..., "--from", help=f"First period to rewrite: {PERIOD_HELP}"),
    last: str = typer.Option(..., "--to", help=f"Last period to rewrite (inclusive): {PERIOD_HELP}"),
    snapshot: Path = typer.Option(None, "--snapshot", help="Land raw files from this snapshot folder (offline)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Re-materialise the selected assets over one period, rewriting only its partitions."""
    from assets.errors import AssetDefinitionError
    from runs.runner import graph_for, materialize as run

    period = backfill_period(first, last)
    if snapshot is not None and not snapshot.is_dir():
        fail(f"snapshot folder {snapshot} does not exist")
    settings = _settings(snapshot)
    if settings.is_aws:
        fail("backfill runs the local Spark session; set BHNAV_ENV=local (AWS Glue runs take no period yet)")
    try:
        names = graph_for(settings).select(select)
    except KeyError as exc:
        fail(str(exc).strip('"'))
    check_partitioned(names, graph_for(settings))
    result = run_with_progress(
        lambda progress: run(list(select), settings, True, snapshot, progress, period=period),
        fmt, (KeyError, AssetDefinitionError))
    report(result, fmt, title=f"backfill {period.label()}: {len(result.records)} of {len(result.selected)} assets")


def register(app: typer.Typer) -> None:
    app.command("backfill")(backfill)
