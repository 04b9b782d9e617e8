"""A local Airflow running the generated DAGs: ``airflow api-server``, ``scheduler`` and
``dag-processor`` on a SQLite database, each in its own process group, stopped cleanly.

What ``bhnav dags up`` runs, and what the real-scheduler tests and the cold-chain benchmark start.
The settings are the ones measured to work on 2 cores (ARCHITECTURE.md): the execution API on
the chosen port (task workers otherwise call localhost:8080), one JWT secret for the three
processes, two task slots, the DAG folder re-read every 2 s, a free port for the log server.
Nothing here imports Airflow: it runs the ``airflow`` command of this Python's environment.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

DAGS_FOLDER = Path(__file__).resolve().parent
REPO = DAGS_FOLDER.parent
COMPONENTS = (("api-server", "--host", "127.0.0.1", "--port", "{port}"), ("scheduler",), ("dag-processor",))


class LocalAirflowError(RuntimeError):
    """The local Airflow did not start or become ready; the message names the component and its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def airflow_environment(home: Path, dags_folder: Path = DAGS_FOLDER, **extra) -> dict[str, str]:
    """The environment of an Airflow process: its own home, our DAG folder, no examples, this
    Python's ``bin`` first, and the project importable (the DAG file imports it)."""
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update({
        "AIRFLOW_HOME": str(home),
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder),
        "PYTHONPATH": str(REPO),
    })
    env.update({k: str(v) for k, v in extra.items()})
    return env


def migrate(env: dict[str, str], timeout: float = 600) -> None:
    """``airflow db migrate`` (creates the SQLite database the first time, upgrades it later)."""
    done = subprocess.run([str(Path(sys.executable).parent / "airflow"), "db", "migrate"], env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-2000:]
        raise LocalAirflowError(f"airflow db migrate failed in {env['AIRFLOW_HOME']}: {tail}")


class LocalAirflow:
    """The three processes; ``stop()`` sends SIGTERM to each group, then SIGKILL after a wait.
    Use it as a context manager so the processes stop even when the caller fails."""

    def __init__(self, home: Path, env: dict[str, str], *, port: int | None = None, paused_at_creation: bool = True):
        self.home = Path(home)
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "AIRFLOW__CORE__PARALLELISM": env.get("AIRFLOW__CORE__PARALLELISM", "2"),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base}/execution/",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": env.get(
                "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION", str(paused_at_creation)),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "2",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.2",
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            # One signing key for all three: without it each process makes its own, and the API
            # server rejects the task workers' tokens ("Signature verification failed").
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
        }
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.token: str | None = None

    def __enter__(self) -> "LocalAirflow":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        try:
            for component in COMPONENTS:
                argv = [str(Path(sys.executable).parent / "airflow"), *(a.format(port=self.port) for a in component)]
                log = open(self.home / f"{component[0]}.log", "w")
                self.processes.append((component[0], subprocess.Popen(
                    argv, env=self.env, cwd=self.home, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)))
        except BaseException:
            self.stop()
            raise

    def stop(self, wait_s: float = 20) -> None:
        for _, process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + wait_s
        for _, process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:  # the group may hold task workers the leader left behind
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)
        self.processes = []

    def exited(self) -> list[tuple[str, int]]:
        return [(name, p.returncode) for name, p in self.processes if p.poll() is not None]

    def logs(self, tail: int = 4000) -> str:
        names = [c[0] for c in COMPONENTS if (self.home / f"{c[0]}.log").exists()]
        return "\n".join(f"--- {name} ---\n{(self.home / f'{name}.log').read_text()[-tail:]}" for name in names)

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 30) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                text = response.read().decode()
                try:
                    return response.status, json.loads(text) if text else {}
                except ValueError:
                    return response.status, {"text": text[:500]}
        except urllib.error.HTTPError as exc:
            return exc.code, {"detail": exc.read().decode()[:500]}
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            return 0, {"detail": str(exc)}

    def login(self) -> bool:
        """Get an API token (the simple auth manager hands an admin one to anyone: all admins)."""
        status, body = self.request("GET", "/auth/token")
        if status in (200, 201) and body.get("access_token"):
            self.token = body["access_token"]
            return True
        return False

    def healthy(self) -> bool:
        status, body = self.request("GET", "/api/v2/monitor/health")
        return status == 200 and all(body.get(c, {}).get("status") == "healthy" for c in ("scheduler", "dag_processor"))

    def poll(self, what: str, check, timeout: float = 240, every: float = 1.0):
        """Poll ``check()`` until it returns a truthy value; LocalAirflowError when a process exits
        or the time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exited():
                name, code = self.exited()[0]
                raise LocalAirflowError(f"airflow {name} exited with {code} while waiting for {what}; "
                                        f"see {self.home / (name + '.log')}")
            value = check()
            if value:
                return value
            time.sleep(every)
        raise LocalAirflowError(f"timed out after {timeout:.0f}s waiting for {what}; logs in {self.home}")

    def wait_ready(self, dag_ids: tuple[str, ...] = (), timeout: float = 300) -> None:
        """Scheduler and DAG processor healthy, a token, the DAGs parsed, the execution API up."""
        self.poll("scheduler and dag-processor healthy", self.healthy, timeout=timeout)
        self.poll("an API token", self.login, timeout=60)
        for dag_id in dag_ids:
            self.poll(f"DAG {dag_id} parsed", lambda d=dag_id: self.request("GET", f"/api/v2/dags/{d}")[0] == 200,
                      timeout=timeout)
        self.poll("the execution API", lambda: self.request("GET", "/execution/health")[0] == 200, timeout=120)
