"""Raw tables read as Athena's CSV SerDe shows them: the real landed file, every column a string."""

from __future__ import annotations

import pytest

from catalog.query import QueryError, get_query_engine


@pytest.fixture
def landed(settings, graph, catalog, snapshot_dir):
    from landing.lander import land_asset

    for name in ("acidentes_raw", "bairro_oficial_raw"):
        land_asset(graph[name], settings, snapshot_dir=snapshot_dir)
        catalog.register(graph[name])
    return get_query_engine(settings, raw=True)


def test_raw_accidents_count_every_landed_row(landed, snapshot_dir):
    with open(snapshot_dir / "pbh" / "si-bol-2019.csv", encoding="iso-8859-1") as handle:
        data_lines = sum(1 for line in handle if line.strip()) - 1
    result = landed.run("SELECT count(*) AS n, count(DISTINCT numero_boletim) AS boletins, "
                        "max(ingest_date) AS dia FROM bhnav_raw.acidentes_raw")
    row = result.records()[0]
    assert row["n"] == row["boletins"] == data_lines
    assert result.table.schema.field("dia").type == "string"
    assert result.files_scanned == 1
    assert result.bytes_scanned == (snapshot_dir / "pbh" / "si-bol-2019.csv").stat().st_size


def test_raw_values_stay_as_landed(landed):
    result = landed.run("SELECT DISTINCT desc_regional FROM bhnav_raw.acidentes_raw WHERE desc_regional LIKE 'CENTRO%'")
    assert [r["desc_regional"] for r in result.records()] == ["CENTRO-SUL     "]


def test_raw_geojson_is_not_read_locally(landed):
    with pytest.raises(QueryError, match=r"bhnav_raw.bairro_oficial_raw holds raw geojson files"):
        landed.run("SELECT * FROM bhnav_raw.bairro_oficial_raw")


def test_raw_table_not_landed_yet(settings, graph, catalog):
    catalog.register(graph["iqvu_raw"])
    with pytest.raises(QueryError, match=r"bhnav_raw.iqvu_raw has no landed file yet"):
        get_query_engine(settings, raw=True).run("SELECT * FROM bhnav_raw.iqvu_raw")
