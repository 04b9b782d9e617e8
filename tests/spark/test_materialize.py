"""Materialising one asset: idempotency, partition replacement, quarantine, PII, checks, drift."""

from __future__ import annotations

import hashlib

import pytest

from tests.spark.conftest import visitas_csv

JAN_FEB = visitas_csv(
    "1;05/01/2024;Centro;10;ana@example.org;3199-0001",
    "2;20/01/2024;Savassi;4;bia@example.org;3199-0002",
    "3;02/02/2024;Centro;7;caio@example.org;3199-0003",
)


def rows_of(lake, name="visitas"):
    return sorted(tuple(r) for r in lake.table(name).select("id", "data", "visitantes", "ano", "mes").collect())


def test_second_run_is_skipped_and_force_rebuilds_without_duplicates(runtime_lake):
    runtime_lake.write_raw("visitas.csv", JAN_FEB)
    first = runtime_lake.run_ok("+visitas")
    rows = rows_of(runtime_lake)
    assert first["visitas"].status == "success" and first["visitas"].rows == 3 == len(rows)

    second = runtime_lake.run_ok("+visitas")
    assert second["visitas_raw"].status == "skipped"
    assert second["visitas"].status == "skipped", "inputs and code are unchanged: nothing to rebuild"
    assert runtime_lake.version("visitas") == first["visitas"].delta_version

    forced = runtime_lake.run_ok("+visitas", force=True)
    assert forced["visitas"].status == "success"
    assert forced["visitas"].delta_version == first["visitas"].delta_version + 1
    assert rows_of(runtime_lake) == rows, "a forced rerun replaces its partitions, never adds to them"


def test_rerun_of_a_partition_replaces_it_and_keeps_the_others(runtime_lake):
    runtime_lake.write_raw("visitas.csv", JAN_FEB)
    runtime_lake.run_ok("+visitas")
    # The new file only has February, with a changed count: January must survive untouched.
    runtime_lake.write_raw("visitas.csv", visitas_csv("3;02/02/2024;Centro;70;caio@example.org;3199-0003"))
    record = runtime_lake.run_ok("+visitas")["visitas"]
    assert record.partitions_written == ("ano=2024/mes=2",)
    assert rows_of(runtime_lake) == [
        (1, *rows_of_date("2024-01-05"), 10, 2024, 1),
        (2, *rows_of_date("2024-01-20"), 4, 2024, 1),
        (3, *rows_of_date("2024-02-02"), 70, 2024, 2),
    ]


def rows_of_date(text):
    from datetime import date

    return (date.fromisoformat(text),)


def test_unparseable_and_untyped_rows_are_quarantined_and_counted(runtime_lake):
    from spark.quarantine import read_quarantine

    runtime_lake.write_raw("visitas.csv", visitas_csv(
        "1;05/01/2024;Centro;10;ana@example.org;1",
        "2;31/02/2024;Centro;5;bia@example.org;2",  # no such day: the parser rejects it
        "3;06/01/2024;Centro;muitos;caio@example.org;3",  # not an int: type enforcement rejects it
        "4;07/01/2024;Centro;1",  # too few fields
        # Enough good rows that the 3 rejects stay under the audit's 2% quarantine share.
        *(f"{i};08/01/2024;Centro;1;x{i}@example.org;{i}" for i in range(10, 160)),
    ))
    record = runtime_lake.run_ok("+visitas")["visitas"]
    assert (record.rows, record.quarantined_rows) == (151, 3)
    quarantine = read_quarantine(runtime_lake.spark, runtime_lake.asset("visitas"), runtime_lake.settings)
    rejects = quarantine.collect()
    assert {r["line_number"] for r in rejects if r["line_number"]} == {3, 5}, "parser rejects carry their line"
    untyped = [r for r in rejects if r["reason"].startswith("visitantes: muitos is not a int")]
    assert len(untyped) == 1 and "caio" not in untyped[0]["raw_line"], "the raw line leaves PII columns out"
    assert all(r["raw_file"] == "visitas.csv" for r in rejects)
    assert runtime_lake.catalog().get_table("visitas").quarantined_rows == 3


def test_pii_is_never_written_in_clear(runtime_lake):
    runtime_lake.write_raw("visitas.csv", JAN_FEB)
    runtime_lake.run_ok("+visitas")
    table = runtime_lake.table("visitas")
    emails = {r["id"]: r["email"] for r in table.collect()}
    assert emails[1] == hashlib.sha256(b"test-saltana@example.org").hexdigest()
    assert table.where("telefone IS NOT NULL").count() == 0, "a dropped PII column holds no value"
    from lake.locations import local_path

    folder = local_path(runtime_lake.path("visitas"))
    written = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert b"ana@example.org" not in written and b"3199-0001" not in written


def test_blocking_check_failure_publishes_nothing(runtime_lake):
    from spark.materialize import MaterializationError

    runtime_lake.write_raw("visitas.csv", JAN_FEB)
    runtime_lake.run_ok("+visitas")
    before, version = rows_of(runtime_lake), runtime_lake.version("visitas")
    runtime_lake.write_raw("visitas.csv", visitas_csv(
        "1;05/01/2024;Centro;-3;ana@example.org;1", "2;06/01/2024;Centro;5;bia@example.org;2"))
    result = runtime_lake.run("+visitas")
    assert isinstance(result.error, MaterializationError)
    with pytest.raises(MaterializationError, match=r"sem_negativos failed on 1 of 2 rows \(e\.g\. "):
        raise result.error
    assert runtime_lake.version("visitas") == version and rows_of(runtime_lake) == before
    failed = runtime_lake.catalog().last_record("visitas", status="failed")
    assert [c.name for c in failed.checks if not c.passed] == ["sem_negativos"]


@pytest.mark.parametrize("header, named", [
    pytest.param("ID;DATA;BAIRRO;VISITAS;EMAIL;TELEFONE", r"missing VISITANTES; unexpected VISITAS", id="renamed"),
    pytest.param("ID;DATA;BAIRRO;EMAIL;TELEFONE", r"missing VISITANTES", id="missing"),
    pytest.param("ID;DATA;BAIRRO;VISITANTES;EMAIL;TELEFONE;IDADE", r"unexpected IDADE", id="extra"),
])
def test_changed_header_is_schema_drift_and_leaves_the_table(runtime_lake, header, named):
    from landing.manifests import latest_manifest
    from lake.storage import get_storage
    from spark.materialize import MaterializationError

    runtime_lake.write_raw("visitas.csv", JAN_FEB)
    runtime_lake.run_ok("+visitas")
    version = runtime_lake.version("visitas")
    fields = header.count(";") + 1
    runtime_lake.write_raw("visitas.csv", visitas_csv(";".join(["9", "05/03/2024"] + ["x"] * (fields - 2)), header=header))
    result = runtime_lake.run("+visitas")
    with pytest.raises(MaterializationError, match=rf"Asset 'visitas'.*header of visitas.*changed \({named}\)"):
        raise result.error
    assert runtime_lake.version("visitas") == version
    storage = get_storage(runtime_lake.settings)
    landed = latest_manifest(storage, runtime_lake.asset("visitas_raw"))
    assert header in storage.read_bytes(landed.key).decode(), "the drifted raw file is kept"


def test_sql_transform_and_referential_check_read_the_upstream_table(runtime_lake):
    runtime_lake.write_raw("visitas.csv", JAN_FEB)
    records = runtime_lake.run_ok("visitas_por_bairro", "+visitas")
    assert list(records) == ["visitas_raw", "visitas", "visitas_por_bairro"]
    totals = {r["bairro"]: r["visitantes"] for r in runtime_lake.table("visitas_por_bairro").collect()}
    assert totals == {"Centro": 17, "Savassi": 4}
    assert records["visitas_por_bairro"].input_versions == {"visitas": str(records["visitas"].delta_version)}
    assert all(c.passed for c in records["visitas_por_bairro"].checks)
