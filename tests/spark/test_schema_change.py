"""An incompatible schema change fails before anything is written, unless --allow-breaking."""

from __future__ import annotations

import pytest

from tests.spark.conftest import EXTRA_ASSETS, visitas_csv


@pytest.fixture
def narrowed_assets(tmp_path):
    """The same test assets with ``visitantes`` declared string instead of int (a changed type)."""
    folder = tmp_path / "assets_v2"
    folder.mkdir()
    source = (EXTRA_ASSETS / "runtime_test_assets.py").read_text()
    changed = source.replace('col("visitantes", "int", "Visitors."),', 'col("visitantes", "string", "Visitors."),')
    assert changed != source
    (folder / "runtime_test_assets.py").write_text(changed)
    return folder


def test_breaking_change_is_refused_then_accepted_with_allow_breaking(runtime_lake, narrowed_assets, monkeypatch):
    from lake.settings import get_settings
    from spark.materialize import MaterializationError
    from runs.runner import materialize

    runtime_lake.write_raw("visitas.csv", visitas_csv("1;05/01/2024;Centro;10;a@example.org;1"))
    first = runtime_lake.run_ok("+visitas")["visitas"]
    monkeypatch.setenv("BHNAV_EXTRA_ASSETS_DIR", str(narrowed_assets))
    settings = get_settings()

    refused = materialize(["visitas"], settings)
    with pytest.raises(MaterializationError, match=r"incompatible schema change: BREAKING ~ visitantes type: int -> string"):
        raise refused.error
    assert runtime_lake.version("visitas") == first.delta_version

    accepted = materialize(["visitas"], settings, allow_breaking=True)
    assert accepted.ok, accepted.error
    assert dict(runtime_lake.table("visitas").dtypes)["visitantes"] == "string"
    assert accepted.records[0].notes["write_mode"] == "overwrite"
