"""Table maintenance: Delta OPTIMIZE (compaction) and VACUUM (old files) over selected assets.

Neither changes the data: OPTIMIZE commits a new version with the same rows in fewer files
(downstream assets do not rebuild: their input is the upstream's last materialised version),
VACUUM deletes files that no version younger than the retention still reads.

Each takes the table's writer lock (lake.locks), so neither runs beside a materialisation of the
same table. VACUUM keeps Delta's default retention (7 days) unless told ``unsafe_retention``: a
shorter one deletes files that a reader or a writer that started earlier may still need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contextlib import contextmanager

from lake import locations

if TYPE_CHECKING:
    from lake.settings import Settings

DELTA_DEFAULT_RETENTION_HOURS = 168


class MaintenanceError(RuntimeError):
    """A maintenance request that cannot be done safely (e.g. a negative retention)."""


def _assets(selection, settings: "Settings"):
    """Every derived asset of the selection (raw tables are the landed files, not Delta)."""
    from assets.definitions import graph_of

    graph = graph_of(settings.extra_assets_dir)
    return [graph[name] for name in graph.select(list(selection or ())) if not graph[name].is_raw]


@contextmanager
def _locked_tables(asset, settings: "Settings", action: str):
    """Hold the asset's writer lock; yields (name, spark path) of its table and its quarantine."""
    from lake.locks import table_lock
    from lake.storage import get_storage

    with table_lock(get_storage(settings), asset.name, settings, action=action):
        yield [(asset.name, locations.spark_path(locations.table_uri(asset, settings))),
               (f"{asset.name} (quarantine)", locations.spark_path(locations.quarantine_uri(asset, settings)))]


def optimize_tables(selection, settings: "Settings") -> list[dict]:
    from delta.tables import DeltaTable

    from spark.session import get_spark

    spark = get_spark(settings)
    spark.conf.set("spark.databricks.delta.optimize.maxFileSize", str(settings.target_file_size_mb * 1024 * 1024))
    rows = []
    for asset in _assets(selection, settings):
        with _locked_tables(asset, settings, "optimize") as tables:
            for name, path in tables:
                if not DeltaTable.isDeltaTable(spark, path):
                    continue
                table = DeltaTable.forPath(spark, path)
                metrics = table.optimize().executeCompaction().select(
                    "metrics.numFilesAdded", "metrics.numFilesRemoved").first()
                version = table.history(1).select("version").first()[0]
                rows.append({"asset": name, "files_added": int(metrics[0]), "files_removed": int(metrics[1]),
                             "delta_version": int(version)})
    return rows


def vacuum_tables(selection, settings: "Settings", *, retention_hours: int = DELTA_DEFAULT_RETENTION_HOURS,
                  unsafe_retention: bool = False) -> list[dict]:
    from delta.tables import DeltaTable

    from spark.session import get_spark

    if retention_hours < 0:
        raise MaintenanceError(f"--retention-hours {retention_hours} is negative; use 0 or more hours.")
    if retention_hours < DELTA_DEFAULT_RETENTION_HOURS and not unsafe_retention:
        raise MaintenanceError(
            f"--retention-hours {retention_hours} is below Delta's default of {DELTA_DEFAULT_RETENTION_HOURS} hours: "
            "it deletes files that readers and builds that started earlier may still need. Keep the default, "
            "or pass --unsafe-retention if no one reads or writes these tables now.")
    spark = get_spark(settings)
    # Delta refuses a retention under its 7-day default unless told; a shorter one was asked for
    # explicitly (unsafe_retention), and the lock keeps writers of the table away meanwhile.
    spark.conf.set("spark.databricks.delta.retentionDurationCheck.enabled",
                   str(retention_hours >= DELTA_DEFAULT_RETENTION_HOURS).lower())
    if not settings.is_aws:
        # VACUUM lists the table's folders with this many tasks (10,000 by default): minutes of
        # scheduling for a local table of a few files.
        spark.conf.set("spark.sql.sources.parallelPartitionDiscovery.parallelism",
                       str(max(2, settings.spark_shuffle_partitions)))
    rows = []
    for asset in _assets(selection, settings):
        with _locked_tables(asset, settings, "vacuum") as tables:
            for name, path in tables:
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
