"""The TableInput built from each asset is one AWS Glue accepts (checked against Glue's own API model)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from catalog.glue_model import database_input, table_input
from lake.settings import get_settings

AWS = get_settings(env="aws", s3_bucket="bhnav-lake-test")


@lru_cache(maxsize=1)
def _glue_model():
    import botocore.session

    return botocore.session.get_session().get_service_model("glue")


def _validate(operation: str, params: dict) -> str:
    from botocore.validate import ParamValidator

    model = _glue_model().operation_model(operation)
    report = ParamValidator().validate(params, model.input_shape)
    return report.generate_report() if report.has_errors() else ""


def test_every_asset_table_input_is_valid_for_glue_create_table(graph):
    errors = {a.name: _validate("CreateTable", {"DatabaseName": AWS.database(a.zone), "TableInput": table_input(a, AWS)})
              for a in graph}
    assert {name: e for name, e in errors.items() if e} == {}


@pytest.mark.parametrize("zone", ["raw", "curated", "analytics"])
def test_zone_database_input_is_valid_for_glue_create_database(zone):
    database = database_input(zone, AWS)
    assert _validate("CreateDatabase", {"DatabaseInput": database}) == ""
    assert database["Name"] == f"bhnav_{zone}"
    assert database["LocationUri"] == f"s3://bhnav-lake-test/{zone}"


def test_glue_length_limits_hold_for_every_asset(graph):
    for asset in graph:
        ti = table_input(asset, AWS)
        for column in ti["StorageDescriptor"]["Columns"] + ti["PartitionKeys"]:
            assert len(column["Comment"]) <= 255, (asset.name, column["Name"])
        assert all(len(k) <= 255 and len(v) <= 512000 for k, v in ti["Parameters"].items()), asset.name


def test_delta_tables_are_defined_for_athena_by_location_and_table_type(graph):
    ti = table_input(graph["acidentes"], AWS)
    assert ti["StorageDescriptor"]["Location"] == "s3://bhnav-lake-test/curated/acidentes"
    assert ti["Parameters"]["table_type"] == "DELTA"


def test_raw_tables_use_partition_projection_on_ingest_date(graph):
    ti = table_input(graph["mco_raw"], AWS)
    location = ti["StorageDescriptor"]["Location"]
    assert location.startswith("s3://bhnav-lake-test/raw/")
    assert ti["Parameters"]["projection.enabled"] == "true"
    assert ti["Parameters"]["storage.location.template"] == location + "/ingest_date=${ingest_date}"
