"""The ``ingest_date`` partitions of a raw table in the Glue Data Catalog, kept equal to the landings.

Athena needs none of them (raw tables use partition projection), but Spark, Glue ETL and
Redshift Spectrum read partitions from the catalog. The partitions wanted are the
``ingest_date=`` folders that hold a landed file; missing ones are created and pruned ones
deleted, in the batch sizes Glue accepts (100 per BatchCreatePartition, 25 per BatchDeletePartition).
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from lake.storage import Storage

CREATE_BATCH = 100
DELETE_BATCH = 25
_FOLDER = re.compile(r"/ingest_date=(\d{4}-\d{2}-\d{2})/[^/]+$")


class PartitionSyncError(RuntimeError):
    """Glue refused some partitions; the message names the table and the first error."""


def chunked(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def landed_dates(storage: "Storage", table_key: str) -> set[str]:
    """The ``ingest_date`` values with at least one landed (non-manifest, non-hidden) file."""
    from landing.manifests import is_manifest_key

    dates = set()
    for key in storage.list(table_key):
        match = _FOLDER.search(key)
        if match and not is_manifest_key(key) and not key.rsplit("/", 1)[-1].startswith("_"):
            dates.add(match[1])
    return dates


def registered_dates(glue, database: str, table: str) -> set[str]:
    found = set()
    for page in glue.get_paginator("get_partitions").paginate(DatabaseName=database, TableName=table):
        found.update(p["Values"][0] for p in page.get("Partitions", ()))
    return found


def partition_input(table_input: dict[str, Any], ingest_date: str) -> dict[str, Any]:
    descriptor = copy.deepcopy(table_input["StorageDescriptor"])
    descriptor["Location"] = f"{descriptor['Location']}/ingest_date={ingest_date}"
    return {"Values": [ingest_date], "StorageDescriptor": descriptor}


def sync_partitions(glue, database: str, table_input: dict[str, Any], wanted: Iterable[str]) -> tuple[int, int]:
    """Create the missing partitions and delete the stale ones; (created, deleted)."""
    table = table_input["Name"]
    wanted = set(wanted)
    present = registered_dates(glue, database, table)
    to_create = sorted(wanted - present)
    to_delete = sorted(present - wanted)
    for batch in chunked(to_create, CREATE_BATCH):
        answer = glue.batch_create_partition(DatabaseName=database, TableName=table,
                                             PartitionInputList=[partition_input(table_input, d) for d in batch])
        _raise_errors(answer, database, table, "create", ignore="AlreadyExistsException")
    for batch in chunked(to_delete, DELETE_BATCH):
        answer = glue.batch_delete_partition(DatabaseName=database, TableName=table,
                                             PartitionsToDelete=[{"Values": [d]} for d in batch])
        _raise_errors(answer, database, table, "delete", ignore="EntityNotFoundException")
    return len(to_create), len(to_delete)


def _raise_errors(answer: dict, database: str, table: str, action: str, ignore: str) -> None:
    # A concurrent writer may have done the same work: that error is not one.
    errors = [e for e in answer.get("Errors", ()) if e.get("ErrorDetail", {}).get("ErrorCode") != ignore]
    if errors:
        detail = errors[0].get("ErrorDetail", {})
        raise PartitionSyncError(
            f"Glue could not {action} {len(errors)} partition(s) of {database}.{table}: "
            f"{detail.get('ErrorCode')}: {detail.get('ErrorMessage')} (first: {errors[0].get('PartitionValues')})")
