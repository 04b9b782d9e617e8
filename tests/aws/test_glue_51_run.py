"""The Glue job run exactly as AWS Glue 5.1 runs it, against moto's S3 and Glue.

What Glue does with a job run, done here step by step:

- the code comes from the deploy artifacts: ``bhnav deploy package`` uploads the zip and the entry
  script; the job definition is the one the stack declares (``lake.glue_job_spec``), stored in Glue;
- Glue downloads ``Command.ScriptLocation`` and ``--extra-py-files`` and runs
  ``spark-submit --py-files <zip> <script> <arguments>``, with Delta's jars on the classpath
  (``--datalake-formats delta``: delta-spark_2.12 and delta-storage 3.3.2, the versions of Glue 5.1),
  the job's ``--conf`` values, and its own S3 file system;
- the script's Python is Glue's: Python 3.11 holding only the modules AWS documents for Glue 5.1
  (tests/aws/glue-5.1-python-modules.txt) plus the job's ``--additional-python-modules``; nothing of
  this project's virtual environment (no delta-spark pip package, no typer, no PYTHONPATH).

That Python environment and the jars are built once and cached (``$BHNAV_CACHE_DIR``, else
``~/.cache/bhnav``), keyed by what they hold. The only things pointing at the emulator are the ones
AWS would provide: the endpoint and the credentials.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.fixtures.moto import BUCKET, REGION

pytestmark = [pytest.mark.spark, pytest.mark.slow]

ASSET = "estacoes_onibus"
MODULES_FILE = Path(__file__).with_name("glue-5.1-python-modules.txt")
# --datalake-formats delta on Glue 5.1: Delta Lake 3.3.2, for Scala 2.12.
DELTA_JARS = ("io.delta:delta-spark_2.12:3.3.2", "io.delta:delta-storage:3.3.2")  # delta-spark first
# Glue's own S3 access, as the Hadoop inside Spark 3.5 (3.3.4) takes it.
S3_JARS = ("org.apache.hadoop:hadoop-aws:3.3.4", "com.amazonaws:aws-java-sdk-bundle:1.12.262")
# Arguments Glue itself consumes to set up the run; every other one reaches the script.
GLUE_CONSUMED = ("--job-language", "--datalake-formats", "--conf", "--extra-py-files", "--additional-python-modules",
                 "--enable-glue-datacatalog", "--enable-metrics", "--custom-logGroup-prefix")


def _cache_root() -> Path:
    return Path(os.environ.get("BHNAV_CACHE_DIR") or Path.home() / ".cache" / "bhnav")


@contextmanager
def _locked(path: Path):
    """One builder at a time (two test sessions on one machine share the cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _run(command: list[str], what: str, **kwargs) -> None:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        pytest.fail(f"{what} failed ({' '.join(command[:4])} ...): {result.stderr[-2000:] or result.stdout[-2000:]}",
                    pytrace=False)


def _additional_modules() -> list[str]:
    from lake.glue_job_spec import spatial_modules

    return spatial_modules().split(",")


@pytest.fixture(scope="session")
def glue_python() -> Path:
    """The interpreter of a Glue 5.1 Python environment: the documented modules, then the job's
    additional ones, installed the way Glue installs them (pip, from the package index)."""
    additional = _additional_modules()
    key = hashlib.sha256((MODULES_FILE.read_text() + "\n".join(additional)).encode()).hexdigest()[:16]
    home = _cache_root() / f"glue-5.1-python-{key}"
    python = home / "bin" / "python"
    with _locked(home):
        if not python.exists():
            scratch = home.with_name(home.name + ".building")
            shutil.rmtree(scratch, ignore_errors=True)
            # sys.executable is this project's venv: venv makes the new one from its base Python 3.11.
            _run([sys.executable, "-m", "venv", str(scratch)], "creating the Glue 5.1 Python environment")
            pip = [str(scratch / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            # Exactly the documented set: --no-deps, so nothing else slips in.
            _run(pip + ["--no-deps", "-r", str(MODULES_FILE)], "installing Glue 5.1's modules")
            _run(pip + additional, "installing the job's --additional-python-modules")
            _run([str(scratch / "bin" / "python"), "-m", "pip", "check"], "checking the Glue 5.1 environment")
            scratch.rename(home)  # only a complete environment gets the cached name
    return python


@pytest.fixture(scope="session")
def glue_jars() -> list[Path]:
    """Delta's jars as --datalake-formats puts them on the classpath, and the S3 file system's;
    fetched once from Maven Central."""
    folder = _cache_root() / "glue-5.1-jars"
    wanted = DELTA_JARS + S3_JARS
    jars = [folder / f"{c.split(':')[1]}-{c.split(':')[2]}.jar" for c in wanted]
    with _locked(folder):
        for coordinates, jar in zip(wanted, jars):
            if jar.exists():
                continue
            if shutil.which("mvn") is None:
                pytest.fail("mvn is not on PATH: the Glue-shaped run fetches its jars with `mvn dependency:copy`; "
                            "install Maven (apt-get install maven)", pytrace=False)
            _run(["mvn", "-q", "-B", "dependency:copy", f"-Dartifact={coordinates}",
                  f"-DoutputDirectory={folder}"], f"fetching {coordinates}")
    return jars


def _spark_home() -> Path:
    """Spark 3.5.6's distribution (the pyspark package holds one): bin/spark-submit, jars/, python/lib."""
    import pyspark

    return Path(pyspark.__file__).parent


def _deploy(aws_env) -> dict:
    """The deploy code's artifacts in S3, and the job the stack declares, stored in (moto's) Glue."""
    from typer.testing import CliRunner

    from app.cli.main import build
    from assets.definitions import load_graph
    from lake.aws import client
    from lake.glue_job_spec import glue_job_definition

    result = CliRunner().invoke(build(), ["deploy", "package", "--format", "json"])
    assert result.exit_code == 0, result.output
    glue = client("glue", aws_env)
    definition = glue_job_definition(load_graph()[ASSET], aws_env)
    glue.create_job(**definition)
    return glue.get_job(JobName=definition["Name"])["Job"]


def _download(s3, uri: str, folder: Path) -> Path:
    bucket, key = uri[len("s3://"):].split("/", 1)
    target = folder / key.rsplit("/", 1)[-1]
    s3.download_file(bucket, key, str(target))
    return target


def _glue_command(job: dict, run_id: str, script: Path, zip_path: Path, jars: list[Path], endpoint: str) -> list[str]:
    """spark-submit as Glue builds it from the stored job: its --conf values, the zip, the script and
    the script's arguments (Glue's own run identity first)."""
    arguments = job["DefaultArguments"]
    assert arguments["--datalake-formats"] == "delta"
    # --datalake-formats delta: the Delta jars on the classpath, and delta-spark's Python API
    # (``delta.tables``, inside its jar) importable, as Glue's Delta examples use it.
    command = [str(_spark_home() / "bin" / "spark-submit"), "--master", "local[2]", "--driver-memory", "1g",
               "--jars", ",".join(str(j) for j in jars), "--py-files", f"{zip_path},{jars[0]}"]
    for conf in arguments["--conf"].split(" --conf "):
        command += ["--conf", conf.strip()]
    # What AWS's side provides: its S3 endpoint (here the emulator's), reached path-style.
    command += ["--conf", f"spark.hadoop.fs.s3a.endpoint={endpoint}", "--conf", "spark.hadoop.fs.s3a.path.style.access=true",
                "--conf", "spark.hadoop.fs.s3a.connection.ssl.enabled=false",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.driver.host=127.0.0.1"]
    command.append(str(script))
    command += ["--JOB_ID", "j_test", "--JOB_RUN_ID", run_id, "--JOB_NAME", job["Name"]]
    for name, value in arguments.items():
        if name not in GLUE_CONSUMED:
            command += [name, value]
    return command


def _glue_environment(glue_python: Path, endpoint: str) -> dict[str, str]:
    """The driver's environment: Glue's Python and the role's credentials; nothing of ours."""
    environment = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "PYSPARK_PYTHON": str(glue_python),
        "PYSPARK_DRIVER_PYTHON": str(glue_python),
        "SPARK_HOME": str(_spark_home()),
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": endpoint,
    }
    if os.environ.get("JAVA_HOME"):
        environment["JAVA_HOME"] = os.environ["JAVA_HOME"]
    return environment


def _not_info(log: str) -> str:
    return "\n".join(line for line in log.splitlines() if " INFO " not in line)


def _glue_run(aws_env, snapshot_dir, moto_server, s3, glue_python, glue_jars, tmp_path, *, conf_filter=None):
    """Land the raw input, deploy, then run the stored job as Glue runs it; returns (job, process)."""
    from lake.aws import client
    from landing.lander import land_asset

    assert land_asset(f"{ASSET}_raw", aws_env, snapshot_dir=snapshot_dir).landed
    job = _deploy(aws_env)
    if conf_filter is not None:
        job["DefaultArguments"]["--conf"] = conf_filter(job["DefaultArguments"]["--conf"])
    run_id = client("glue", aws_env).start_job_run(JobName=job["Name"])["JobRunId"]
    script = _download(s3, job["Command"]["ScriptLocation"], tmp_path)
    zip_path = _download(s3, job["DefaultArguments"]["--extra-py-files"], tmp_path)
    run = subprocess.run(_glue_command(job, run_id, script, zip_path, glue_jars, moto_server),
                         env=_glue_environment(glue_python, moto_server), cwd=tmp_path,
                         capture_output=True, text=True, timeout=900)
    return job, run


def test_the_glue_job_writes_the_curated_table_when_run_as_glue_5_1_runs_it(
        aws_env, snapshot_dir, moto_server, s3, glue_python, glue_jars, tmp_path):
    from lake.aws import client

    _, run = _glue_run(aws_env, snapshot_dir, moto_server, s3, glue_python, glue_jars, tmp_path)

    assert run.returncode == 0, run.stdout[-2000:] + _not_info(run.stderr)[-4000:]
    rows = int(run.stdout.split("rows=")[1].split()[0])
    assert rows >= 10, run.stdout
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=f"curated/{ASSET}/")["Contents"]]
    assert f"curated/{ASSET}/_delta_log/00000000000000000000.json" in keys
    table = client("glue", aws_env).get_table(DatabaseName=aws_env.database("curated"), Name=ASSET)["Table"]
    assert table["Parameters"]["table_type"] == "DELTA" and table["Parameters"]["bhnav.rows"] == str(rows)


def test_a_glue_session_without_the_delta_extension_is_refused_in_one_line(
        aws_env, snapshot_dir, moto_server, s3, glue_python, glue_jars, tmp_path):
    """The job takes Glue's session as given, so a job stored without Delta's --conf must say so."""
    def without_extension(conf: str) -> str:
        return " --conf ".join(c for c in conf.split(" --conf ") if not c.startswith("spark.sql.extensions="))

    _, run = _glue_run(aws_env, snapshot_dir, moto_server, s3, glue_python, glue_jars, tmp_path,
                       conf_filter=without_extension)
    assert run.returncode == 1
    # spark-submit merges the Python driver's stderr into its stdout (Glue: the output log group).
    errors = [line for line in run.stdout.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, run.stdout[-3000:] + _not_info(run.stderr)[-3000:]
    assert "has no Delta extension" in errors[0] and "--datalake-formats delta" in errors[0]
    assert "Traceback" not in run.stdout


def test_the_glue_python_environment_holds_no_module_of_our_virtual_environment(glue_python):
    """The run above proves nothing if Glue's Python could import what only our venv has."""
    probe = subprocess.run([str(glue_python), "-c", "import importlib.util as u; "
                            "print([m for m in ('delta', 'typer', 'pyspark', 'duckdb') if u.find_spec(m)])"],
                           capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert probe.returncode == 0 and probe.stdout.strip() == "[]", probe.stdout + probe.stderr
