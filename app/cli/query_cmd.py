"""``bhnav query`` (Athena SQL over the lake) and ``bhnav status`` (freshness of every asset)."""

from __future__ import annotations

from typing import Optional

import typer

from app.cli.output import FORMAT_OPTION, Format, console, emit, emit_json, err_console, fail
from app.formatting import human_bytes

FRESHNESS_STYLE = {"fresh": "green", "stale": "yellow", "late": "magenta", "never": "dim", "failed": "bold red"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def query(
    sql: str = typer.Argument(..., help="One read-only statement in Athena (Trino) SQL, e.g. "
                                        "\"SELECT regional, count(*) FROM bhnav_curated.acidentes GROUP BY 1\"; "
                                        "'-' reads it from standard input."),
    fmt: Format = FORMAT_OPTION,
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=0, help="Return at most N rows."),
    env: Optional[str] = typer.Option(None, "--env", help="local (DuckDB) or aws (Athena); default: BHNAV_ENV."),
) -> None:
    """Run Athena SQL on the lake: DuckDB over the Delta tables locally, Athena in AWS."""
    import sys

    from catalog.query import QueryError, get_query_engine
    from lake.settings import SettingsError

    if sql == "-":
        sql = sys.stdin.read()
    try:
        from lake.settings import get_settings

        result = get_query_engine(get_settings(env=env)).run(sql, limit=limit)
    except (QueryError, SettingsError, NotImplementedError) as exc:
        fail(str(exc))
    rows = result.records()
    emit(rows, result.columns, fmt)
    more = " (more rows exist; raise --limit)" if result.truncated else ""
    # The summary goes to stderr so csv/json on stdout stay clean for scripts.
    err_console.print(
        f"{_plural(result.row_count, 'row')}{more} · {human_bytes(result.bytes_scanned)} scanned in "
        f"{_plural(result.files_scanned, 'file') if result.files_scanned is not None else '? files'} · "
        f"{result.engine} · {result.elapsed_s:.2f}s{_billed(result)}",
        style="dim", highlight=False,
    )


def _billed(result) -> str:
    """Athena's bill for the query (it has a 10 MB floor), when the engine reports one."""
    cost = result.details.get("cost_usd")
    if cost is None:
        return ""
    return f" · {human_bytes(result.details['billed_bytes'])} billed (US$ {cost:.6f})"


def status(fmt: Format = FORMAT_OPTION) -> None:
    """Per asset: freshness (the source's cadence and the pipeline's lag), the periods held and the gaps
    between them, last run, rows, partitions, checks, quarantine, source update."""
    from assets.errors import AssetDefinitionError
    from catalog.status import asset_status
    from lake.settings import SettingsError

    try:
        statuses = asset_status()
    except (AssetDefinitionError, SettingsError, NotImplementedError) as exc:
        fail(str(exc))
    if fmt == Format.json:
        emit_json([s.to_dict() for s in statuses])
        return
    rows = [_row(s) for s in statuses]
    columns = ["asset", "zone", "freshness", "late", "source_cadence", "pipeline_lag", "range", "gaps",
               "newest_data", "last_materialized", "rows", "partitions", "checks", "quarantined", "source_updated",
               "owner"]
    if fmt == Format.csv:
        emit(rows, columns, fmt)
        return
    from rich.table import Table

    table = Table(title=f"{len(statuses)} assets", show_lines=False)
    for column in columns:
        table.add_column(column, justify="right" if column in ("rows", "partitions", "quarantined") else "left",
                         no_wrap=column in ("asset", "freshness"))
    for s, row in zip(statuses, rows):
        style = FRESHNESS_STYLE.get(s.freshness, "")
        cells = [str(row[c]) if row[c] is not None else "" for c in columns]
        cells[2] = f"[{style}]{s.freshness}[/]"
        table.add_row(*cells)
    console.print(table)
    failed = [s for s in statuses if s.freshness == "failed"]
    for s in failed:
        console.print(f"[bold red]{s.asset}[/]: {s.last_error or 'last run failed'}", highlight=False)


def _row(s) -> dict:
    return {
        "asset": s.asset, "zone": s.zone, "freshness": s.freshness, "late": s.late_by_text,
        "source_cadence": s.cadence_status or ("" if s.cadence is None else "no dated data"),
        "pipeline_lag": _days(s.pipeline_lag), "range": s.range_text, "gaps": ", ".join(s.missing_periods),
        "last_materialized": s.last_materialized_at.strftime("%Y-%m-%d %H:%M") if s.last_materialized_at else "",
        "rows": s.rows, "partitions": s.partitions,
        "newest_data": s.newest_data_date.isoformat() if s.newest_data_date else "",
        "checks": s.checks_summary, "quarantined": s.quarantined_rows or "",
        "source_updated": s.source_updated_at.strftime("%Y-%m-%d") if s.source_updated_at else "",
        "owner": s.owner,
    }


def _days(lag) -> str:
    if lag is None:
        return ""
    days = lag.total_seconds() / 86400
    return f"{days:.1f}d" if days >= 1 else f"{lag.total_seconds() / 3600:.1f}h"


def register(app: typer.Typer) -> None:
    app.command("query")(query)
    app.command("status")(status)
