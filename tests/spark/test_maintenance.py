"""OPTIMIZE compacts a partition's files; VACUUM deletes files no recent version reads."""

from __future__ import annotations

from tests.spark.conftest import visitas_csv

ROWS = visitas_csv("1;05/01/2024;Centro;10;a@example.org;1", "2;02/02/2024;Centro;7;b@example.org;2")


def files_in(folder, partition):
    return [p for p in (folder / partition).glob("*.parquet")]


def test_optimize_compacts_small_files_without_changing_rows(runtime_lake):
    from lake.locations import local_path
    from spark.maintenance import optimize_tables

    runtime_lake.write_raw("visitas.csv", ROWS)
    runtime_lake.run_ok("+visitas")
    table = runtime_lake.table("visitas")
    january = runtime_lake.spark.createDataFrame(table.where("mes = 1").collect(), table.schema).coalesce(1)
    for _ in range(3):  # three more small files in January, as appends by other writers would leave
        january.write.format("delta").mode("append").save(runtime_lake.path("visitas"))
    folder = local_path(runtime_lake.path("visitas"))
    assert len(files_in(folder, "ano=2024/mes=1")) == 4
    before = runtime_lake.table("visitas").count()

    [report] = [r for r in optimize_tables(["visitas"], runtime_lake.settings) if r["asset"] == "visitas"]
    assert (report["files_removed"], report["files_added"]) == (4, 1)
    assert runtime_lake.table("visitas").count() == before == 5
    assert runtime_lake.table("visitas").inputFiles().__len__() == 2, "one file per partition after OPTIMIZE"


def test_vacuum_deletes_only_unreferenced_files(runtime_lake):
    from spark.maintenance import vacuum_tables

    runtime_lake.write_raw("visitas.csv", ROWS)
    runtime_lake.run_ok("+visitas")
    runtime_lake.run_ok("+visitas", force=True)  # rewrites both partitions: the first files are now history
    rows = sorted(map(tuple, runtime_lake.table("visitas").collect()))

    kept = vacuum_tables(["visitas"], runtime_lake.settings, retention_hours=168)
    assert [r["files_deleted"] for r in kept if r["asset"] == "visitas"] == [0], "a week of history is kept"
    [report] = [r for r in vacuum_tables(["visitas"], runtime_lake.settings, retention_hours=0,
                                              unsafe_retention=True) if r["asset"] == "visitas"]
    assert report["files_deleted"] == 2
    assert sorted(map(tuple, runtime_lake.table("visitas").collect())) == rows


def test_negative_retention_is_refused(runtime_lake):
    import pytest

    from spark.maintenance import MaintenanceError, vacuum_tables

    with pytest.raises(MaintenanceError, match="--retention-hours -1 is negative"):
        vacuum_tables(["visitas"], runtime_lake.settings, retention_hours=-1)
