"""``bhnav dags``: the Airflow DAGs compiled from the assets: print the plan, write static DAG files."""

from __future__ import annotations

from pathlib import Path

import typer

from app.cli.output import FORMAT_OPTION, Format, console, emit, emit_json, fail

dags_app = typer.Typer(help="The Airflow DAGs compiled from the asset graph.", no_args_is_help=True)


def _plan():
    from airflow_dags.plan import PlanError, build_plan
    from assets.errors import AssetDefinitionError
    from lake.settings import SettingsError

    try:
        return build_plan()
    except (AssetDefinitionError, PlanError, SettingsError) as exc:
        fail(str(exc))


@dags_app.command("plan")
def plan_cmd(fmt: Format = FORMAT_OPTION) -> None:
    """Every DAG: its schedule, tasks and the assets it updates (json: the whole plan)."""
    plan = _plan()
    if fmt == Format.json:
        emit_json(plan.to_dict())
        return
    emit(plan.summary(), ["dag_id", "kind", "schedule", "tasks", "outlets"], fmt,
         title=f"{len(plan.dags)} DAGs ({plan.env}, grouping by {plan.grouping})")


@dags_app.command("render")
def render_cmd(
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the DAG files (e.g. the MWAA dags/ folder)."),
) -> None:
    """Write one static DAG file per DAG, equivalent to the dynamic airflow_dags/bhnav_dags.py."""
    from airflow_dags.static import write_static_dags

    plan = _plan()
    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file; give a folder")
    try:
        written = write_static_dags(plan, out)
    except OSError as exc:
        fail(f"cannot write DAG files to {out}: {exc.strerror or exc}")
    console.print(f"wrote {len(written)} DAG files to {out} ({plan.env}); the project package must be installed where they run")


def register(app: typer.Typer) -> None:
    app.add_typer(dags_app, name="dags")
