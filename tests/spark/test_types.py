"""Asset schema → Spark types."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("glue, spark_name", [
    pytest.param("string", "string", id="string"),
    pytest.param("int", "int", id="int"),
    pytest.param("bigint", "bigint", id="bigint"),
    pytest.param("double", "double", id="double"),
    pytest.param("boolean", "boolean", id="boolean"),
    pytest.param("date", "date", id="date"),
    pytest.param("timestamp", "timestamp", id="timestamp"),
    pytest.param("decimal(12,2)", "decimal(12,2)", id="decimal"),
    pytest.param("decimal(38, 0)", "decimal(38,0)", id="decimal-spaced"),
])
def test_glue_type_maps_to_spark(glue, spark_name):
    from spark.types import spark_type

    assert spark_type(glue).simpleString() == spark_name


def test_unknown_type_is_refused():
    from spark.types import spark_type

    with pytest.raises(ValueError, match="'varchar' has no Spark equivalent"):
        spark_type("varchar")


def test_struct_type_follows_the_declared_order_with_comments():
    from assets.definitions import load_graph
    from spark.types import struct_type

    asset = load_graph()["acidentes"]
    struct = struct_type(asset.schema)
    assert [f.name for f in struct] == list(asset.schema.names)
    assert struct["data_boletim"].dataType.simpleString() == "date"
    assert struct["numero_boletim"].metadata["comment"] == asset.schema.get("numero_boletim").description
    assert all(f.nullable for f in struct)
