"""``bhnav materialize --env aws``: the selected assets as AWS Glue job runs (runs.glue_runs)."""

from __future__ import annotations

from app.cli.output import Format, aws_errors, emit, err_console, fail

COLUMNS = ["asset", "job", "state", "run_id", "seconds", "note"]


def materialize_on_glue(select: list[str] | None, settings, force: bool, fmt: Format) -> None:
    from assets.errors import AssetDefinitionError
    from runs.glue_runs import run_on_glue

    def progress(event: str, run) -> None:
        # One line per change, on stderr: Glue runs take minutes and the table comes at the end.
        if event == "deployed":
            return
        text = {"started": f"started run {run.run_id}", "state": run.state.lower()}.get(event, run.state.lower())
        err_console.print(f"{run.asset}: {text}", style="dim" if event != "finished" else None, highlight=False,
                          soft_wrap=True)

    def landed(record) -> None:
        err_console.print(f"{record.asset}: {record.notes.get('landing') or record.error or record.status}",
                          highlight=False, soft_wrap=True)

    try:
        with aws_errors():
            result = run_on_glue(select or None, settings, force=force, progress=progress, landing_progress=landed)
    except (KeyError, ValueError, AssetDefinitionError) as exc:
        fail(str(exc).strip('"'))
    rows = [{"asset": r.asset, "job": "(landed here)", "state": r.status.upper(), "run_id": "", "seconds": "",
             "note": r.error or r.notes.get("key") or ""} for r in result.landings]
    rows += [{"asset": r.asset, "job": r.job_name, "state": r.state, "run_id": r.run_id or "",
              "seconds": round(r.seconds, 1), "note": r.error or ""} for r in result.runs]
    emit(rows, COLUMNS, fmt, title=f"{len(result.landings)} landings, {len(result.runs)} Glue job runs")
    if result.landing_error:
        fail(result.landing_error)
    for run in result.failed:
        err_console.print(f"[bold red]{run.asset}[/]: {run.error}", highlight=False, soft_wrap=True)
        if run.log_url:
            err_console.print(f"  logs: {run.log_url}", highlight=False, soft_wrap=True)
    if not result.ok:
        first = result.failed[0] if result.failed else next(r for r in result.runs if not r.ok)
        fail(first.error or f"{first.asset} did not succeed")
