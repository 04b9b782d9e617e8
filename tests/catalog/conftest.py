"""Fixtures of the catalog tests: a fresh local lake, its catalog and the real asset graph."""

from __future__ import annotations

import pytest


@pytest.fixture
def settings(lake_env):
    return lake_env


@pytest.fixture
def catalog(settings):
    from catalog.base import get_catalog

    return get_catalog(settings)


@pytest.fixture(scope="session")
def graph():
    from assets.definitions import load_graph

    return load_graph()
