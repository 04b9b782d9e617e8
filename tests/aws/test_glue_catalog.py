"""The Glue Data Catalog in moto: tables that follow their assets, raw SerDes, partitions, runs."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from assets.schema import Schema, col
from catalog.base import get_catalog
from catalog.glue import GlueCatalog
from catalog.records import FAILED, SUCCESS, MaterializationRecord
from catalog.schema_diff import SchemaChangeError
from tests.fixtures.moto import BUCKET


@pytest.fixture
def graph(aws_env):
    from assets.definitions import load_graph

    return load_graph()


@pytest.fixture
def catalog(aws_env) -> GlueCatalog:
    found = get_catalog(aws_env)
    assert isinstance(found, GlueCatalog)
    return found


@pytest.fixture
def glue(aws_env):
    from lake.aws import client

    return client("glue", aws_env)


def _record(asset: str, status: str = SUCCESS, minutes: int = 0, **kwargs) -> MaterializationRecord:
    start = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes)
    return MaterializationRecord(asset=asset, status=status, started_at=start, finished_at=start + timedelta(seconds=30),
                                 **kwargs)


@pytest.mark.parametrize("name", [pytest.param("acidentes", id="curated-partitioned"),
                                  pytest.param("estacoes_onibus", id="curated"),
                                  pytest.param("acidentes_mensal_regional", id="analytics-partitioned")])
def test_a_derived_table_is_a_delta_table_athena_reads(catalog, glue, graph, name):
    asset = graph[name]
    catalog.register(asset)
    database = f"bhnav_{asset.zone}"
    table = glue.get_table(DatabaseName=database, Name=name)["Table"]
    partitions = asset.partitioning.columns
    assert table["Parameters"]["table_type"] == "DELTA"
    assert table["StorageDescriptor"]["Location"] == f"s3://{BUCKET}/{asset.zone}/{name}"
    assert [(c["Name"], c["Type"], c["Comment"]) for c in table["StorageDescriptor"]["Columns"]] == [
        (c.name, c.type, c.description[:255]) for c in asset.schema if c.name not in partitions]
    assert [k["Name"] for k in table.get("PartitionKeys", [])] == list(partitions)
    assert glue.get_database(Name=database)["Database"]["LocationUri"] == f"s3://{BUCKET}/{asset.zone}"


@pytest.mark.parametrize("name, delimiter, encoding", [
    pytest.param("acidentes_raw", ";", "ISO-8859-1", id="latin1-semicolon"),
    pytest.param("parques_raw", ",", "UTF-8-SIG", id="bom-comma"),
    pytest.param("iqvu_raw", ";", "ISO-8859-1", id="bom-then-latin1"),
])
def test_a_raw_table_has_the_serde_of_its_parser_and_projected_partitions(catalog, glue, graph, name, delimiter,
                                                                           encoding):
    asset = graph[name]
    catalog.register(asset)
    table = glue.get_table(DatabaseName="bhnav_raw", Name=name)["Table"]
    serde = table["StorageDescriptor"]["SerdeInfo"]
    location = f"s3://{BUCKET}/raw/{asset.source.name}/{name}"
    assert serde["SerializationLibrary"] == "org.apache.hadoop.hive.serde2.OpenCSVSerde"
    assert serde["Parameters"]["separatorChar"] == delimiter == asset.source.parser.delimiter
    parameters = table["Parameters"]
    assert parameters["skip.header.line.count"] == "1" and parameters["serialization.encoding"] == encoding
    assert parameters["projection.enabled"] == "true" and parameters["projection.ingest_date.type"] == "date"
    assert parameters["storage.location.template"] == location + "/ingest_date=${ingest_date}"
    assert table["PartitionKeys"] == [{"Name": "ingest_date", "Type": "string",
                                       "Comment": "Day the source file was landed (YYYY-MM-DD)."}]


def test_columns_and_comments_follow_the_asset_and_breaking_changes_are_refused(catalog, glue, graph):
    asset = graph["estacoes_onibus"]
    catalog.register(asset)
    changed = asset.replace(schema=Schema(columns=tuple(
        dataclasses.replace(c, description="Nome da estação.") if c.name == "nome" else c for c in asset.schema
    ) + (col("apelido", "string", "A new nullable column."),)))
    entry = catalog.register(changed)
    columns = {c["Name"]: c for c in glue.get_table(DatabaseName="bhnav_curated", Name=asset.name)["Table"]
               ["StorageDescriptor"]["Columns"]}
    assert columns["nome"]["Comment"] == "Nome da estação." and "apelido" in columns
    assert any("apelido" in change for change in entry.changes)
    narrowed = changed.replace(schema=Schema(columns=tuple(c for c in changed.schema if c.name != "tipo")))
    with pytest.raises(SchemaChangeError, match=r"tipo"):
        catalog.register(narrowed)
    kept = glue.get_table(DatabaseName="bhnav_curated", Name=asset.name)["Table"]["StorageDescriptor"]["Columns"]
    assert "tipo" in [c["Name"] for c in kept]


def test_runs_are_kept_as_history_and_the_last_one_in_the_table(catalog, glue, graph, s3):
    asset = graph["estacoes_onibus"]
    version_before = catalog.version()
    catalog.register(asset, _record(asset.name, rows=58, delta_version=0, input_versions={"estacoes_onibus_raw": "ab"}))
    after_success = catalog.version()
    catalog.record(_record(asset.name, FAILED, minutes=5, error="CheckFailedError: unique id_estacao"))
    parameters = glue.get_table(DatabaseName="bhnav_curated", Name=asset.name)["Table"]["Parameters"]
    assert parameters["bhnav.rows"] == "58" and parameters["bhnav.delta_version"] == "0"
    assert parameters["bhnav.last_run_status"] == FAILED
    assert [r.status for r in catalog.history(asset.name)] == [SUCCESS, FAILED]
    assert catalog.last_record(asset.name).rows == 58
    assert catalog.last_record(asset.name, status=None).error == "CheckFailedError: unique id_estacao"
    assert len({version_before, after_success, catalog.version()}) == 3
    catalog.record(_record(asset.name, FAILED, minutes=5, error="CheckFailedError: unique id_estacao"))
    assert len(catalog.history(asset.name)) == 2, "recording the same run twice is a no-op"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys and all(k.startswith("curated/estacoes_onibus/_bhnav_history/") for k in keys)


def test_raw_partitions_follow_the_landings_in_batches_glue_accepts(catalog, glue, graph, aws_env):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    asset = graph["estacoes_onibus_raw"]
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    days = [(datetime(2025, 1, 1) + timedelta(days=i)).date().isoformat() for i in range(130)]
    for day in days:
        backend.put_object(BUCKET, f"raw/pbh/{asset.name}/ingest_date={day}/estacao_onibus.csv", b"ID_ESTPB\n1\n")
        backend.put_object(BUCKET, f"raw/pbh/{asset.name}/ingest_date={day}/_manifest.estacao_onibus.csv.json", b"{}")
    calls = []
    catalog.glue.meta.events.register(
        "provide-client-params.glue.BatchCreatePartition", lambda params, **_: calls.append(("create", len(params["PartitionInputList"]))))
    catalog.glue.meta.events.register(
        "provide-client-params.glue.BatchDeletePartition", lambda params, **_: calls.append(("delete", len(params["PartitionsToDelete"]))))
    catalog.register(asset)
    partitions = [p for page in glue.get_paginator("get_partitions").paginate(DatabaseName="bhnav_raw", TableName=asset.name)
                  for p in page["Partitions"]]
    assert sorted(p["Values"][0] for p in partitions) == days
    assert {p["StorageDescriptor"]["Location"] for p in partitions} == {
        f"s3://{BUCKET}/raw/pbh/{asset.name}/ingest_date={d}" for d in days}
    for day in days[:27]:  # retention pruned the oldest landings
        backend.delete_object(BUCKET, f"raw/pbh/{asset.name}/ingest_date={day}/estacao_onibus.csv")
    assert catalog.sync_partitions(asset) == (0, 27)
    assert calls == [("create", 100), ("create", 30), ("delete", 25), ("delete", 2)]


def test_bhnav_status_reads_the_glue_catalog(catalog, graph, aws_env):
    from catalog.status import asset_status

    asset = graph["estacoes_onibus"]
    catalog.register(asset, _record(asset.name, rows=58, delta_version=0))
    catalog.record(_record(asset.name, FAILED, minutes=5, error="CheckFailedError: unique id_estacao"))
    statuses = {s.asset: s for s in asset_status(aws_env, graph=graph, catalog=catalog)}
    assert statuses["estacoes_onibus"].freshness == "failed"
    assert statuses["estacoes_onibus"].last_error == "CheckFailedError: unique id_estacao"
    assert statuses["acidentes"].freshness == "never"
