"""The DAG plan: what Airflow should run, as plain data computed from the asset graph.

Plain NamedTuples rather than dataclasses: the DAG file builds this module at every parse, and
a NamedTuple class costs a tenth of a frozen dataclass to create.

No Airflow import here (the renderer in ``render.py`` turns a plan into Airflow objects), so the
plan is tested, printed (``bhnav dags plan``) and snapshot-compared without Airflow installed.

- every lake asset is one Airflow asset: its name carries the project prefix (``bhnav.acidentes``),
  its URI is logical (``x-bhnav://curated/acidentes``) and its physical location is in ``extra``,
  so moving the lake or switching environment keeps every asset active;
- a raw asset gets a landing DAG (land -> register_raw), a derived asset a DAG that runs
  materialize (or the Glue job in AWS) -> register; when each runs is ``schedules.py``'s;
- with ``BHNAV_DAG_GROUPING=source`` a raw asset and its single curated consumer share one DAG;
- one hourly DAG evaluates every asset's freshness.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from airflow_dags.docs import asset_doc_md, freshness_doc_md
from airflow_dags.schedules import MONTHLY_CRON  # noqa: F401  (re-exported: the landings' default cron)
from airflow_dags.schedules import Schedule, ScheduleError, derived_schedule, landing_schedule, run_grains

FRESHNESS_CRON = "0 * * * *"
PREFIX = "bhnav"

# What each task does; the renderer maps an action to its operator and callable.
LAND, REGISTER_RAW, MATERIALIZE, GLUE_JOB, REGISTER, FRESHNESS = (
    "land", "register_raw", "materialize", "glue_job", "register", "check_freshness",
)


class PlanError(ValueError):
    """The graph cannot be compiled to DAGs (e.g. two assets would share an Airflow name or URI)."""


class AssetRef(NamedTuple):
    name: str  # the lake asset's name (what the plan refers to)
    airflow_name: str  # with the project prefix: unique in a shared Airflow
    uri: str  # logical: the same wherever the lake is
    zone: str
    location: str  # the table's physical location (Airflow asset extra)
    grain: str | None = None  # time partitions' grain, when partitioned


def airflow_asset_name(asset_name: str, project: str) -> str:
    return f"{project}.{asset_name}"


def logical_uri(zone: str, asset_name: str, project: str) -> str:
    """``x-bhnav://curated/acidentes``: the scheme is the project's (URI schemes take no ``_``).
    Airflow leaves an ``x-`` scheme as written; any other unknown scheme makes it load every
    provider's URI handlers at parse time (the Amazon one imports boto3)."""
    return f"x-{project.replace('_', '-')}://{zone}/{asset_name}"


class RetryPolicy(NamedTuple):
    retries: int
    delay_s: int
    max_delay_s: int  # the cap of the exponential backoff: the delay of the last retry
    timeout_s: int


class TaskPlan(NamedTuple):
    task_id: str
    action: str
    asset: str | None
    retry: RetryPolicy
    upstream: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    glue_job: dict[str, Any] | None = None  # the Glue job definition (aws only)


class Alerting(NamedTuple):
    kind: str  # log | sns
    sns_topic_arn: str | None = None


class DagPlan(NamedTuple):
    dag_id: str
    kind: str  # landing | derived | grouped | freshness
    schedule: Schedule
    tasks: tuple[TaskPlan, ...]
    owner: str
    tags: tuple[str, ...]
    description: str
    doc_md: str
    alerting: Alerting
    timeout_s: int = 0  # dagrun_timeout: every task's tries, timeouts and retry delays
    deadline_s: int | None = None  # the asset's freshness lag: a run queued longer than that alerts
    catchup: bool = False
    max_active_runs: int = 1  # one writer per Delta table
    max_active_tasks: int = 1  # the tasks are a chain: one runs at a time anyway (and no config lookup per DAG)

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(o for t in self.tasks for o in t.outlets)


class Plan(NamedTuple):
    env: str
    grouping: str
    assets: tuple[AssetRef, ...]
    dags: tuple[DagPlan, ...] = ()
    aws_region: str | None = None  # for the AWS operators and notifiers (aws only)

    def dag(self, dag_id: str) -> DagPlan:
        for dag in self.dags:
            if dag.dag_id == dag_id:
                return dag
        raise KeyError(f"no DAG {dag_id!r} in the plan; `bhnav dags plan` lists them")

    def asset(self, name: str) -> AssetRef:
        for ref in self.assets:
            if ref.name == name:
                return ref
        raise KeyError(f"no asset {name!r} in the plan")

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    def summary(self) -> list[dict[str, Any]]:
        """One row per DAG: what the snapshot test and ``bhnav dags plan`` show."""
        return [
            {
                "dag_id": d.dag_id,
                "kind": d.kind,
                "schedule": d.schedule.describe(),
                "tasks": [t.task_id + (f" <- {', '.join(t.upstream)}" if t.upstream else "") for t in d.tasks],
                "outlets": list(d.outlets),
                "tags": list(d.tags),
                "retries": sorted({t.retry.retries for t in d.tasks}),
            }
            for d in self.dags
        ]


def _plain(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def landing_dag_id(raw: str) -> str:
    return f"{PREFIX}_land_{raw}"


def derived_dag_id(asset: str) -> str:
    return f"{PREFIX}_materialize_{asset}"


def grouped_dag_id(raw: str, curated: str) -> str:
    return f"{PREFIX}_pipeline_{curated}"


FRESHNESS_DAG_ID = f"{PREFIX}_freshness"


def build_plan(graph=None, settings=None) -> Plan:
    """The plan for a graph (the project's by default) in an environment (the current settings)."""
    from lake.locations import table_uri
    from lake.settings import get_settings

    if settings is None:
        settings = get_settings()
    if graph is None:
        from assets.definitions import load_graph

        graph = load_graph()
    project = settings.glue_database_prefix
    grains = run_grains(graph)
    refs = tuple(AssetRef(a.name, airflow_asset_name(a.name, project), logical_uri(a.zone, a.name, project), a.zone,
                          table_uri(a, settings), grains[a.name]) for a in graph)
    check_unique(refs)
    alerting = Alerting("sns", settings.sns_topic_arn) if settings.is_aws and settings.sns_topic_arn else Alerting("log")
    downstream: dict[str, list[str]] = {a.name: [] for a in graph}
    for a in graph:
        for dep in a.deps:
            downstream[dep].append(a.name)
    grouped = _groups(graph, downstream, grains) if settings.dag_grouping == "source" else {}
    consumers_grouped = set(grouped.values())
    dags: list[DagPlan] = []
    try:
        for asset in graph:
            if asset.is_raw and asset.name in grouped:
                dags.append(_grouped_dag(asset, graph[grouped[asset.name]], graph, downstream, settings, alerting))
            elif asset.is_raw:
                dags.append(_landing_dag(asset, downstream, settings, alerting))
            elif asset.name not in consumers_grouped:
                dags.append(_derived_dag(asset, grains, downstream, settings, alerting))
    except ScheduleError as exc:
        raise PlanError(str(exc)) from None
    dags.append(_freshness_dag(graph, settings, alerting))
    return Plan(env=settings.env, grouping=settings.dag_grouping, assets=refs, dags=tuple(dags),
                aws_region=settings.aws_region if settings.is_aws else None)


def check_unique(refs: tuple[AssetRef, ...]) -> None:
    # Airflow deactivates both assets when two share a name or a URI: refuse before that happens.
    for attr in ("airflow_name", "uri"):
        seen: dict[str, str] = {}
        for ref in refs:
            value = getattr(ref, attr)
            if value in seen:
                raise PlanError(
                    f"Asset {ref.name!r}: its Airflow {attr.replace('airflow_', '')} {value!r} is also asset "
                    f"{seen[value]!r}'s; "
                    "Airflow would deactivate both. Rename one or move its table."
                )
            seen[value] = ref.name


def _groups(graph, downstream, grains) -> dict[str, str]:
    """raw -> curated where the curated asset is the raw one's only consumer, reads only it, and
    runs per the same partitions (a run lands and materialises one period)."""
    pairs = {}
    for asset in graph:
        consumers = downstream[asset.name]
        if asset.is_raw and len(consumers) == 1:
            consumer = graph[consumers[0]]
            if consumer.zone == "curated" and consumer.deps == (asset.name,) and \
                    grains[consumer.name] == grains[asset.name]:
                pairs[asset.name] = consumer.name
    return pairs


def _retry(asset, settings) -> RetryPolicy:
    retries = asset.retries if asset is not None and asset.retries is not None else settings.task_retries
    delay = asset.retry_delay_s if asset is not None and asset.retry_delay_s is not None else settings.task_retry_delay_s
    return RetryPolicy(retries=retries, delay_s=delay, max_delay_s=delay * 2 ** max(retries - 1, 0),
                       timeout_s=settings.task_timeout_s)


def _tags(*assets) -> tuple[str, ...]:
    tags: list[str] = []
    for asset in assets:
        for tag in (f"zone:{asset.zone}", f"domain:{asset.domain}", f"owner:{asset.owner}", *asset.tags):
            if tag not in tags:
                tags.append(tag)
    return tuple(tags)


def _landing_tasks(raw, settings) -> tuple[TaskPlan, ...]:
    retry = _retry(raw, settings)
    return (
        TaskPlan(LAND, LAND, raw.name, retry),
        TaskPlan(REGISTER_RAW, REGISTER_RAW, raw.name, retry, upstream=(LAND,), outlets=(raw.name,)),
    )


def _derived_tasks(asset, settings, after: tuple[str, ...] = ()) -> tuple[TaskPlan, ...]:
    retry = _retry(asset, settings)
    if settings.is_aws:
        run = TaskPlan(MATERIALIZE, GLUE_JOB, asset.name, retry, upstream=after, glue_job=_glue_job(asset, settings))
    else:
        run = TaskPlan(MATERIALIZE, MATERIALIZE, asset.name, retry, upstream=after)
    return run, TaskPlan(REGISTER, REGISTER, asset.name, retry, upstream=(MATERIALIZE,), outlets=(asset.name,))


def _glue_job(asset, settings) -> dict[str, Any]:
    """The Glue job definition (CreateJob's fields) from infra; the job is created or updated from it."""
    try:
        from lake.glue_job_spec import glue_job_definition
    except ImportError:  # infra not deployed with this package: the job is expected under its conventional name
        return {"Name": f"bhnav-{asset.name}"}
    return glue_job_definition(asset, settings)


def _timeouts(tasks: tuple[TaskPlan, ...]) -> int:
    """The longest a run can take: each task's tries at their timeout plus the retry delays."""
    return sum((t.retry.retries + 1) * t.retry.timeout_s + t.retry.retries * t.retry.max_delay_s for t in tasks)


def _deadline(*assets) -> int:
    return int(min(a.freshness.max_lag.total_seconds() for a in assets))


def _landing_dag(raw, downstream, settings, alerting) -> DagPlan:
    tasks = _landing_tasks(raw, settings)
    return DagPlan(
        dag_id=landing_dag_id(raw.name),
        kind="landing",
        schedule=landing_schedule(raw),
        tasks=tasks,
        timeout_s=_timeouts(tasks),
        deadline_s=_deadline(raw),
        owner=raw.owner,
        tags=_tags(raw),
        description=f"Land {raw.name} from {raw.source.kind} ({raw.source.name}) and register it.",
        doc_md=asset_doc_md(raw, downstream[raw.name]),
        alerting=alerting,
    )


def _derived_dag(asset, grains, downstream, settings, alerting) -> DagPlan:
    tasks = _derived_tasks(asset, settings)
    return DagPlan(
        dag_id=derived_dag_id(asset.name),
        kind="derived",
        schedule=derived_schedule(asset, grains),
        tasks=tasks,
        timeout_s=_timeouts(tasks),
        deadline_s=_deadline(asset),
        owner=asset.owner,
        tags=_tags(asset),
        description=f"Materialise {asset.name} when {'all' if asset.schedule_on == 'all' else 'any'} of "
                    f"{', '.join(asset.deps)} update, then register it.",
        doc_md=asset_doc_md(asset, downstream[asset.name]),
        alerting=alerting,
    )


def _grouped_dag(raw, curated, graph, downstream, settings, alerting) -> DagPlan:
    tasks = _landing_tasks(raw, settings) + _derived_tasks(curated, settings, after=(REGISTER_RAW,))
    return DagPlan(
        dag_id=grouped_dag_id(raw.name, curated.name),
        kind="grouped",
        schedule=landing_schedule(raw),
        tasks=tasks,
        timeout_s=_timeouts(tasks),
        deadline_s=_deadline(raw, curated),
        owner=curated.owner,
        tags=_tags(raw, curated),
        description=f"Land {raw.name}, then materialise {curated.name} from it.",
        doc_md=asset_doc_md(raw, downstream[raw.name]) + "\n\n" + asset_doc_md(curated, downstream[curated.name]),
        alerting=alerting,
    )


def _freshness_dag(graph, settings, alerting) -> DagPlan:
    tasks = (TaskPlan(FRESHNESS, FRESHNESS, None, _retry(None, settings)),)
    return DagPlan(
        dag_id=FRESHNESS_DAG_ID,
        kind="freshness",
        schedule=Schedule("cron", cron=FRESHNESS_CRON),
        tasks=tasks,
        timeout_s=_timeouts(tasks),
        owner="dados-bh",
        tags=("freshness", "monitoring"),
        description="Evaluate every asset's freshness hourly; alert on each change to failed, never or stale, "
                    "plus a daily digest.",
        doc_md=freshness_doc_md(graph),
        alerting=alerting,
    )
