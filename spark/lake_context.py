"""The runtime's TransformContext: raw inputs from the newest landing, upstream tables from Delta.

A transform may read only what its asset declares in ``deps``; asking for anything else is an
error here, so the graph (and with it Airflow's schedule and the skip-unchanged versions) stays
the truth about what a table is built from.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from assets.common_columns import SNAPSHOT_COLUMN
from lake import locations
from spark.context import RawInput, TransformContext
from spark.versions import MissingTableError, NotLandedError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from assets.asset import Asset
    from assets.graph import AssetGraph
    from lake.settings import Settings
    from lake.storage import Storage


class LakeContext(TransformContext):
    def __init__(self, *, spark: "SparkSession", asset: "Asset", graph: "AssetGraph",
                 settings: "Settings", storage: "Storage | None" = None,
                 raw_selection: "dict[str, tuple[RawInput, ...]] | None" = None):
        self.spark = spark
        self.asset = asset
        self.graph = graph
        self.settings = settings
        if storage is None:
            from lake.storage import get_storage

            storage = get_storage(settings)
        self.storage = storage
        # Which landed files this run reads, per raw input (all current files when not given).
        self.raw_selection = dict(raw_selection or {})
        # What was read, for the record: raw files and upstream Delta versions.
        self.raw_read: dict[str, tuple[RawInput, ...]] = {}
        self.tables_read: dict[str, int] = {}

    def _declared(self, name: str) -> "Asset":
        if name not in self.asset.deps:
            raise KeyError(
                f"Asset {self.asset.name!r} reads {name!r}, which is not in its deps {list(self.asset.deps)}; "
                "declare the dependency."
            )
        return self.graph[name]

    def raw_files(self, name: str) -> tuple[RawInput, ...]:
        dep = self._declared(name)
        if not dep.is_raw:
            raise KeyError(f"Asset {self.asset.name!r}: {name!r} is a {dep.zone} table; read it with ctx.table().")
        if name not in self.raw_read:
            selected = self.raw_selection.get(name)
            self.raw_read[name] = selected if selected is not None else current_raw_inputs(dep, self.settings, self.storage)
        return self.raw_read[name]

    def raw(self, name: str) -> RawInput:
        files = self.raw_files(name)
        if not files:
            raise NotLandedError(f"Asset {self.asset.name!r}: this run reads no file of {name!r}.")
        return files[-1]

    def read(self, name: str) -> "DataFrame":
        from spark.parsing.typed_copy import typed_copy

        return typed_copy(self.spark, self.asset, list(self.raw_files(name)), self.storage)

    def table(self, name: str, *, history: bool = False) -> "DataFrame":
        dep = self._declared(name)
        if dep.is_raw:
            raise KeyError(f"Asset {self.asset.name!r}: {name!r} is raw; read its landing with ctx.raw().")
        version = delta_version(self.spark, locations.table_uri(dep, self.settings))
        if version is None:
            raise MissingTableError(
                f"Asset {self.asset.name!r} reads {name!r}, which has not been materialised; "
                f"run `bhnav materialize --select +{self.asset.name}`."
            )
        self.tables_read[name] = version
        # Read the version we recorded, so the record names exactly what was used.
        frame = (self.spark.read.format("delta").option("versionAsOf", version)
                 .load(locations.spark_path(locations.table_uri(dep, self.settings))))
        if history or SNAPSHOT_COLUMN not in dep.schema:
            return frame
        from pyspark.sql import functions as F

        newest = frame.agg(F.max(SNAPSHOT_COLUMN)).first()[0]
        return frame.where(F.col(SNAPSHOT_COLUMN) == F.lit(newest))


def current_raw_inputs(asset: "Asset", settings: "Settings", storage: "Storage") -> tuple[RawInput, ...]:
    """The files a derived table is built from (the newest landing of each resource)."""
    from landing.manifests import current_manifests

    manifests = current_manifests(storage, asset)
    if not manifests:
        raise NotLandedError(
            f"Asset {asset.name!r} has not been landed yet; run `bhnav materialize --select {asset.name}` "
            "(with --snapshot DIR offline)."
        )
    return tuple(raw_input_from_manifest(asset, m, settings) for m in manifests)


def raw_input_from_manifest(asset: "Asset", manifest: Any, settings: "Settings") -> RawInput:
    """A RawInput from a landing manifest (an object or its dict form)."""
    get = manifest.get if isinstance(manifest, dict) else lambda k, d=None: getattr(manifest, k, d)
    file_name = get("file_name") or get("name")
    ingest = get("ingest_date")
    if isinstance(ingest, str):
        ingest = date.fromisoformat(ingest[:10])
    key = get("key") or locations.landing_key(asset, ingest, file_name)
    uri = f"{locations.lake_root(settings)}/{key}"
    from assets.period import Period

    period = get("period")
    return RawInput(
        asset=asset,
        uri=locations.spark_path(uri),
        key=key,
        file_name=file_name,
        sha256=get("sha256"),
        ingest_date=ingest,
        size=int(get("bytes") or get("size") or 0),
        resource=get("resource"),
        period=Period.parse(period) if period else None,
    )


def delta_version(spark: "SparkSession", uri: str) -> int | None:
    """The current version of the Delta table at ``uri``; None when there is no table."""
    from delta.tables import DeltaTable

    path = locations.spark_path(uri)
    if not DeltaTable.isDeltaTable(spark, path):
        return None
    row = DeltaTable.forPath(spark, path).history(1).select("version").first()
    return int(row[0]) if row else None
