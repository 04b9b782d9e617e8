"""Pruning: a query filtered to one month reads only that month's files."""

from __future__ import annotations

import pytest

from catalog.query import get_query_engine
from tests.catalog.lake_tables import accident_rows, publish

FULL = "SELECT regional, count(*) AS n, sum(valor_ups) AS ups FROM bhnav_curated.acidentes GROUP BY regional"


@pytest.fixture(scope="module")
def engine(tmp_path_factory, graph):
    from catalog.base import get_catalog
    from lake.settings import get_settings

    settings = get_settings(env="local", lake_dir=tmp_path_factory.mktemp("lake"))
    publish(graph["acidentes"], accident_rows(per_month=300), settings, get_catalog(settings))
    return get_query_engine(settings)


@pytest.mark.parametrize("month_filter", [
    pytest.param("ano = 2019 AND mes = 3", id="partition-columns"),
    pytest.param("data_boletim BETWEEN DATE '2019-03-01' AND DATE '2019-03-31'", id="date-range"),
    pytest.param("date_trunc('month', data_boletim) = DATE '2019-03-01' AND mes = 3", id="date-trunc-plus-mes"),
])
def test_one_month_query_reads_only_that_months_files(engine, month_filter):
    full = engine.run(FULL)
    month = engine.run(FULL.replace("GROUP BY", f"WHERE {month_filter} GROUP BY"))
    assert full.files_scanned == 12, "the full scan opens one file per month partition"
    assert month.files_scanned == 1, f"opened {month.details['files']}"
    assert "/ano=2019/mes=3/" in month.details["files"][0]
    assert month.bytes_scanned * 6 < full.bytes_scanned, (month.bytes_scanned, full.bytes_scanned)
    assert sum(r["n"] for r in month.records()) < sum(r["n"] for r in full.records())


def test_reading_fewer_columns_scans_fewer_bytes(engine):
    narrow = engine.run("SELECT count(*) AS n FROM bhnav_curated.acidentes WHERE mes = 3")
    wide = engine.run("SELECT * FROM bhnav_curated.acidentes WHERE mes = 3")
    assert narrow.files_scanned == wide.files_scanned == 1
    assert narrow.bytes_scanned < wide.bytes_scanned
