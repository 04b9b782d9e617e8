"""The materialisation of one derived (curated or analytics) asset.

transform → schema enforcement (types, time partitions; bad rows to quarantine) → PII → checks →
one Delta commit → quarantine table → the catalog. Anything that fails before the commit
publishes nothing; the failure is recorded in the catalog with the checks that ran.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from catalog.records import FAILED, SKIPPED, SUCCESS, MaterializationRecord
from lake import locations
from spark.checks import CheckFailedError
from spark.versions import definition_version, input_versions, unchanged

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from assets.asset import Asset
    from assets.graph import AssetGraph
    from assets.period import Period
    from catalog.base import Catalog
    from lake.settings import Settings
    from lake.storage import Storage
    from spark.context import TransformOutput
    from spark.lake_context import LakeContext


class _Timings:
    """Seconds per phase, kept in the record's notes (the bench reads where the time goes)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, phase: str):
        began = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] = round(self.seconds.get(phase, 0.0) + time.perf_counter() - began, 3)


class MaterializationError(RuntimeError):
    """An asset failed; ``record`` is what was recorded in the catalog."""

    def __init__(self, message: str, record: MaterializationRecord):
        self.record = record
        super().__init__(message)


def describe_error(asset_name: str, exc: BaseException) -> str:
    """One line naming the asset: a Python worker's traceback is reduced to its final error."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[-1] if len(lines) > 1 and "Traceback" in str(exc) else " ".join(lines) or type(exc).__name__
    return text if asset_name in text else f"Asset {asset_name!r}: {text}"


def now() -> datetime:
    return datetime.now(timezone.utc)


def skip_record(asset: "Asset", last: MaterializationRecord, versions: dict[str, str],
                started: datetime) -> MaterializationRecord:
    return MaterializationRecord(
        asset=asset.name, status=SKIPPED, started_at=started, finished_at=now(),
        code_version=asset.code_version, input_versions=versions, rows=last.rows,
        delta_version=last.delta_version, partitions_written=(), checks=last.checks,
        quarantined_rows=last.quarantined_rows, newest_data_date=last.newest_data_date,
        notes={"skipped": "inputs and code unchanged since the last success",
               "definition_version": last.notes.get("definition_version")},
    )


def run_transform(asset: "Asset", ctx: "LakeContext") -> "TransformOutput":
    """Call the asset's function (or run its SQL over its upstream tables, named as the assets)."""
    from pyspark.sql import DataFrame

    from spark.context import TransformOutput

    if asset.transform.sql is not None:
        for name in asset.deps:
            ctx.table(name).createOrReplaceTempView(name)
        return TransformOutput(data=ctx.spark.sql(asset.transform.sql))
    output = asset.transform.resolve()(ctx)
    if isinstance(output, DataFrame):
        return TransformOutput(data=output)
    if not isinstance(output, TransformOutput):
        raise TypeError(f"Asset {asset.name!r}: the transform returned {type(output).__name__}, not a TransformOutput.")
    return output


def statistics(asset: "Asset") -> dict:
    """Aggregates computed with the checks: the newest data date and the partitions present.

    The newest date is the partitioning date column's, else the first date column's."""
    from pyspark.sql import functions as F

    from spark.writer import partition_label

    stats = {}
    column = asset.partitioning.date_column or next(
        (c.name for c in asset.schema if c.type in ("date", "timestamp")), None)
    if column is not None:
        stats["newest"] = F.max(F.col(column).cast("date"))
    if asset.partitioning.columns:
        stats["partitions"] = F.collect_set(partition_label(asset.partitioning.columns))
    return stats


def upstream_reader(spark: "SparkSession", graph: "AssetGraph", settings: "Settings"):
    """Reads any table of the graph (referential checks may name a table that is not a dep)."""
    from spark.lake_context import delta_version
    from spark.versions import MissingTableError

    def read(name: str) -> "DataFrame":
        uri = locations.table_uri(graph[name], settings)
        if delta_version(spark, uri) is None:
            raise MissingTableError(f"table {name!r} has not been materialised")
        return spark.read.format("delta").load(locations.spark_path(uri))

    return read


def materialize_derived(asset: "Asset", graph: "AssetGraph", settings: "Settings", *, catalog: "Catalog",
                        storage: "Storage", force: bool = False, allow_breaking: bool = False,
                        spark: "SparkSession | None" = None, period: "Period | None" = None) -> MaterializationRecord:
    """Build the asset's new version and publish it. ``period`` rebuilds only that range of a
    time-partitioned table (a backfill); otherwise only the partitions of new or changed raw
    files are replaced when the table allows it (spark.increments), else the whole table."""
    from spark import increments
    from spark.versions import table_exists

    started = now()
    versions: dict[str, str] = {}
    checks = ()
    try:
        versions = input_versions(asset, graph, storage, catalog)
        last = catalog.last_record(asset.name)
        if not force and period is None and unchanged(asset, versions, last, storage):
            record = skip_record(asset, last, versions, started)
            catalog.record(record)
            return record
        _refuse_breaking_change(asset, catalog, allow_breaking)
        code_unchanged = (not force and last is not None and last.code_version == asset.code_version
                          and last.notes.get("definition_version") == definition_version(asset))
        increment = increments.plan(asset, graph, settings, storage, last, period=period,
                                    code_unchanged=code_unchanged, table_exists=table_exists(asset, storage))
        return _build(asset, graph, settings, catalog=catalog, storage=storage, versions=versions,
                      started=started, allow_breaking=allow_breaking, spark=spark, increment=increment)
    except Exception as exc:
        if isinstance(exc, CheckFailedError):
            checks = tuple(exc.results)
        message = describe_error(asset.name, exc)
        record = MaterializationRecord(
            asset=asset.name, status=FAILED, started_at=started, finished_at=now(),
            code_version=asset.code_version, input_versions=versions, checks=checks,
            error=f"{type(exc).__name__}: {message}",
        )
        catalog.record(record)
        raise MaterializationError(message, record) from exc


def _refuse_breaking_change(asset: "Asset", catalog: "Catalog", allow_breaking: bool) -> None:
    """An incompatible schema change fails before anything is written, not after."""
    from catalog.schema_diff import SchemaChangeError

    diff = catalog.diff(asset)
    if diff is not None and diff.is_breaking and not allow_breaking:
        raise SchemaChangeError(diff)


def _build(asset, graph, settings, *, catalog, storage, versions, started, allow_breaking, spark, increment):
    from pyspark import StorageLevel

    from spark.checks import run_checks
    from spark.enforce import enforce_schema
    from spark.lake_context import LakeContext
    from spark.pii import pii_salt, protect_pii
    from spark.quarantine import combine, read_quarantine, write_quarantine
    from spark.session import get_spark
    from spark.writer import write_table

    spark = spark or get_spark(settings)
    ctx = LakeContext(spark=spark, asset=asset, graph=graph, settings=settings, storage=storage,
                      raw_selection=increment.selection)
    output = run_transform(asset, ctx)
    files_read = [r for files in ctx.raw_read.values() for r in files]
    raw_files = ",".join(r.file_name for r in files_read) or None
    enforced = enforce_schema(output.data, asset, default_file=raw_files,
                              within=increment.replace, quarantine_outside=increment.strict)
    staged = enforced.staged.persist(StorageLevel.MEMORY_AND_DISK)
    timings = _Timings()
    try:
        data = protect_pii(enforced.data, asset, pii_salt(asset, settings))
        with timings("transform_and_checks"):  # Spark is lazy: the transform runs with the first check
            results, stats = run_checks(data, asset, upstream_reader(spark, graph, settings),
                                        extra=statistics(asset))
            rows, newest = stats["rows"], stats.get("newest")
            partitions = tuple(sorted(stats["partitions"])) if "partitions" in stats else ()
        with timings("quarantine"):
            quarantine = combine(asset, output.quarantine, enforced.rejected, started.isoformat())
            quarantine = quarantine.persist(StorageLevel.MEMORY_AND_DISK)
            quarantined = quarantine.count()
        with timings("write"):
            written = write_table(data, asset, settings, partitions=partitions, replace=increment.replace)
        with timings("quarantine"):
            if quarantined or read_quarantine(spark, asset, settings) is not None:
                write_quarantine(quarantine, asset, settings)
            quarantine.unpersist()
    finally:
        # One asset at a time per process: drop every cached frame of this run, the transform's too.
        staged.unpersist()
        spark.catalog.clearCache()
    notes = dict(output.notes)
    notes["write_mode"] = written.mode
    notes["increment"] = increment.reason
    if increment.replace:
        notes["replaced"] = [p.label() for p in increment.replace]
    if any(graph[n].is_raw for n in asset.deps):
        # Every current file is now in the table: the next run compares each one with these.
        previous = catalog.last_record(asset.name)
        known = dict(previous.notes.get("raw_files") or {}) if previous and not increment.is_full else {}
        notes["raw_files"] = {**known, **{r.key: r.sha256 for r in files_read}}
        notes["files_read"] = len(files_read)
    notes["definition_version"] = definition_version(asset)
    notes["seconds"] = timings.seconds
    record = MaterializationRecord(
        asset=asset.name, status=SUCCESS, started_at=started, finished_at=now(),
        code_version=asset.code_version, input_versions=versions, rows=rows,
        delta_version=written.version, partitions_written=written.partitions, checks=tuple(results),
        quarantined_rows=quarantined, newest_data_date=newest, notes=notes,
    )
    catalog.register(asset, record, allow_breaking=allow_breaking)
    return record
