"""Static DAG files (``bhnav dags render --out DIR``) for deployments that read DAG files from a
folder or S3 (MWAA): one file per DAG, plain Airflow code written from the same arguments the
dynamic entry renders (``arguments.py``), so both define the same DAGs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from airflow_dags import arguments as args
from airflow_dags.plan import DagPlan, Plan

HEADER = '''"""DAG {dag_id}, written by `bhnav dags render` from the asset declarations (environment {env}).

Do not edit: change the asset declaration and render again.
"""

from datetime import timedelta

{imports}
'''


def write_static_dags(plan: Plan, out: Path) -> list[Path]:
    """Write one file per DAG into ``out``; returns the files written (stale ones are removed)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for dag in plan.dags:
        path = out / f"{dag.dag_id}.py"
        path.write_text(dag_source(dag, plan))
        written.append(path)
    for old in out.glob("bhnav_*.py"):
        if old not in written and old.read_text().find("written by `bhnav dags render`") != -1:
            old.unlink()
    return written


def dag_source(dag: DagPlan, plan: Plan) -> str:
    imports = sorted({args.operator_class(t) for t in dag.tasks})
    lines_imports = [f"from {path.split(':')[0]} import {path.split(':')[1]}" for path in imports]
    task_args = [args.task_arguments(t, dag, plan.aws_region) for t in dag.tasks]
    if any(_uses(a, args.Notifier) for a in task_args):
        lines_imports.append("from airflow.providers.amazon.aws.notifications.sns import SnsNotifier")
    dag_kwargs = args.dag_arguments(dag)
    sdk = {"DAG", "Asset"} | {n.name.split(".")[0] for v in [*dag_kwargs.values(), *task_args] for n in _collect(v, args.Sdk)}
    if any(_uses(v, args.CronTrigger) for v in dag_kwargs.values()):
        sdk.add("CronTriggerTimetable")
    lines_imports.insert(0, f"from airflow.sdk import {', '.join(sorted(sdk))}")
    modules = sorted({c.module for a in task_args for c in _collect(a, args.Callable)})
    lines_imports.append("")
    lines_imports.append(f"from airflow_dags import {', '.join(modules)}")
    source = [HEADER.format(dag_id=dag.dag_id, env=plan.env, imports="\n".join(lines_imports))]
    used = [name for name in _asset_names(dag)]
    for name in used:
        ref = plan.asset(name)
        source.append(f"{_asset_var(name)} = Asset(name={ref.airflow_name!r}, uri={ref.uri!r}, group={ref.zone!r}, "
                      f"extra={args.asset_extra(ref)!r})")
    source.append("")
    source.append("with DAG(")
    source += [f"    {k}={_code(v, 4)}," for k, v in dag_kwargs.items()]
    source.append(") as dag:")
    for task, kwargs in zip(dag.tasks, task_args):
        cls = args.operator_class(task).split(":")[1]
        source.append(f"    {_var(task.task_id)} = {cls}(")
        source += [f"        {k}={_code(v, 8)}," for k, v in kwargs.items()]
        source.append("    )")
    for up, down in args.upstream_edges(dag):
        source.append(f"    {_var(up)} >> {_var(down)}")
    return "\n".join(source) + "\n"


def _asset_names(dag: DagPlan) -> list[str]:
    names: list[str] = []
    names += dag.schedule.assets
    for task in dag.tasks:
        names += [o for o in task.outlets if o not in names]
    return list(dict.fromkeys(names))


def _var(name: str) -> str:
    return re.sub(r"\W", "_", name)


def _asset_var(name: str) -> str:
    return f"asset_{_var(name)}"


def _collect(value: Any, kind: type) -> list:
    if isinstance(value, args.Sdk):  # itself (when asked for) and what it holds
        inner = [x for v in (*value.args, *(v for _, v in value.kwargs)) for x in _collect(v, kind)]
        return [value, *inner] if kind is args.Sdk else inner
    if isinstance(value, kind):
        return [value]
    if isinstance(value, args.AssetMap):
        return [x for _, v in value.pairs for x in _collect(v, kind)]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _collect(v, kind)]
    if isinstance(value, list):
        return [x for v in value for x in _collect(v, kind)]
    return []


def _uses(value: Any, kind: type) -> bool:
    return bool(_collect(value, kind))


def _code(value: Any, indent: int) -> str:
    """Python source for an argument value (markers become the objects' constructors)."""
    if isinstance(value, args.CronTrigger):
        return f"CronTriggerTimetable({value.cron!r}, timezone='UTC', run_immediately={_code(args.NOT_IMMEDIATELY, indent)})"
    if isinstance(value, args.Sdk):
        if not value.call:
            return value.name
        parts = [_code(v, indent) for v in value.args] + [f"{k}={_code(v, indent)}" for k, v in value.kwargs]
        return f"{value.name}({', '.join(parts)})"
    if isinstance(value, args.AssetMap):
        return "{" + ", ".join(f"{_asset_var(n)}: {_code(v, indent)}" for n, v in value.pairs) + "}"
    if isinstance(value, args.Duration):
        return f"timedelta(seconds={value.seconds})"
    if isinstance(value, args.AssetSet):
        names = [_asset_var(n) for n in value.names]
        if value.mode in ("any", "all"):
            return (" | " if value.mode == "any" else " & ").join(names)
        return names[0] if value.mode == "one" else f"[{', '.join(names)}]"
    if isinstance(value, args.Callable):
        return f"{value.module}.{value.name}"
    if isinstance(value, args.Notifier):
        return (f"SnsNotifier(target_arn={value.target_arn!r}, subject={value.subject!r}, "
                f"message={value.message!r}, region_name={value.region_name!r})")
    if isinstance(value, list):
        return "[" + ", ".join(_code(v, indent) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_code(v, indent)}" for k, v in value.items()) + "}"
    if isinstance(value, str) and "\n" in value:
        pad = " " * (indent + 4)
        parts = value.splitlines(keepends=True)
        return "(\n" + "".join(f"{pad}{p!r}\n" for p in parts) + " " * indent + ")"
    return repr(value)
