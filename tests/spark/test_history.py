"""A yearly source's history: every year's file, two layouts, only changed partitions rewritten."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.spark

ANTIGO = " NUMERO; DATA HORA; QUANTIDADE; FATAL\n"
NOVO = "numero;data_hora;quantidade;fatal;apelido\n"


def antigo(year: int, *rows: str) -> bytes:
    return (ANTIGO + "".join(f"{r}\n" for r in rows)).replace("{y}", str(year)).encode("iso-8859-1")


def novo(year: int, *rows: str) -> bytes:
    return (NOVO + "".join(f"{r}\n" for r in rows)).replace("{y}", str(year)).encode("utf-8")


def write(lake, year: int, data: bytes) -> None:
    path = lake.snapshot / "teste" / f"ocorrencias-{year}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def data_files(lake) -> dict[str, set[str]]:
    """Each partition's data files in the table's current version (Delta's own list)."""
    found: dict[str, set[str]] = {}
    for uri in lake.table("ocorrencias").inputFiles():
        partition, _, name = uri.split("/ocorrencias/", 1)[1].rpartition("/")
        found.setdefault(partition, set()).add(name)
    return found


def counts(lake) -> dict[int, int]:
    rows = lake.table("ocorrencias").groupBy("ano").count().collect()
    return {r["ano"]: r["count"] for r in rows}


@pytest.fixture
def two_layouts(runtime_lake):
    write(runtime_lake, 2018, antigo(2018, "A1 ; 05/01/{y} 10:00; 3 ;SIM", "A2;06/02/{y} 11:30;1;NÃO"))
    write(runtime_lake, 2019, novo(2019, "B1;07/03/{y} 09:15;2;NÃO;x", "B2;08/03/{y} 12:00;4;NÃO INFORMADO;y"))
    runtime_lake.run_ok("+ocorrencias")
    return runtime_lake


def test_each_layout_maps_its_own_columns_onto_the_declared_ones(two_layouts):
    rows = {r["numero"]: r for r in two_layouts.table("ocorrencias").collect()}
    assert sorted(rows) == ["A1", "A2", "B1", "B2"]
    assert (rows["A1"]["quantidade"], rows["A1"]["fatal"], str(rows["A1"]["data"])) == (3, True, "2018-01-05")
    assert (rows["B2"]["quantidade"], rows["B2"]["fatal"], str(rows["B2"]["data"])) == (4, None, "2019-03-08")


def test_a_new_years_file_rewrites_only_its_own_partitions(two_layouts):
    before = data_files(two_layouts)
    write(two_layouts, 2020, novo(2020, "C1;09/04/{y} 08:00;5;SIM;z"))
    records = two_layouts.run_ok("+ocorrencias")
    after = data_files(two_layouts)
    assert records["ocorrencias"].notes["replaced"] == ["2020"]
    assert records["ocorrencias"].notes["files_read"] == 1
    assert {k: v for k, v in after.items() if not k.startswith("ano=2020")} == before
    assert counts(two_layouts) == {2018: 2, 2019: 2, 2020: 1}


def test_a_changed_file_replaces_its_year_and_drops_its_vanished_months(two_layouts):
    write(two_layouts, 2018, antigo(2018, "A1;05/01/{y} 10:00;7;SIM"))
    records = two_layouts.run_ok("+ocorrencias")
    assert records["ocorrencias"].notes["replaced"] == ["2018"]
    table = two_layouts.table("ocorrencias")
    assert table.where("ano = 2018").select("numero", "quantidade").collect() == [("A1", 7)]
    assert "ano=2018/mes=2" not in data_files(two_layouts)
    assert counts(two_layouts)[2019] == 2


def test_a_header_matching_no_layout_fails_by_name_and_publishes_nothing(two_layouts):
    version = two_layouts.version("ocorrencias")
    write(two_layouts, 2020, b"NUM;QUANDO;QTD\nC1;09/04/2020 08:00;5\n")
    result = two_layouts.run("+ocorrencias")
    assert not result.ok
    assert "ocorrencias-2020.csv matches none of the declared layouts" in str(result.error)
    assert "antigo: missing" in str(result.error) and "novo: missing" in str(result.error)
    assert two_layouts.version("ocorrencias") == version
    assert counts(two_layouts) == {2018: 2, 2019: 2}


def test_unreadable_values_go_to_quarantine_with_reason_and_text(runtime_lake):
    from spark.quarantine import read_quarantine

    write(runtime_lake, 2019, novo(2019, "B1;07/03/{y} 09:15;2;NÃO;x", "B2;31/02/{y} 12:00;dois;talvez;y", "B3;1"))
    records = runtime_lake.run_ok("+ocorrencias")
    assert records["ocorrencias"].rows == 1
    bad = {r["raw_line"]: r["reason"] for r in read_quarantine(runtime_lake.spark, runtime_lake.asset("ocorrencias"),
                                                                   runtime_lake.settings).collect()}
    reason = bad["B2;31/02/2019 12:00;dois;talvez;y"]
    assert "data_hora: 31/02/2019 12:00 is not br_timestamp" in reason
    assert "quantidade: dois is not int" in reason and "fatal: talvez is not flag" in reason
    assert bad["B3;1"].startswith("2 fields where the header has 5")


def test_a_backfill_rebuilds_exactly_its_range(two_layouts):
    from assets.period import Period
    from runs.runner import materialize

    write(two_layouts, 2020, novo(2020, "C1;09/04/{y} 08:00;5;SIM;z"))
    two_layouts.run_ok("ocorrencias_raw")  # landed, not yet materialised
    before = data_files(two_layouts)
    result = materialize(["ocorrencias"], two_layouts.settings, force=True, period=Period.between("2019-01", "2019-12"))
    assert result.ok, result.error
    after = data_files(two_layouts)
    assert {k: v for k, v in after.items() if k.startswith("ano=2018")} == {
        k: v for k, v in before.items() if k.startswith("ano=2018")}
    assert after["ano=2019/mes=3"] != before["ano=2019/mes=3"]
    assert counts(two_layouts) == {2018: 2, 2019: 2}  # 2020 is outside the range
