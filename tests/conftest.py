"""Shared fixtures live in tests/fixtures/ as plugins, one module per concern."""

pytest_plugins = [
    "tests.fixtures.airflow",
    "tests.fixtures.lake",
    "tests.fixtures.moto",
    "tests.fixtures.servers",
    "tests.fixtures.spark",
]
