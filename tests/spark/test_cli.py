"""``bhnav materialize`` end to end through the command line (in-process, the test's Spark)."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from tests.spark.conftest import visitas_csv


def bhnav(*args: str):
    from app.cli.main import build

    return CliRunner().invoke(build(), list(args))


def test_materialize_prints_each_asset_then_skips_on_rerun(runtime_lake):
    runtime_lake.write_raw("visitas.csv", visitas_csv("1;05/01/2024;Centro;10;a@example.org;1",
                                                      "2;06/01/2024;Centro;muitos;b@example.org;2",
                                                      # under the audit's 2% quarantine share
                                                      *(f"{i};07/01/2024;Centro;1;c{i}@example.org;{i}"
                                                        for i in range(3, 62))))
    first = bhnav("materialize", "--select", "+visitas", "--snapshot", str(runtime_lake.snapshot), "--format", "json")
    assert first.exit_code == 0, first.output
    rows = {r["asset"]: r for r in json.loads(first.stdout)}
    assert (rows["visitas"]["status"], rows["visitas"]["rows"], rows["visitas"]["quarantined"]) == ("success", 60, 1)
    assert rows["visitas_raw"]["status"] == "success" and rows["visitas"]["delta_version"] == 0

    again = bhnav("materialize", "--select", "+visitas", "--snapshot", str(runtime_lake.snapshot), "--format", "csv")
    assert again.exit_code == 0, again.output
    table = list(csv.DictReader(io.StringIO(again.stdout[again.stdout.index("asset,"):])))
    assert [(r["asset"], r["status"], r["note"]) for r in table] == [
        ("visitas_raw", "skipped", "unchanged file"), ("visitas", "skipped", "unchanged inputs and code")]


def test_failure_exits_non_zero_with_one_line_error(runtime_lake):
    runtime_lake.write_raw("visitas.csv", visitas_csv("1;05/01/2024;Centro;-1;a@example.org;1"))
    result = bhnav("materialize", "--select", "+visitas", "--snapshot", str(runtime_lake.snapshot))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Asset 'visitas': blocking check failed" in errors[0]


def test_unknown_selection_is_a_clear_error(runtime_lake):
    result = bhnav("materialize", "--select", "visitass+")
    assert result.exit_code == 1 and "No asset named 'visitass'" in result.output
