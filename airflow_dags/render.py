"""The thin Airflow 3 renderer: a plan becomes ``airflow.sdk`` DAGs and assets, in this process.

Called by the DAG-folder entry file (``bhnav_dags.py``) at parse time, so it does no I/O and
imports only Airflow itself; the task callables import the lake's code when they run.
"""

from __future__ import annotations

import functools
import importlib
import operator
from datetime import timedelta
from typing import Any

from airflow_dags import arguments as args
from airflow_dags.plan import Plan, build_plan


def render_dags(plan: Plan | None = None) -> dict[str, Any]:
    """Every DAG of the plan (the current settings' plan by default), by DAG id."""
    from airflow.sdk import DAG, Asset

    plan = plan or build_plan()
    assets = {ref.name: Asset(name=ref.airflow_name, uri=ref.uri, group=ref.zone, extra=args.asset_extra(ref))
              for ref in plan.assets}
    resolve = functools.partial(_resolve, assets=assets, timetables={})
    operators: dict[str, type] = {}
    dags: dict[str, Any] = {}
    for dag_plan in plan.dags:
        dag = DAG(**{k: resolve(v) for k, v in args.dag_arguments(dag_plan).items()})
        tasks = {}
        for task_plan in dag_plan.tasks:
            path = args.operator_class(task_plan)
            if path not in operators:
                module, name = path.split(":")
                operators[path] = getattr(importlib.import_module(module), name)
            kwargs = args.task_arguments(task_plan, dag_plan, plan.aws_region)
            tasks[task_plan.task_id] = operators[path](dag=dag, **{k: resolve(v) for k, v in kwargs.items()})
        for up, down in args.upstream_edges(dag_plan):
            tasks[up] >> tasks[down]
        dags[dag_plan.dag_id] = dag
    return dags


def _resolve(value: Any, *, assets: dict[str, Any], timetables: dict[str, Any]) -> Any:
    if isinstance(value, args.CronTrigger):
        if value.cron not in timetables:
            from airflow.sdk import CronTriggerTimetable

            timetables[value.cron] = CronTriggerTimetable(value.cron, timezone="UTC",
                                                          run_immediately=_resolve(args.NOT_IMMEDIATELY, assets={},
                                                                                   timetables={}))
        return timetables[value.cron]
    if isinstance(value, args.Sdk):
        import airflow.sdk

        head, _, attr = value.name.partition(".")
        target = getattr(airflow.sdk, head)
        if attr:
            target = getattr(target, attr)
        if not value.call:
            return target
        return target(*(_resolve(v, assets=assets, timetables=timetables) for v in value.args),
                      **{k: _resolve(v, assets=assets, timetables=timetables) for k, v in value.kwargs})
    if isinstance(value, args.AssetMap):
        return {assets[name]: _resolve(v, assets=assets, timetables=timetables) for name, v in value.pairs}
    if isinstance(value, args.Duration):
        return timedelta(seconds=value.seconds)
    if isinstance(value, args.AssetSet):
        chosen = [assets[name] for name in value.names]
        if value.mode in ("any", "all"):
            return functools.reduce(operator.or_ if value.mode == "any" else operator.and_, chosen)
        return chosen[0] if value.mode == "one" else chosen
    if isinstance(value, args.Callable):
        return getattr(importlib.import_module(f"airflow_dags.{value.module}"), value.name)
    if isinstance(value, args.Notifier):
        from airflow.providers.amazon.aws.notifications.sns import SnsNotifier

        return SnsNotifier(target_arn=value.target_arn, subject=value.subject, message=value.message,
                           region_name=value.region_name)
    if isinstance(value, list):
        return [_resolve(v, assets=assets, timetables=timetables) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, assets=assets, timetables=timetables) for k, v in value.items()}
    return value
