"""A lake of this test, with the runtime's small test assets (extra_assets/) and their raw files."""

from __future__ import annotations

from pathlib import Path

import pytest

EXTRA_ASSETS = Path(__file__).parent / "extra_assets"

VISITAS_HEADER = "ID;DATA;BAIRRO;VISITANTES;EMAIL;TELEFONE"


def visitas_csv(*rows: str, header: str = VISITAS_HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


class RuntimeLake:
    """Write raw files, run the real runner, read the real tables."""

    def __init__(self, spark, settings, snapshot: Path):
        self.spark, self.settings, self.snapshot = spark, settings, snapshot

    def write_raw(self, file_name: str, text: str) -> None:
        path = self.snapshot / "teste" / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def run(self, *selection: str, force: bool = False):
        from runs.runner import materialize

        return materialize(list(selection), self.settings, force, self.snapshot)

    def run_ok(self, *selection: str, force: bool = False):
        result = self.run(*selection, force=force)
        assert result.ok, f"the run failed: {result.error}"
        return {r.asset: r for r in result.records}

    def asset(self, name: str):
        from runs.runner import graph_for

        return graph_for(self.settings)[name]

    def path(self, name: str) -> str:
        from lake.locations import spark_path, table_uri

        return spark_path(table_uri(self.asset(name), self.settings))

    def table(self, name: str):
        return self.spark.read.format("delta").load(self.path(name))

    def version(self, name: str) -> int:
        from delta.tables import DeltaTable

        return int(DeltaTable.forPath(self.spark, self.path(name)).history(1).first()["version"])

    def catalog(self):
        from catalog.base import get_catalog

        return get_catalog(self.settings)


@pytest.fixture
def runtime_lake(spark, tmp_path, monkeypatch) -> RuntimeLake:
    from lake.settings import get_settings

    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    monkeypatch.setenv("BHNAV_ENV", "local")
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(tmp_path / "lake"))
    monkeypatch.setenv("BHNAV_SNAPSHOT_DIR", str(snapshot))
    monkeypatch.setenv("BHNAV_EXTRA_ASSETS_DIR", str(EXTRA_ASSETS))
    monkeypatch.setenv("BHNAV_PII_SALT", "test-salt")
    return RuntimeLake(spark, get_settings(), snapshot)
