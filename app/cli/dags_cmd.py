"""``bhnav dags``: the Airflow DAGs compiled from the assets: print the plan, write static DAG files,
run them in a local Airflow."""

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


@dags_app.command("up")
def up_cmd(
    home: Path = typer.Option(Path(".airflow"), "--home", help="AIRFLOW_HOME: the SQLite database, logs and config."),
    port: int = typer.Option(8080, "--port", help="The API server's (and the UI's) port on 127.0.0.1."),
    unpause: bool = typer.Option(False, "--unpause", help="Unpause every DAG at creation (default: paused, "
                                                           "unpause them in the UI)."),
) -> None:
    """Run the DAGs in a local Airflow (api-server, scheduler, dag-processor on SQLite) until Ctrl-C."""
    import signal
    import time

    from airflow_dags.local_airflow import LocalAirflow, LocalAirflowError, airflow_environment, migrate

    plan = _plan()
    if home.exists() and not home.is_dir():
        fail(f"--home {home} is a file; give a folder for AIRFLOW_HOME")
    home = home.absolute()
    home.mkdir(parents=True, exist_ok=True)
    env = airflow_environment(home)
    console.print(f"AIRFLOW_HOME={home}: migrating the SQLite database ...")
    stack = LocalAirflow(home, env, port=port, paused_at_creation=not unpause)
    stop = {"now": False}

    def _stop(signum, frame):
        stop["now"] = True

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        migrate(env)
        stack.start()
        stack.wait_ready((plan.dags[0].dag_id,))
        console.print(f"Airflow is up at {stack.base} ({len(plan.dags)} DAGs, {plan.env}); "
                      f"{'unpaused' if unpause else 'paused: unpause them in the UI'}. Ctrl-C stops it.")
        while not stop["now"] and not stack.exited():
            time.sleep(0.5)
        if stack.exited():
            name, code = stack.exited()[0]
            fail(f"airflow {name} exited with {code}; see {home / (name + '.log')}")
    except LocalAirflowError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        stack.stop()
    console.print("Airflow stopped.")


def register(app: typer.Typer) -> None:
    app.add_typer(dags_app, name="dags")
