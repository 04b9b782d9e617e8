"""An asset's Schema as Spark types: the Glue/Athena type names mapped once."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql.types import DataType, StructType

    from assets.schema import Schema

_DECIMAL = re.compile(r"^decimal\((\d+),(\d+)\)$")


def spark_type(glue_type: str) -> "DataType":
    """The Spark type of a Glue type name (``string``, ``int``, ..., ``decimal(p,s)``)."""
    from pyspark.sql import types as T

    simple = {
        "string": T.StringType(),
        "int": T.IntegerType(),
        "bigint": T.LongType(),
        "double": T.DoubleType(),
        "boolean": T.BooleanType(),
        "date": T.DateType(),
        "timestamp": T.TimestampType(),
    }
    normalized = glue_type.replace(" ", "").lower()
    if normalized in simple:
        return simple[normalized]
    match = _DECIMAL.match(normalized)
    if match:
        return T.DecimalType(int(match[1]), int(match[2]))
    raise ValueError(f"Glue type {glue_type!r} has no Spark equivalent here")


def struct_type(schema: "Schema", *, all_nullable: bool = True) -> "StructType":
    """The schema as a StructType, columns in declared order.

    Written tables keep every column nullable (``all_nullable``): a declared non-null column is
    enforced by quarantining its null rows, not by a Delta invariant that would fail the write.
    """
    from pyspark.sql.types import StructField, StructType

    return StructType([
        StructField(c.name, spark_type(c.type), True if all_nullable else c.nullable,
                    metadata={"comment": c.description})
        for c in schema
    ])
