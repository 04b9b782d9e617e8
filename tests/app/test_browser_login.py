"""The login gate in a real browser: ``streamlit run`` with a login required, headless Chromium logs in;
and a query stops when the page session that asked for it ends (the tab goes away).

A small declared lake (no Spark) is enough: the test is about the gate, not the pages."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.app.chromium import Browser, chromium_binary
from tests.app.test_app_cmd import free_port, stop, wait_healthy
from tests.catalog.lake_tables import accident_rows, publish
from tests.catalog.test_query_limits import RUNAWAY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(chromium_binary() is None, reason="chromium is not installed (apt-get install -y chromium)"),
]

PASSWORD = "correct horse battery"
H1 = "[...document.querySelectorAll('h1')].map(h => h.innerText.trim())"
LOGIN_FORM = "!!document.querySelector('input[type=password]')"


@pytest.fixture
def server(lake_env, tmp_path):
    """The app on loopback, a login required (as behind a reverse proxy), its password in the secrets."""
    from assets.definitions import load_graph
    from catalog.base import get_catalog
    from app.cli.app_cmd import command

    rows = [{**row, "velocidade_permitida": 40 + i % 3 * 20} for i, row in enumerate(accident_rows())]
    publish(load_graph()["acidentes"], rows, lake_env, get_catalog(lake_env))
    port = free_port()
    env = {**os.environ, "BHNAV_ENV": "local", "BHNAV_LAKE_DIR": str(lake_env.lake_dir), "HOME": str(tmp_path),
           "BHNAV_APP_LOGIN": "required", "BHNAV_LOCAL_SECRET_APP": json.dumps({"password": PASSWORD}),
           "BHNAV_QUERY_TIMEOUT": "120"}  # far beyond the test: only the session's end stops the runaway
    # The server's output goes to a file: a pipe nobody reads fills up and blocks the server.
    with open(tmp_path / "server.log", "w") as log:
        process = subprocess.Popen(command(port, "127.0.0.1"), env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_healthy(port, process)
        yield f"http://127.0.0.1:{port}", lake_env, process.pid
    finally:
        stop(process)


@pytest.fixture
def browser(tmp_path):
    chromium = Browser(tmp_path / "chromium-profile")
    yield chromium
    chromium.close()


def type_into(browser, selector: str, text: str) -> None:
    browser.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
    browser.call("Input.insertText", text=text)


def log_in(browser, url: str) -> None:
    type_into(browser, "input[aria-label=Name]", "ana")
    type_into(browser, "input[type=password]", PASSWORD)
    browser.evaluate("[...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Log in').click()")
    browser.open(None, "[...document.querySelectorAll('h1')].some(h => h.innerText.trim() === 'SQL')")


def test_a_browser_passes_the_login_gate(server, browser, tmp_path):
    url, settings, _ = server
    browser.open(f"{url}/sql", LOGIN_FORM)
    assert "SQL" not in browser.evaluate(H1) and "Run" not in browser.text()
    log_in(browser, url)
    browser.screenshot(tmp_path / "sql-after-login.png")
    assert not browser.evaluate(LOGIN_FORM)
    assert "Tables you can query" in browser.text()


def test_a_query_ends_when_its_page_session_ends(server, browser):
    import time

    from catalog.query_log import entries

    url, settings, pid = server
    browser.open(f"{url}/sql", LOGIN_FORM)
    log_in(browser, url)
    browser.evaluate("document.querySelector('textarea').select()")
    browser.call("Input.insertText", text=RUNAWAY)
    browser.evaluate("document.querySelector('textarea').blur()")
    time.sleep(1.0)
    browser.evaluate("[...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Run').click()")
    time.sleep(2.0)  # the run has begun
    assert not [e for e in entries(settings) if e.source == "sql-page"], "the runaway ended on its own"
    browser.close()  # the browser goes away: its websocket, and the page session, end
    left = time.monotonic()
    while time.monotonic() - left < 15 and not [e for e in entries(settings) if e.source == "sql-page"]:
        time.sleep(0.25)
    logged = [(e.user, e.outcome) for e in entries(settings) if e.source == "sql-page"]
    assert logged == [("ana", "cancelled")], logged
    assert time.monotonic() - left < 8
    assert server_cpu_seconds_over(pid, 1.0) < 0.3, "the server kept computing after the session ended"


def server_cpu_seconds_over(pid: int, seconds: float) -> float:
    """CPU time (user + system, every thread) the server process spends during the next ``seconds``."""
    import time

    def used() -> float:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    before = used()
    time.sleep(seconds)
    return used() - before
