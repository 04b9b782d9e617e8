"""The app's fixtures: AppTest sessions on a lake, and copies of the built lake a test may change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.app.apptest import SCREENSHOTS, point_at


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    folder = config.stash.get(SCREENSHOTS, None)
    if folder is not None:
        terminalreporter.write_line(f"app screenshots (one per page): {folder}")


@pytest.fixture(autouse=True)
def _fresh_app_caches():
    """Streamlit's caches live as long as the process; every test starts from empty ones."""
    import streamlit as st

    from app import data

    st.cache_data.clear()
    st.cache_resource.clear()
    data.CALLS.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def on_built_lake(built_lake, monkeypatch):
    """The app reads the lake built once per session from the real snapshot (read-only use)."""
    point_at(monkeypatch, built_lake)
    return built_lake


@pytest.fixture
def lake_copy(built_lake, tmp_path, monkeypatch):
    """A copy of the built lake that this test may change; the app reads the copy.

    The catalog stores absolute table locations, so they are rewritten to the copy's folder.
    """
    from lake.settings import get_settings

    target = tmp_path / "lake"
    shutil.copytree(built_lake.lake_dir, target, symlinks=True)
    old, new = Path(built_lake.lake_dir).absolute().as_uri(), target.absolute().as_uri()
    for path in (target / "_catalog").rglob("*.json"):
        text = path.read_text()
        if old in text:
            path.write_text(text.replace(old, new))
    monkeypatch.setenv("BHNAV_ENV", "local")
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(target))
    return get_settings()

