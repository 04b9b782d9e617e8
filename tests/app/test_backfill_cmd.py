"""``bhnav backfill``: what it refuses before any Spark work, each in one line naming the way out."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner


def bhnav(*args: str):
    from app.cli.main import build

    return CliRunner().invoke(build(), list(args))


def _error_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(("first", "last", "match"), [
    pytest.param("2016-13", "2018-12", "backfill --from: '2016-13' is not a calendar period; write 2019, 2019-03",
                 id="month-13"),
    pytest.param("2016-01", "dezembro", "backfill --to: 'dezembro' is not a period; write 2019, 2019-03",
                 id="a-word"),
    pytest.param("2016/01", "2018-12", "backfill --from: '2016/01' is not a period", id="slashes"),
    pytest.param("2018-12", "2016-01", "backfill --to 2016-01 ends before --from 2018-12 starts; swap them",
                 id="to-before-from"),
])
def test_a_bad_period_is_refused_in_one_line(lake_env, first, last, match):
    result = bhnav("backfill", "--select", "acidentes", "--from", first, "--to", last)
    assert result.exit_code == 1
    errors = _error_lines(result)
    assert len(errors) == 1 and match in errors[0], result.output


def test_a_table_without_time_partitions_is_refused_naming_the_way_out(lake_env):
    result = bhnav("backfill", "--select", "bairros", "--from", "2016", "--to", "2018")
    assert result.exit_code == 1
    assert _error_lines(result) == [
        "error: Asset 'bairros': a backfill rewrites a period of a time-partitioned table, and bairros has no time "
        "partitions. Rebuild it whole with `bhnav materialize --select bairros --force`."]


@pytest.mark.parametrize(("args", "match"), [
    pytest.param(("--select", "acidentez"), "No asset named 'acidentez'", id="unknown-asset"),
    pytest.param(("--select", "acidentes", "--snapshot", "/nonexistent/folder"),
                 "snapshot folder /nonexistent/folder does not exist", id="missing-snapshot-folder"),
])
def test_a_bad_selection_or_folder_is_refused(lake_env, args, match):
    result = bhnav("backfill", *args, "--from", "2016-01", "--to", "2018-12")
    assert result.exit_code == 1 and match in result.output, result.output


def test_from_and_to_are_required():
    result = bhnav("backfill", "--select", "acidentes", "--from", "2016-01")
    assert result.exit_code == 2 and "--to" in result.output
