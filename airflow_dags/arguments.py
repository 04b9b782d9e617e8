"""The keyword arguments of every DAG and operator, from the plan, as plain values.

Both outputs start here: ``render.py`` turns these values into Airflow objects in the process
(the dynamic DAG file), ``static.py`` writes them as Python source (``bhnav dags render``). One
source of arguments is what keeps the two equivalent. Values Airflow needs as objects are marked:
``Callable`` (a function of ``airflow_dags.tasks``/``alerts``), ``Duration`` (a timedelta),
``AssetSet`` (assets, combined for a schedule), ``CronTrigger`` (a cron timetable),
``Sdk`` (any other ``airflow.sdk`` object: partitioned timetables and their mappers,
``AssetOrTimeSchedule``, ``DeadlineAlert``), ``AssetMap`` and ``Notifier`` (the Amazon provider's SNS one).
No Airflow import here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from airflow_dags.plan import GLUE_JOB, DagPlan, TaskPlan
from airflow_dags.schedules import FAN_OUT, IDENTITY, KEY_FORMATS, Mapping

PYTHON_OPERATOR = "airflow.providers.standard.operators.python:PythonOperator"
GLUE_OPERATOR = "airflow.providers.amazon.aws.operators.glue:GlueJobOperator"


class Callable(NamedTuple):
    module: str  # "tasks" or "alerts" (modules of airflow_dags)
    name: str


class Duration(NamedTuple):
    seconds: int


class AssetSet(NamedTuple):
    names: tuple[str, ...]
    mode: str = "list"  # list: every one updated (a schedule list or outlets); any: joined with |; all: with &


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


class Sdk(NamedTuple):
    """An ``airflow.sdk`` object: ``name(*args, **kwargs)``, or the attribute ``name`` when not ``call``
    (the partitioned timetables, their mappers, ``AssetOrTimeSchedule``, ``DeadlineAlert``)."""

    name: str
    args: tuple = ()
    kwargs: tuple[tuple[str, Any], ...] = ()
    call: bool = True


class AssetMap(NamedTuple):
    """A dict keyed by assets (``partition_mapper_config``)."""

    pairs: tuple[tuple[str, Any], ...]


def _mapper(m: Mapping) -> Sdk:
    """The Airflow mapper of a grain mapping; keys are ``KEY_FORMATS`` on both sides."""
    if m.kind == IDENTITY:
        return Sdk("IdentityMapper")
    window = Sdk(f"{(m.upstream_grain if m.kind == FAN_OUT else m.grain).capitalize()}Window")
    # The upstream mapper reads the upstream key and yields the coarser of the two grains' starts;
    # a fan-out's window then lists that period's members in the finer grain's key format.
    coarse = m.upstream_grain if m.kind == FAN_OUT else m.grain
    upstream = Sdk(f"StartOf{coarse.capitalize()}Mapper", kwargs=(("input_format", KEY_FORMATS[m.upstream_grain]),))
    return Sdk("FanOutMapper" if m.kind == FAN_OUT else "RollupMapper", kwargs=(("upstream_mapper", upstream),
                                                                               ("window", window)))


# How long after a past tick a first unpause still runs it: never. (``run_immediately=False``
# is Airflow's "within 10% of the interval": a monthly DAG unpaused on the 2nd runs the 1st's.)
NOT_IMMEDIATELY = Duration(0)


def _cron(cron: str) -> Sdk:
    return Sdk("CronTriggerTimetable", (cron,), (("timezone", "UTC"), ("run_immediately", NOT_IMMEDIATELY)))


FAILURE_SUBJECT = "bhnav: {{ ti.dag_id }}.{{ ti.task_id }} failed"
FAILURE_MESSAGE = (
    "Task {{ ti.task_id }} of DAG {{ ti.dag_id }} failed after {{ ti.try_number }} tries "
    "(run {{ run_id }}). Logs: {{ ti.log_url }}"
)


def asset_extra(ref) -> dict[str, Any]:
    """What an Airflow asset carries beside its logical identity: where the table is now."""
    extra: dict[str, Any] = {"location": ref.location, "asset": ref.name}
    if ref.grain:
        extra["partition_grain"] = ref.grain
    return extra


def schedule_argument(dag: DagPlan) -> Any:
    """The DAG's ``schedule``. The first unpause waits for the next tick: the DAGs have no
    ``start_date`` (with one, and no catchup, Airflow runs the latest past tick at once: every
    landing together) and their cron timetables never run a past tick immediately."""
    schedule = dag.schedule
    if schedule.kind == "cron":
        return CronTrigger(schedule.cron)
    if schedule.kind == "partition_cron":  # the run's partition is the period before its tick
        return Sdk("CronPartitionTimetable", (schedule.cron,), (
            ("timezone", "UTC"), ("run_offset", -1), ("key_format", KEY_FORMATS[schedule.grain]),
            ("run_immediately", NOT_IMMEDIATELY)))
    if schedule.kind == "partitioned_assets":
        assets = AssetSet(schedule.assets, "all") if len(schedule.assets) > 1 else AssetSet(schedule.assets, "one")
        if len(schedule.mappings) == 1:
            return Sdk("PartitionedAssetTimetable", kwargs=(
                ("assets", assets), ("default_partition_mapper", _mapper(schedule.mappings[0]))))
        config = AssetMap(tuple((m.asset, _mapper(m)) for m in schedule.mappings))
        return Sdk("PartitionedAssetTimetable", kwargs=(("assets", assets), ("partition_mapper_config", config)))
    if schedule.kind == "assets_or_cron":
        return Sdk("AssetOrTimeSchedule", kwargs=(("timetable", _cron(schedule.cron)),
                                                  ("assets", AssetSet(schedule.assets))))
    mode = "any" if schedule.mode == "any" and len(schedule.assets) > 1 else "list"
    return AssetSet(schedule.assets, mode)


def dag_arguments(dag: DagPlan) -> dict[str, Any]:
    arguments = {
        "dag_id": dag.dag_id,
        "schedule": schedule_argument(dag),
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "max_active_tasks": dag.max_active_tasks,
        "tags": list(dag.tags),
        "description": dag.description,
        "doc_md": dag.doc_md,
        "dagrun_timeout": Duration(dag.timeout_s),
        "on_failure_callback": Callable("alerts", "dag_failed"),
    }
    if dag.deadline_s:  # a run still unfinished this long after it was queued leaves its asset stale
        arguments["deadline"] = Sdk("DeadlineAlert", kwargs=(
            ("reference", Sdk("DeadlineReference.DAGRUN_QUEUED_AT", call=False)),
            ("interval", Duration(dag.deadline_s)),
            ("callback", Sdk("SyncCallback", ("airflow_dags.alerts.deadline_missed",),
                             (("kwargs", {"dag_id": dag.dag_id}),))),
        ))
    return arguments


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
    # Deferrable: the wait for the Glue run happens in the triggerer, not in a worker slot.
    arguments: dict[str, Any] = {"job_name": definition["Name"], "region_name": region, "wait_for_completion": True,
                                 "deferrable": True}
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
