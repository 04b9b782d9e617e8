"""Every generated DAG loads in a real DagBag (a fresh process each time): no import errors, no
deprecation warnings from our code, nothing heavy imported; static files equal the dynamic entry."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assets.definitions import load_graph
from tests.airflow_dags.extra_assets import ANY_OF_TWO, write_extra_assets
from tests.fixtures.airflow import DAGS_FOLDER, REPO, airflow_environment, run_python

PROBE = Path(__file__).with_name("dagbag_probe.py")

# Airflow 3.3 compiles .airflowignore globs with a pathspec class that pathspec 1.x deprecates:
# Airflow's own code warns whenever a DAG folder has an .airflowignore. Nothing else is tolerated.
UPSTREAM_DEPRECATIONS = (("GitWildMatchPattern ('gitwildmatch') is deprecated",
                          ("airflow/_shared/module_loading/file_discovery.py", "pathspec/")),)


def load(folder: Path, home: Path, **env) -> dict:
    out = home / "dagbag.json"
    done = run_python(PROBE, [str(folder), str(out)], airflow_environment(home, folder, **env), timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def ours(warning: dict) -> bool:
    return not any(text in warning["message"] and any(p in warning["file"] for p in files)
                   for text, files in UPSTREAM_DEPRECATIONS)


def plan_ids(**env) -> set[str]:
    code = "from airflow_dags.plan import build_plan; print(' '.join(d.dag_id for d in build_plan().dags))"
    done = subprocess.run([sys.executable, "-c", code], env=airflow_environment(Path("/tmp"), **env), cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize("env", [
    pytest.param({"BHNAV_DAG_GROUPING": "asset"}, id="local-one-dag-per-asset"),
    pytest.param({"BHNAV_DAG_GROUPING": "source"}, id="local-grouped-by-source"),
])
def test_every_generated_dag_loads_cleanly(tmp_path, lake_env, env):
    bag = load(DAGS_FOLDER, tmp_path, BHNAV_LAKE_DIR=lake_env.lake_dir, **env)
    assert bag["import_errors"] == {}
    assert [Path(f).name for f in bag["files"]] == ["bhnav_dags.py"], "only the entry file is a DAG file"
    assert set(bag["dags"]) == plan_ids(BHNAV_LAKE_DIR=lake_env.lake_dir, **env)
    assert [w for w in bag["warnings"] if w["deprecation"] and ours(w)] == []
    assert bag["heavy_modules"] == [], "parsing must not import Spark, pandas, boto3 or DuckDB"


def test_in_aws_the_dags_load_with_glue_jobs_and_sns_alerts(tmp_path, monkeypatch):
    from assets.definitions import load_graph
    from lake.glue_job_spec import glue_job_definition
    from lake.settings import get_settings

    env = {"BHNAV_ENV": "aws", "S3_BUCKET": "bhnav-lake-teste", "AWS_REGION": "sa-east-1",
           "BHNAV_SNS_TOPIC_ARN": "arn:aws:sns:sa-east-1:123456789012:bhnav-alerts"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    expected = glue_job_definition(load_graph()["estacoes_onibus"], get_settings())
    bag = load(DAGS_FOLDER, tmp_path, **env)
    assert bag["import_errors"] == {}
    assert [w for w in bag["warnings"] if w["deprecation"] and ours(w)] == []
    tasks = {t["__var"]["task_id"]: t["__var"] for t in bag["dags"]["bhnav_materialize_estacoes_onibus"]["tasks"]}
    glue = tasks["materialize"]
    assert glue["task_type"] == "GlueJobOperator"
    assert (glue["job_name"], glue["script_location"]) == (expected["Name"], expected["Command"]["ScriptLocation"])
    assert glue["script_location"].startswith("s3://bhnav-lake-teste/")
    assert tasks["register"]["has_on_failure_callback"] is True


def test_a_dag_reads_like_its_asset(tmp_path, lake_env):
    """The rendered objects carry the plan: asset schedule (all / any), outlets, retries, timeout, docs."""
    extra = write_extra_assets(tmp_path / "extra", qualquer=ANY_OF_TWO)
    bag = load(DAGS_FOLDER, tmp_path, BHNAV_LAKE_DIR=lake_env.lake_dir, BHNAV_EXTRA_ASSETS_DIR=extra,
               BHNAV_TASK_TIMEOUT=1800)
    iqvu = bag["dags"]["bhnav_materialize_iqvu_bairro"]
    assert iqvu["timetable"]["__type"] == "airflow.timetables.assets.AssetOrTimeSchedule", "both inputs, or the cadence"
    condition = iqvu["timetable"]["__var"]["asset_condition"]
    assert condition["__type"] == "asset_all"
    assert [(a["name"], a["uri"], a["extra"]["location"]) for a in condition["objects"]] == [
        ("bhnav.bairros", "x-bhnav://curated/bairros", f"{lake_env.lake_dir.as_uri()}/curated/bairros"),
        ("bhnav.iqvu", "x-bhnav://curated/iqvu", f"{lake_env.lake_dir.as_uri()}/curated/iqvu")]
    assert iqvu["timetable"]["__var"]["timetable"]["__var"]["expression"] == load_graph()["iqvu_bairro"].freshness.cron
    either = bag["dags"]["bhnav_materialize_qualquer_estacao"]["timetable"]["__var"]["asset_condition"]
    assert either["__type"] == "asset_any"
    assert [a["name"] for a in either["objects"]] == ["bhnav.estacoes_onibus", "bhnav.paradas_onibus"]
    tasks = {t["__var"]["task_id"]: t["__var"] for t in iqvu["tasks"]}
    register = tasks["register"]
    assert [o["__var"]["name"] for o in register["outlets"]] == ["bhnav.iqvu_bairro"]
    assert (register["retries"], register["retry_delay"], register["retry_exponential_backoff"]) == (2, 300.0, True)
    assert (register["execution_timeout"], register["has_on_failure_callback"]) == (1800.0, True)
    assert tasks["materialize"]["downstream_task_ids"] == ["register"]
    assert set(iqvu["tags"]) == {"zone:analytics", "domain:territorio", "owner:smpu"}
    assert "| `iqvu` | double |" in iqvu["doc_md"]
    landing = bag["dags"]["bhnav_land_estacoes_onibus_raw"]
    assert landing["timetable"]["__type"].endswith("Timetable") and "Cron" in landing["timetable"]["__type"]
    assert landing["timetable"]["__var"]["expression"] == "0 6 1 * *"
    assert landing.get("catchup", False) is False and landing["max_active_runs"] == 1
    assert landing["timetable"]["__var"]["run_immediately"] == 0.0, "the first unpause waits for the next tick"


def test_every_dag_alerts_on_failure_times_out_and_has_its_freshness_deadline(tmp_path, lake_env):
    bag = load(DAGS_FOLDER, tmp_path, BHNAV_LAKE_DIR=lake_env.lake_dir, BHNAV_TASK_TIMEOUT=600)
    landing = bag["dags"]["bhnav_land_acidentes_raw"]
    assert landing["has_on_failure_callback"] is True
    # two tasks, each 1 try + 2 retries of at most 600 s, plus retry delays of 300 s and 600 s
    assert landing["dagrun_timeout"] == 2 * (3 * 600 + 2 * 600)
    [deadline] = landing["deadline"]
    assert deadline["reference"]["reference_type"] == "DagRunQueuedAtDeadline"
    assert deadline["interval"]["__data__"] == load_graph()["acidentes_raw"].freshness.max_lag.total_seconds()
    assert deadline["callback"]["__data__"]["path"] == "airflow_dags.alerts.deadline_missed"
    assert bag["dags"]["bhnav_freshness"].get("deadline") is None, "the freshness DAG is the monitor, not an asset"


def test_in_aws_the_glue_job_waits_in_the_triggerer_not_a_worker_slot(tmp_path):
    env = {"BHNAV_ENV": "aws", "S3_BUCKET": "bhnav-lake-teste", "AWS_REGION": "sa-east-1"}
    bag = load(DAGS_FOLDER, tmp_path, **env)
    glue = bag["operators"]["bhnav_materialize_acidentes"]["materialize"]
    assert (glue["deferrable"], glue["wait_for_completion"]) == (True, True)


@pytest.mark.parametrize("grouping", [pytest.param("asset", id="per-asset"), pytest.param("source", id="by-source")])
def test_static_dag_files_define_the_same_dags_as_the_dynamic_entry(tmp_path, lake_env, grouping):
    env = airflow_environment(tmp_path, BHNAV_LAKE_DIR=lake_env.lake_dir, BHNAV_DAG_GROUPING=grouping)
    out = tmp_path / "static"
    done = subprocess.run([str(Path(sys.executable).parent / "bhnav"), "dags", "render", "--out", str(out)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    static = load(out, tmp_path, BHNAV_LAKE_DIR=lake_env.lake_dir, BHNAV_DAG_GROUPING=grouping)
    dynamic = load(DAGS_FOLDER, tmp_path, BHNAV_LAKE_DIR=lake_env.lake_dir, BHNAV_DAG_GROUPING=grouping)
    assert static["import_errors"] == {}
    assert len(static["files"]) == len(dynamic["dags"])
    assert static["dags"] == dynamic["dags"]


def test_time_partitioned_assets_render_with_airflow_s_partitioned_timetables(tmp_path, lake_env):
    bag = load(DAGS_FOLDER, tmp_path, BHNAV_LAKE_DIR=lake_env.lake_dir)
    landing = bag["dags"]["bhnav_land_acidentes_raw"]["timetable"]
    assert landing["__type"] == "airflow.timetables.trigger.CronPartitionTimetable"
    assert {k: landing["__var"][k] for k in ("expression", "key_format", "run_offset")} == {
        "expression": "0 6 1 1 *", "key_format": "%Y", "run_offset": -1}, "a run per year, for the year just ended"
    monthly = bag["dags"]["bhnav_materialize_acidentes"]["timetable"]
    assert monthly["__type"] == "airflow.timetables.simple.PartitionedAssetTimetable"
    fan_out = monthly["__var"]["default_partition_mapper"]
    assert fan_out["__type"].endswith(".FanOutMapper")
    assert (fan_out["__var"]["upstream_mapper"]["__var"]["input_format"], fan_out["__var"]["window"]["__type"],
            fan_out["__var"]["downstream_mapper"]["__var"]["output_format"]) == (
        "%Y", "airflow.partition_mappers.window.YearWindow", "%Y-%m"), "a yearly file into its twelve months"
    rollup = bag["dags"]["bhnav_materialize_acidentes_mensal_regional"]["timetable"]["__var"]["default_partition_mapper"]
    assert rollup["__type"].endswith(".RollupMapper")
    assert (rollup["__var"]["upstream_mapper"]["__var"]["input_format"],
            rollup["__var"]["upstream_mapper"]["__var"]["output_format"]) == ("%Y-%m", "%Y"), "months into their year"
