"""The login gate in a real browser: ``streamlit run`` with a login required, headless Chromium logs in.

A small declared lake (no Spark) is enough: the test is about the gate, not the pages."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.app.chromium import Browser, chromium_binary
from tests.app.test_app_cmd import free_port, stop, wait_healthy
from tests.catalog.lake_tables import accident_rows, publish

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

    publish(load_graph()["acidentes"], accident_rows(per_month=20), lake_env, get_catalog(lake_env))
    port = free_port()
    env = {**os.environ, "BHNAV_ENV": "local", "BHNAV_LAKE_DIR": str(lake_env.lake_dir), "HOME": str(tmp_path),
           "BHNAV_APP_LOGIN": "required", "BHNAV_LOCAL_SECRET_APP": json.dumps({"password": PASSWORD})}
    process = subprocess.Popen(command(port, "127.0.0.1"), env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_healthy(port, process)
        yield f"http://127.0.0.1:{port}", lake_env
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


def test_a_browser_passes_the_login_gate(server, browser, tmp_path):
    url, settings = server
    browser.open(f"{url}/sql", LOGIN_FORM)
    assert "SQL" not in browser.evaluate(H1) and "Run" not in browser.text()
    type_into(browser, "input[aria-label=Name]", "ana")
    type_into(browser, "input[type=password]", PASSWORD)
    browser.evaluate("[...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Log in').click()")
    browser.open(None, "[...document.querySelectorAll('h1')].some(h => h.innerText.trim() === 'SQL')")
    browser.screenshot(tmp_path / "sql-after-login.png")
    assert not browser.evaluate(LOGIN_FORM)
    assert "Tables you can query" in browser.text()
