"""Asset → Glue ``TableInput``: the one conversion shared by the local catalog and AWS Glue.

The dicts built here have Glue's shape (``StorageDescriptor.Columns`` with Name/Type/Comment,
``PartitionKeys``, ``Location``, ``Parameters``), so the Glue implementation passes them to
``glue.create_table`` / ``update_table`` unchanged. Glue stores parameter values as strings only:
structured values (input versions, check results) are JSON text.
"""

from __future__ import annotations

import json
from typing import Any

from assets.asset import Asset
from catalog.records import MaterializationRecord
from lake.locations import table_uri
from lake.settings import Settings

PREFIX = "bhnav."
COMMENT_MAX = 255  # Glue's limit on a column comment
RAW_PARTITION_KEY = {"Name": "ingest_date", "Type": "string", "Comment": "Day the source file was landed (YYYY-MM-DD)."}

# Parameters that describe the last successful materialisation; replaced together on success.
STAT_KEYS = (
    "last_materialized_at", "rows", "delta_version", "input_versions", "code_version",
    "checks", "quarantined_rows", "newest_data_date", "partitions_written",
)

_PARQUET = {
    "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                  "Parameters": {"serialization.format": "1"}},
}
_TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
_TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"


def glue_column(name: str, glue_type: str, comment: str, nullable: bool = True) -> dict[str, Any]:
    column: dict[str, Any] = {"Name": name, "Type": glue_type, "Comment": (comment or "")[:COMMENT_MAX]}
    if not nullable:
        column["Parameters"] = {f"{PREFIX}nullable": "false"}
    return column


def table_input(asset: Asset, settings: Settings) -> dict[str, Any]:
    """The structural part of the table (no run statistics): what ``register`` follows."""
    location = table_uri(asset, settings)
    partition_names = asset.partitioning.columns
    columns = [glue_column(c.name, c.type, c.description, c.nullable)
               for c in asset.schema if c.name not in partition_names]
    if asset.is_raw:
        partition_keys = [dict(RAW_PARTITION_KEY)]
        storage, parameters = _raw_storage(asset, location)
    else:
        by_name = {c.name: c for c in asset.schema}
        partition_keys = [glue_column(n, by_name[n].type, by_name[n].description) for n in partition_names]
        storage = {**json.loads(json.dumps(_PARQUET)), "Compressed": True}
        # Athena reads a Delta table natively from LOCATION + table_type=DELTA.
        parameters = {"table_type": "DELTA", "classification": "delta", "EXTERNAL": "TRUE",
                      "spark.sql.sources.provider": "delta"}
    parameters.update({
        f"{PREFIX}asset": asset.name,
        f"{PREFIX}zone": asset.zone,
        f"{PREFIX}domain": asset.domain,
        f"{PREFIX}owner": asset.owner,
        f"{PREFIX}freshness_max_lag_s": str(int(asset.freshness.max_lag.total_seconds())),
    })
    if asset.partitioning.date_column:
        parameters[f"{PREFIX}date_column"] = asset.partitioning.date_column
    if asset.pii_columns:
        parameters[f"{PREFIX}pii_columns"] = ",".join(asset.pii_columns)
    return {
        "Name": asset.name,
        "Description": asset.description[:2048],
        "Owner": asset.owner,
        "TableType": "EXTERNAL_TABLE",
        "StorageDescriptor": {**storage, "Columns": columns, "Location": location},
        "PartitionKeys": partition_keys,
        "Parameters": parameters,
    }


def _raw_storage(asset: Asset, location: str) -> tuple[dict[str, Any], dict[str, str]]:
    parser = asset.source.parser
    if parser.format == "geojson":
        serde = {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe", "Parameters": {}}
        classification = "json"
    else:
        serde = {"SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
                 "Parameters": {"separatorChar": parser.delimiter, "quoteChar": parser.quote, "escapeChar": "\\"}}
        classification = "csv"
    parameters = {
        "classification": classification,
        "EXTERNAL": "TRUE",
        "skip.header.line.count": "1" if classification == "csv" else "0",
        "serialization.encoding": parser.python_encoding.upper(),
        # Partition projection: Athena computes ingest_date partitions, no crawler or MSCK needed.
        "projection.enabled": "true",
        "projection.ingest_date.type": "date",
        "projection.ingest_date.format": "yyyy-MM-dd",
        "projection.ingest_date.range": "2015-01-01,NOW",
        "projection.ingest_date.interval": "1",
        "projection.ingest_date.interval.unit": "DAYS",
        "storage.location.template": f"{location}/ingest_date=${{ingest_date}}",
        f"{PREFIX}source.kind": asset.source.kind,
        f"{PREFIX}source.name": asset.source.name,
        f"{PREFIX}source.file": asset.source.file_name,
        f"{PREFIX}parser.format": parser.format,
        f"{PREFIX}parser.encoding": parser.encoding,
        f"{PREFIX}parser.delimiter": parser.delimiter,
        f"{PREFIX}parser.decimal_comma": str(parser.decimal_comma).lower(),
        f"{PREFIX}parser.header_padded": str(parser.header_padded).lower(),
        f"{PREFIX}parser.values_padded": str(parser.values_padded).lower(),
    }
    storage = {"InputFormat": _TEXT_INPUT, "OutputFormat": _TEXT_OUTPUT, "SerdeInfo": serde, "Compressed": False}
    return storage, parameters


def stat_parameters(record: MaterializationRecord) -> dict[str, str]:
    """A successful run's statistics as Glue parameters (strings)."""
    values: dict[str, Any] = {
        "last_materialized_at": record.finished_at.isoformat(),
        "rows": record.rows,
        "delta_version": record.delta_version,
        "input_versions": json.dumps(record.input_versions, sort_keys=True),
        "code_version": record.code_version,
        "checks": json.dumps(record.to_dict()["checks"], default=str),
        "quarantined_rows": record.quarantined_rows,
        "newest_data_date": record.newest_data_date.isoformat() if record.newest_data_date else None,
        "partitions_written": json.dumps(list(record.partitions_written)),
    }
    return {f"{PREFIX}{k}": str(v) for k, v in values.items() if v is not None}


def with_stats(table: dict[str, Any], stats: dict[str, str]) -> dict[str, Any]:
    """A copy of ``table`` whose run statistics are ``stats`` (old ones dropped first)."""
    stat_names = {f"{PREFIX}{k}" for k in STAT_KEYS}
    parameters = {k: v for k, v in table.get("Parameters", {}).items() if k not in stat_names}
    parameters.update(stats)
    return {**table, "Parameters": parameters}


def stats_of(table: dict[str, Any]) -> dict[str, str]:
    stat_names = {f"{PREFIX}{k}" for k in STAT_KEYS}
    return {k: v for k, v in table.get("Parameters", {}).items() if k in stat_names}


def database_input(zone: str, settings: Settings) -> dict[str, Any]:
    """Glue ``DatabaseInput`` for a zone."""
    from lake.locations import lake_root

    return {
        "Name": settings.database(zone),
        "Description": f"BH Strategic Navigator lakehouse, {zone} zone.",
        "LocationUri": f"{lake_root(settings)}/{zone}",
        "Parameters": {f"{PREFIX}zone": zone},
    }
