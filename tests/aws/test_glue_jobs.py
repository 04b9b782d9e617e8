"""Glue jobs in moto: definitions that match the assets, and runs driven to their end state.

moto runs no script and ends every job run SUCCEEDED on its own (its runs go STARTING, RUNNING,
SUCCEEDED). The runs that fail here are failed by the test, in moto's state, as a real run
ending FAILED would be seen by the API: the driver sees it only through GetJobRun.
"""

from __future__ import annotations

import json
import threading

import pytest

from runs.glue_runs import NOT_STARTED, SUCCEEDED, run_on_glue
from tests.fixtures.moto import BUCKET, REGION, moto_api


@pytest.fixture
def glue(aws_env):
    from lake.aws import client

    return client("glue", aws_env)


@pytest.fixture
def graph(aws_env):
    from assets.definitions import load_graph

    return load_graph()


@pytest.fixture
def slow_runs(moto_server):
    """Runs stay STARTING, then RUNNING, for two GetJobRun calls each, as real ones take a while."""
    moto_api(moto_server, "state-manager/set-transition",
             {"model_name": "glue::job_run", "transition": {"progression": "manual", "times": 2}})
    yield
    moto_api(moto_server, "state-manager/unset-transition", {"model_name": "glue::job_run"})


def _moto_job(job_name: str):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.glue.models import glue_backends

    return glue_backends[DEFAULT_ACCOUNT_ID][REGION].jobs[job_name]


class RunFailer:
    """Ends the first run of a job FAILED as soon as it exists (in the in-process moto's state)."""

    def __init__(self, job_name: str):
        self.job_name, self.stop = job_name, threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self.stop.wait(0.005):
            try:
                runs = _moto_job(self.job_name).job_runs
            except KeyError:
                continue
            if runs:
                runs[0].status = "FAILED"
                return

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(5)


def test_job_definitions_match_the_assets(stack_glue_jobs, aws_env, glue, graph):
    from lake.glue_job_spec import job_assets

    selection = ["estacoes_onibus", "acidentes", "acidentes_mensal_regional"]
    result = run_on_glue(selection, aws_env)
    assert result.jobs == {name: "current" for name in ("acidentes", "estacoes_onibus", "acidentes_mensal_regional")}
    for name in selection:
        job = glue.get_job(JobName=f"bhnav-{name}")["Job"]
        arguments = job["DefaultArguments"]
        assert job["GlueVersion"] == "5.1" and job["ExecutionProperty"] == {"MaxConcurrentRuns": 1}
        assert job["Command"]["ScriptLocation"] == f"s3://{BUCKET}/deploy/runs/job.py"
        assert arguments["--datalake-formats"] == "delta"
        assert "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension" in arguments["--conf"]
        assert "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog" in arguments["--conf"]
        assert arguments["--extra-py-files"] == f"s3://{BUCKET}/deploy/bhnav.zip"
        assert arguments["--asset"] == name and arguments["--env"] == "aws" and arguments["--S3_BUCKET"] == BUCKET
        assert (job["WorkerType"], job["NumberOfWorkers"]) == (graph[name].glue_worker_type or "G.1X",
                                                               graph[name].glue_workers or 2)
    assert {a.name for a in job_assets(graph)} >= set(selection)


def test_a_missing_job_is_refused_with_the_way_out(aws_env):
    from runs.glue_runs import JobNotDeployedError

    with pytest.raises(JobNotDeployedError, match=r"Glue job bhnav-estacoes_onibus does not exist .*the stack "
                                                  r"bhnav-lakehouse declares the jobs; deploy it first \(bhnav deploy stack\)"):
        run_on_glue(["estacoes_onibus"], aws_env)


def test_a_job_changed_outside_the_stack_is_refused_not_rewritten(aws_env, glue, graph):
    from lake.glue_job_spec import glue_job_definition
    from runs.glue_runs import JobNotDeployedError

    glue.create_job(**{**glue_job_definition(graph["estacoes_onibus"], aws_env), "NumberOfWorkers": 7})
    with pytest.raises(JobNotDeployedError, match=r"differs from its definition \(NumberOfWorkers\): redeploy"):
        run_on_glue(["estacoes_onibus"], aws_env)
    assert glue.get_job(JobName="bhnav-estacoes_onibus")["Job"]["NumberOfWorkers"] == 7


def test_runs_start_in_topological_order_and_wait_for_their_end(stack_glue_jobs, aws_env, glue, slow_runs):
    events = []
    result = run_on_glue(["acidentes", "acidentes_mensal_regional"], aws_env, force=True,
                         progress=lambda event, run: events.append((event, run.asset, run.state)))
    assert result.ok and result.landings == []
    assert [(e, a) for e, a, _ in events if e in ("started", "finished")] == [
        ("started", "acidentes"), ("finished", "acidentes"),
        ("started", "acidentes_mensal_regional"), ("finished", "acidentes_mensal_regional")]
    assert ("state", "acidentes", "RUNNING") in events, "progress reports the run's states while it waits"
    for run in result.runs:
        remote = glue.get_job_run(JobName=run.job_name, RunId=run.run_id)["JobRun"]
        assert remote["JobRunState"] == SUCCEEDED
        assert remote["Arguments"]["--force"] == "true" and remote["Arguments"]["--asset"] == run.asset


def test_a_failed_run_stops_its_downstream_and_links_its_logs(stack_glue_jobs, aws_env, slow_runs):
    with RunFailer("bhnav-acidentes"):
        result = run_on_glue(["acidentes", "acidentes_mensal_regional", "estacoes_onibus"], aws_env)
    states = {r.asset: r.state for r in result.runs}
    assert states["acidentes"] == "FAILED" and states["acidentes_mensal_regional"] == NOT_STARTED
    failed = result.failed[0]
    assert failed.error.startswith("Asset 'acidentes': Glue run jr_") and "ended FAILED" in failed.error
    assert failed.log_url == (
        f"https://{REGION}.console.aws.amazon.com/cloudwatch/home?region={REGION}#logsV2:log-groups/log-group/"
        # Glue 5.x's output group under the job's --custom-logGroup-prefix, with our security configuration
        f"$252Faws-glue$252Fbhnav$252Facidentes$252Fbhnav-glue-security-role$252Fbhnav-glue-acidentes$252Foutput"
        f"/log-events/{failed.run_id}")
    assert not result.ok


def test_a_job_already_running_is_reported_not_waited_for(stack_glue_jobs, aws_env, glue, slow_runs):
    from lake.glue_job_spec import glue_job_definition
    from assets.definitions import load_graph

    glue.create_job(**glue_job_definition(load_graph()["estacoes_onibus"], aws_env))
    glue.start_job_run(JobName="bhnav-estacoes_onibus")  # stays STARTING: nobody polls it
    result = run_on_glue(["estacoes_onibus"], aws_env)
    assert result.runs[0].state == "ERROR"
    assert result.runs[0].error == "Glue job bhnav-estacoes_onibus could not start: a run of this job is already in progress"


def test_bhnav_materialize_env_aws(stack_glue_jobs, aws_env, slow_runs, monkeypatch):
    from typer.testing import CliRunner

    from app.cli.main import build

    monkeypatch.setenv("BHNAV_ENV", "local")
    runner = CliRunner()
    ok = runner.invoke(build(), ["materialize", "--env", "aws", "--select", "estacoes_onibus", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert [(r["asset"], r["state"]) for r in json.loads(ok.stdout)] == [("estacoes_onibus", "SUCCEEDED")]
    assert "estacoes_onibus: started run jr_" in ok.stderr and "estacoes_onibus: running" in ok.stderr
    with RunFailer("bhnav-acidentes"):
        failed = runner.invoke(build(), ["materialize", "--env", "aws", "--select", "acidentes+"])
    assert failed.exit_code == 1
    assert "Glue run jr_" in failed.stderr and "logs: https://us-east-1.console.aws.amazon.com/cloudwatch/" in failed.stderr
    assert "NOT_STARTED" in failed.stdout


def test_raw_assets_land_into_s3_and_glue_before_any_job_starts(stack_glue_jobs, aws_env, glue, snapshot_dir, monkeypatch):
    from lake.settings import get_settings

    monkeypatch.setenv("BHNAV_SNAPSHOT_DIR", str(snapshot_dir))
    result = run_on_glue(["+estacoes_onibus"], get_settings())
    assert [(r.asset, r.status) for r in result.landings] == [("estacoes_onibus_raw", "success")]
    assert result.ok and [r.asset for r in result.runs] == ["estacoes_onibus"]
    table = glue.get_table(DatabaseName="bhnav_raw", Name="estacoes_onibus_raw")["Table"]
    assert table["Parameters"]["bhnav.last_run_status"] == "success"
    assert [p["Values"] for p in glue.get_partitions(DatabaseName="bhnav_raw", TableName="estacoes_onibus_raw")
            ["Partitions"]] == [[result.landings[0].partitions_written[0].split("=")[1]]]


def test_a_raw_asset_that_cannot_land_starts_no_job(stack_glue_jobs, aws_env, glue, tmp_path, monkeypatch):
    from lake.settings import get_settings

    monkeypatch.setenv("BHNAV_SNAPSHOT_DIR", str(tmp_path))  # an empty snapshot folder
    result = run_on_glue(["+estacoes_onibus"], get_settings())
    assert not result.ok and result.runs == [] and "estacoes_onibus_raw" in result.landing_error
    assert glue.get_job_runs(JobName="bhnav-estacoes_onibus")["JobRuns"] == []
