"""Table maintenance: Delta OPTIMIZE (compaction) and VACUUM (old files) over selected assets.

Neither changes the data: OPTIMIZE commits a new version with the same rows in fewer files
(downstream assets do not rebuild: their input is the upstream's last materialised version),
VACUUM deletes files that no version younger than the retention still reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lake import locations

if TYPE_CHECKING:
    from lake.settings import Settings

DELTA_DEFAULT_RETENTION_HOURS = 168


class MaintenanceError(RuntimeError):
    """A maintenance request that cannot be done safely (e.g. a negative retention)."""


def _tables(selection, settings: "Settings"):
    """(asset, spark path, is a Delta table) for every derived asset of the selection, plus quarantines."""
    from spark.runner import graph_for

    graph = graph_for(settings)
    for name in graph.select(list(selection or ())):
        asset = graph[name]
        if asset.is_raw:
            continue  # raw tables are the landed files, not Delta
        yield asset.name, locations.spark_path(locations.table_uri(asset, settings))
        yield f"{asset.name} (quarantine)", locations.spark_path(locations.quarantine_uri(asset, settings))


def optimize_tables(selection, settings: "Settings") -> list[dict]:
    from delta.tables import DeltaTable

    from spark.session import get_spark

    spark = get_spark(settings)
    spark.conf.set("spark.databricks.delta.optimize.maxFileSize", str(settings.target_file_size_mb * 1024 * 1024))
    rows = []
    for name, path in _tables(selection, settings):
        if not DeltaTable.isDeltaTable(spark, path):
            continue
        table = DeltaTable.forPath(spark, path)
        metrics = table.optimize().executeCompaction().select("metrics.numFilesAdded", "metrics.numFilesRemoved").first()
        version = table.history(1).select("version").first()[0]
        rows.append({"asset": name, "files_added": int(metrics[0]), "files_removed": int(metrics[1]),
                     "delta_version": int(version)})
    return rows


def vacuum_tables(selection, settings: "Settings", *, retention_hours: int = DELTA_DEFAULT_RETENTION_HOURS) -> list[dict]:
    from delta.tables import DeltaTable

    from spark.session import get_spark

    if retention_hours < 0:
        raise MaintenanceError(f"--retention-hours {retention_hours} is negative; use 0 or more hours.")
    spark = get_spark(settings)
    # Delta refuses a retention under its 7-day default unless told; a shorter one is a deliberate
    # choice here (a local lake has one writer and no long-running readers).
    spark.conf.set("spark.databricks.delta.retentionDurationCheck.enabled",
                   str(retention_hours >= DELTA_DEFAULT_RETENTION_HOURS).lower())
    if not settings.is_aws:
        # VACUUM lists the table's folders with this many tasks (10,000 by default): minutes of
        # scheduling for a local table of a few files.
        spark.conf.set("spark.sql.sources.parallelPartitionDiscovery.parallelism",
                       str(max(2, settings.spark_shuffle_partitions)))
    rows = []
    for name, path in _tables(selection, settings):
        if not DeltaTable.isDeltaTable(spark, path):
            continue
        before = _data_files(spark, path)
        DeltaTable.forPath(spark, path).vacuum(float(retention_hours))
        rows.append({"asset": name, "files_deleted": before - _data_files(spark, path),
                     "retention_hours": retention_hours})
    return rows


def _data_files(spark, path: str) -> int:
    """Parquet files under the table folder, referenced or not (what VACUUM can remove)."""
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    fs = hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    files = fs.listFiles(hadoop_path, True)
    count = 0
    while files.hasNext():
        status = files.next()
        if status.getPath().getName().endswith(".parquet") and "_delta_log" not in status.getPath().toString():
            count += 1
    return count
