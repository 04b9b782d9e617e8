"""Driving the app in-process with Streamlit's AppTest, and what every page test asserts."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENTRY = REPO / "app" / "streamlit_app.py"
PAGES = ("navigator", "trends", "assets", "asset", "sql")
SCREENSHOTS = pytest.StashKey[Path]()  # where the browser tests saved this run's screenshots


def point_at(monkeypatch, settings) -> None:
    """Make the app (which reads the settings from the environment) use this lake, served on loopback
    as ``bhnav app`` serves it (an app bound to every interface asks for a login first). The address
    is Streamlit's process-wide option: every in-process run of the tests serves on loopback."""
    from streamlit import config

    config.set_option("server.address", "127.0.0.1")
    monkeypatch.setenv("BHNAV_ENV", "local")
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(settings.lake_dir))
    if settings.snapshot_dir:
        monkeypatch.setenv("BHNAV_SNAPSHOT_DIR", str(settings.snapshot_dir))


def open_page(page: str, *, query: dict | None = None, timeout: float = 120):
    """An AppTest session showing one page of the app (only that page runs)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ENTRY), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(f"views/{page}.py")
    return at.run()


def no_traceback(at) -> None:
    """The page ran to its end: no uncaught exception reached Streamlit."""
    assert not at.exception, f"the page raised: {[e.value for e in at.exception]}"


def errors(at) -> list[str]:
    return [e.value for e in at.error]
