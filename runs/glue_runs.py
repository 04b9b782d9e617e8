"""Materialisation on AWS Glue: one job per derived asset, runs started in topological order.

``run_on_glue(selection, settings)`` checks that each selected asset's job is the one the stack
declared from ``lake.glue_job_spec.glue_job_definition`` (the stack owns jobs; this code never
creates or changes one, and says to deploy the stack when a job is missing or stale), then starts a
run of every asset whose selected upstream assets have succeeded, polls the runs and reports each
state change. Assets that do not depend on each other run at the same time; the first failure
stops new starts (what already runs finishes), like the local runner. A failed run carries the
CloudWatch link of its log stream. Run arguments are ``--force`` at most: the job's own
arguments hold the asset and non-secret settings only.

Raw assets in the selection are not Glue's: they land first, from this process, into S3 and
are registered in the Glue Data Catalog (``runs.raw_step.land_raw``, as the local runner does);
a landing that fails stops the run before any job starts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

if TYPE_CHECKING:
    from assets.asset import Asset
    from assets.graph import AssetGraph
    from lake.settings import Settings

SUCCEEDED = "SUCCEEDED"
FAILED_STATES = ("FAILED", "TIMEOUT", "STOPPED", "ERROR", "EXPIRED")
NOT_STARTED = "NOT_STARTED"  # an upstream asset failed, so this one never started
TERMINAL = (SUCCEEDED, NOT_STARTED, *FAILED_STATES)


@dataclass
class JobRun:
    asset: str
    job_name: str
    run_id: str | None = None
    state: str = "PENDING"
    error: str | None = None
    arguments: dict[str, str] = field(default_factory=dict)
    log_url: str | None = None
    started_at: float | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.state == SUCCEEDED

    @property
    def finished(self) -> bool:
        return self.state in TERMINAL


# progress(event, run): event is "deployed", "started", "state" (a new state) or "finished"
Progress = Callable[[str, JobRun], None]


@dataclass
class GlueRunResult:
    selected: tuple[str, ...]
    runs: list[JobRun] = field(default_factory=list)
    jobs: dict[str, str] = field(default_factory=dict)  # asset -> "current" (the stack's job, checked)
    landings: list = field(default_factory=list)  # MaterializationRecord of each raw asset landed first
    landing_error: str | None = None

    @property
    def failed(self) -> list[JobRun]:
        return [r for r in self.runs if r.state in FAILED_STATES]

    @property
    def ok(self) -> bool:
        return self.landing_error is None and all(r.ok for r in self.runs)


def log_url(asset: "Asset", settings: "Settings", run_id: str) -> str:
    """The CloudWatch console page of a run's driver log (the output group Glue 5.x writes it to)."""
    from lake.aws_names import job_log_group

    def console(text: str) -> str:  # the console's fragment encoding: URL-encoded twice, '%' as '$'
        return quote(quote(text, safe=""), safe="").replace("%", "$")

    region = settings.aws_region
    return (f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#logsV2:log-groups/log-group/"
            f"{console(job_log_group(asset, settings))}/log-events/{console(run_id)}")


class JobNotDeployedError(ValueError):
    """A selected asset's Glue job is missing or differs from its definition: the stack owns jobs."""


def check_jobs(assets: "list[Asset]", settings: "Settings", glue) -> dict[str, str]:
    """Each asset's job as the stack declared it (read-only: the stack is the jobs' one owner, this
    code only starts runs). ``{asset: "current"}``, or JobNotDeployedError naming the way out."""
    from botocore.exceptions import ClientError

    from lake.aws import error_code
    from lake.aws_names import stack_name
    from lake.glue_job_spec import glue_job_definition, job_update

    found = {}
    for asset in assets:
        definition = glue_job_definition(asset, settings)
        try:
            current = glue.get_job(JobName=definition["Name"])["Job"]
        except ClientError as exc:
            if error_code(exc) != "EntityNotFoundException":
                raise
            raise JobNotDeployedError(
                f"Glue job {definition['Name']} does not exist in {settings.aws_region}: the stack "
                f"{stack_name(settings)} declares the jobs; deploy it first (bhnav deploy stack)") from None
        wanted = job_update(definition)["JobUpdate"]
        differing = sorted(key for key, value in wanted.items() if not _contains(current.get(key), value))
        if differing:
            raise JobNotDeployedError(
                f"Glue job {definition['Name']} differs from its definition ({', '.join(differing)}): redeploy "
                f"the stack {stack_name(settings)} (bhnav deploy stack); jobs are not changed outside it")
        found[asset.name] = "current"
    return found


def _contains(current, wanted) -> bool:
    """Every value we set is already the job's (Glue adds defaults of its own, ignored here)."""
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(_contains(current.get(k), v) for k, v in wanted.items())
    return current == wanted


class _Driver:
    def __init__(self, graph: "AssetGraph", names: tuple[str, ...], settings: "Settings", glue, force: bool,
                 progress: Progress | None):
        from lake.aws_names import job_name

        self.graph, self.settings, self.glue, self.progress = graph, settings, glue, progress or (lambda *_: None)
        self.arguments = {"--force": "true"} if force else {}
        self.runs = {n: JobRun(asset=n, job_name=job_name(graph[n], settings)) for n in names}
        self.order = names

    def _emit(self, event: str, run: JobRun) -> None:
        self.progress(event, run)

    def ready(self, name: str) -> str:
        """"yes", "no" (an upstream run is unfinished) or "blocked" (an upstream run failed)."""
        upstream = [self.runs[d] for d in self.graph[name].deps if d in self.runs]
        if any(r.finished and not r.ok for r in upstream):
            return "blocked"
        return "yes" if all(r.ok for r in upstream) else "no"

    def start(self, run: JobRun) -> None:
        from botocore.exceptions import ClientError

        from lake.aws import error_code

        run.started_at = time.monotonic()
        run.arguments = dict(self.arguments)
        try:
            run.run_id = self.glue.start_job_run(JobName=run.job_name, Arguments=run.arguments)["JobRunId"]
            run.state = "STARTING"
            self._emit("started", run)
        except ClientError as exc:
            code = error_code(exc)
            reason = "a run of this job is already in progress" if code == "ConcurrentRunsExceededException" else code
            self._finish(run, "ERROR", f"Glue job {run.job_name} could not start: {reason}")

    def poll(self, run: JobRun) -> None:
        answer = self.glue.get_job_run(JobName=run.job_name, RunId=run.run_id)["JobRun"]
        state = answer["JobRunState"]
        if state == run.state:
            return
        if state == SUCCEEDED:
            self._finish(run, state)
        elif state in FAILED_STATES:
            message = answer.get("ErrorMessage") or f"the run ended {state}"
            run.log_url = log_url(self.graph[run.asset], self.settings, run.run_id)
            self._finish(run, state, f"Asset {run.asset!r}: Glue run {run.run_id} of {run.job_name}: {message}")
        else:
            run.state = state
            self._emit("state", run)

    def _finish(self, run: JobRun, state: str, error: str | None = None) -> None:
        run.state, run.error = state, error
        if run.started_at is not None:
            run.seconds = time.monotonic() - run.started_at
        self._emit("finished", run)

    def drive(self, sleep: Callable[[float], None]) -> None:
        pending = list(self.order)
        while True:
            stopped = any(r.finished and not r.ok for r in self.runs.values())
            for name in list(pending):
                verdict = "blocked" if stopped else self.ready(name)
                if verdict == "no":
                    continue
                pending.remove(name)
                if verdict == "blocked":
                    self._finish(self.runs[name], NOT_STARTED, "not started: an earlier run failed")
                else:
                    self.start(self.runs[name])
            running = [r for r in self.runs.values() if r.run_id and not r.finished]
            if not running and not pending:
                return
            for run in running:
                self.poll(run)
            if any(not r.finished for r in running):
                sleep(self.settings.glue_poll_s)


def run_on_glue(selection: list[str] | tuple[str, ...] | None, settings: "Settings", *, force: bool = False,
                progress: Progress | None = None, sleep: Callable[[float], None] = time.sleep,
                graph: "AssetGraph | None" = None, landing_progress: Callable | None = None) -> GlueRunResult:
    """Run the selected derived assets' jobs (the stack's) in topological order until all end."""
    from assets.definitions import load_graph
    from lake.aws import client

    graph = graph or load_graph()
    names = graph.select(list(selection or ()))
    derived = tuple(n for n in names if not graph[n].is_raw)
    glue = client("glue", settings)
    result = GlueRunResult(selected=names)
    if not _land(graph, [n for n in names if graph[n].is_raw], settings, result, landing_progress):
        return result
    result.jobs = check_jobs([graph[n] for n in derived], settings, glue)
    driver = _Driver(graph, derived, settings, glue, force, progress)
    for name in derived:
        driver._emit("deployed", driver.runs[name])
    driver.drive(sleep)
    result.runs = [driver.runs[n] for n in derived]
    return result


def _land(graph: "AssetGraph", names: list[str], settings: "Settings", result: GlueRunResult,
          progress: Callable | None) -> bool:
    """Land the raw assets (registering them in Glue); False when one fails."""
    from catalog.base import get_catalog
    from spark.materialize import MaterializationError
    from runs.raw_step import land_raw

    catalog = get_catalog(settings)
    for name in names:
        try:
            record = land_raw(graph[name], settings, catalog=catalog)
        except MaterializationError as exc:
            result.landings.append(exc.record)
            result.landing_error = str(exc)
            if progress:
                progress(exc.record)
            return False
        result.landings.append(record)
        if progress:
            progress(record)
    return True
