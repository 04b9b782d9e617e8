"""``bhnav app``: the command serves the app on the port it is given."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.app.apptest import REPO

BHNAV = Path(sys.executable).with_name("bhnav")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the app exited with {process.returncode}: {process.stdout.read()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"the app did not answer on port {port} within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


@pytest.mark.parametrize("port", [pytest.param("0", id="zero"), pytest.param("70000", id="too-large")])
def test_app_refuses_a_port_that_is_not_a_tcp_port(port):
    done = subprocess.run([str(BHNAV), "app", "--port", port], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"--port {port} is not a TCP port" in done.stderr


@pytest.mark.slow
def test_bhnav_app_serves_the_app_on_the_given_port(lake_env, tmp_path):
    port = free_port()
    env = {**os.environ, "BHNAV_LAKE_DIR": str(lake_env.lake_dir), "HOME": str(tmp_path)}
    process = subprocess.Popen([str(BHNAV), "app", "--port", str(port), "--address", "127.0.0.1"],
                               cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        wait_healthy(port, process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert "<div id=\"root\">" in response.read().decode()
    finally:
        stop(process)
    assert f"BH Strategic Navigator on http://localhost:{port}" in process.stdout.read()


@pytest.mark.slow
def test_bhnav_app_listens_on_loopback_only_by_default(lake_env, tmp_path):
    import ipaddress

    from tests.support.listening import listening

    port = free_port()
    env = {**os.environ, "BHNAV_LAKE_DIR": str(lake_env.lake_dir), "HOME": str(tmp_path)}
    process = subprocess.Popen([str(BHNAV), "app", "--port", str(port)], cwd=REPO, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_healthy(port, process)
        sockets = listening(process.pid)
    finally:
        stop(process)
    assert port in {p for _, p in sockets}, sockets
    assert all(ipaddress.ip_address(address).is_loopback for address, _ in sockets), sockets


@pytest.mark.parametrize("address", [pytest.param("0.0.0.0", id="every-interface"),
                                     pytest.param("10.1.2.3", id="one-interface")])
def test_bhnav_app_refuses_to_serve_beyond_loopback_without_a_login(address, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "BHNAV_LOCAL_SECRET_APP"}
    done = subprocess.run([str(BHNAV), "app", "--address", address, "--port", str(free_port())], cwd=tmp_path,
                          env={**env, "HOME": str(tmp_path)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"--address {address}: serving beyond this machine needs a login" in done.stderr
