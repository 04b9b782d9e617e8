"""The keyword arguments of every DAG and operator, from the plan, as plain values.

Both outputs start here: ``render.py`` turns these values into Airflow objects in the process
(the dynamic DAG file), ``static.py`` writes them as Python source (``bhnav dags render``). One
source of arguments is what keeps the two equivalent. Values Airflow needs as objects are marked:
``Callable`` (a function of ``airflow_dags.tasks``/``alerts``), ``Duration`` (a timedelta),
``AssetSet`` (assets, combined for a schedule), ``CronTrigger`` (a cron timetable) and ``Notifier`` (the Amazon provider's SNS one).
No Airflow import here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from airflow_dags.plan import GLUE_JOB, DagPlan, TaskPlan

PYTHON_OPERATOR = "airflow.providers.standard.operators.python:PythonOperator"
GLUE_OPERATOR = "airflow.providers.amazon.aws.operators.glue:GlueJobOperator"


class Callable(NamedTuple):
    module: str  # "tasks" or "alerts" (modules of airflow_dags)
    name: str


class Duration(NamedTuple):
    seconds: int


class AssetSet(NamedTuple):
    names: tuple[str, ...]
    mode: str = "list"  # list: every one updated (a schedule list or outlets); any: joined with |


class Notifier(NamedTuple):
    """The Amazon provider's SnsNotifier; its message is rendered by Airflow with the task's context."""

    target_arn: str
    subject: str
    message: str
    region_name: str | None


class CronTrigger(NamedTuple):
    """A cron schedule as Airflow 3's default timetable for it (runs at the time, no data interval);
    built once per expression and shared, rather than parsed again by every DAG."""

    cron: str


class Date(NamedTuple):
    iso: str  # YYYY-MM-DD, midnight UTC


FAILURE_SUBJECT = "bhnav: {{ ti.dag_id }}.{{ ti.task_id }} failed"
FAILURE_MESSAGE = (
    "Task {{ ti.task_id }} of DAG {{ ti.dag_id }} failed after {{ ti.try_number }} tries "
    "(run {{ run_id }}). Logs: {{ ti.log_url }}"
)


def dag_arguments(dag: DagPlan) -> dict[str, Any]:
    schedule = dag.schedule
    if schedule.kind == "cron":
        schedule_value: Any = CronTrigger(schedule.cron)
    else:
        mode = "any" if schedule.mode == "any" and len(schedule.assets) > 1 else "list"
        schedule_value = AssetSet(schedule.assets, mode)
    return {
        "dag_id": dag.dag_id,
        "schedule": schedule_value,
        "start_date": Date(dag.start_date),
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "max_active_tasks": dag.max_active_tasks,
        "tags": list(dag.tags),
        "description": dag.description,
        "doc_md": dag.doc_md,
    }


def operator_class(task: TaskPlan) -> str:
    return GLUE_OPERATOR if task.action == GLUE_JOB else PYTHON_OPERATOR


def _failure_callbacks(dag: DagPlan, region: str | None) -> Any:
    log = Callable("alerts", "task_failed")
    if dag.alerting.kind != "sns":
        return log
    return [log, Notifier(dag.alerting.sns_topic_arn, FAILURE_SUBJECT, FAILURE_MESSAGE, region)]


def task_arguments(task: TaskPlan, dag: DagPlan, region: str | None = None) -> dict[str, Any]:
    retry = task.retry
    arguments: dict[str, Any] = {"task_id": task.task_id}
    if task.action == GLUE_JOB:
        arguments.update(_glue_arguments(task.glue_job, region))
    else:
        arguments["python_callable"] = Callable("tasks", task.action)
        if task.asset is not None:
            arguments["op_kwargs"] = {"asset_name": task.asset}
    if task.outlets:
        arguments["outlets"] = AssetSet(task.outlets)
    arguments.update({
        "owner": dag.owner,
        "retries": retry.retries,
        "retry_delay": Duration(retry.delay_s),
        "retry_exponential_backoff": True,
        "max_retry_delay": Duration(retry.max_delay_s),
        "execution_timeout": Duration(retry.timeout_s),
        "on_failure_callback": _failure_callbacks(dag, region),
    })
    return arguments


def _glue_arguments(definition: dict[str, Any], region: str | None) -> dict[str, Any]:
    """GlueJobOperator's arguments from the Glue job definition, so the job is created or updated from it."""
    arguments: dict[str, Any] = {"job_name": definition["Name"], "region_name": region, "wait_for_completion": True}
    if "Command" not in definition:  # only the name is known: run the job deployed under it
        return arguments
    rest = {k: v for k, v in definition.items()
            if k not in ("Name", "Description", "Role", "ExecutionProperty", "MaxRetries")}
    arguments.update({
        "job_desc": definition.get("Description", ""),
        "script_location": definition["Command"]["ScriptLocation"],
        "iam_role_name": definition["Role"],
        "concurrent_run_limit": definition.get("ExecutionProperty", {}).get("MaxConcurrentRuns", 1),
        "retry_limit": definition.get("MaxRetries", 0),
        "create_job_kwargs": rest,
        "update_config": True,
    })
    return arguments


def upstream_edges(dag: DagPlan) -> list[tuple[str, str]]:
    return [(up, task.task_id) for task in dag.tasks for up in task.upstream]
