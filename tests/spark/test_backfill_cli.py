"""``bhnav backfill`` end to end: only the partitions of the asked period are rewritten."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.spark.conftest import visitas_csv

pytestmark = pytest.mark.spark


def _files_by_month(path: str) -> dict[int, set[str]]:
    import pyarrow as pa
    from deltalake import DeltaTable

    actions = pa.table(DeltaTable(path.removeprefix("file:")).get_add_actions(flatten=True))
    found: dict[int, set[str]] = {}
    for file, month in zip(actions.column("path").to_pylist(), actions.column("partition.mes").to_pylist()):
        found.setdefault(int(month), set()).add(file)
    return found


def test_backfill_rewrites_only_the_months_of_its_period(runtime_lake):
    from app.cli.main import build

    runtime_lake.write_raw("visitas.csv", visitas_csv("1;05/01/2024;Centro;10;a@example.org;1",
                                                      "2;06/02/2024;Centro;12;b@example.org;2"))
    runtime_lake.run_ok("+visitas")
    before = _files_by_month(runtime_lake.path("visitas"))
    result = CliRunner().invoke(build(), ["backfill", "--select", "visitas", "--from", "2024-01", "--to", "2024-01",
                                          "--snapshot", str(runtime_lake.snapshot), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["asset"]: r for r in json.loads(result.stdout)}
    assert rows["visitas"]["status"] == "success"
    after = _files_by_month(runtime_lake.path("visitas"))
    assert after[2] == before[2], "February lies outside the period: its files keep their names"
    assert after[1] and after[1] != before[1], "January was rewritten"
    assert runtime_lake.table("visitas").count() == 2
