"""The contract between the runtime and a transform.

A transform is ``def build(ctx: TransformContext) -> TransformOutput``. It reads its raw inputs
(``ctx.raw``) or upstream tables (``ctx.table``) and returns every column of its asset's schema
except the time partitions (``ano``/``mes``/``dia``), which the runtime derives from the declared
date column. Rows it cannot parse or type go to ``quarantine`` with a reason; the runtime enforces
the schema's types, runs the checks, protects PII columns and publishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # Spark is imported only where a job runs
    from pyspark.sql import DataFrame, SparkSession

    from assets.asset import Asset
    from assets.graph import AssetGraph
    from assets.period import Period
    from lake.settings import Settings

QUARANTINE_COLUMNS = ("_file", "_line", "reason", "raw_line")


@dataclass(frozen=True, kw_only=True)
class RawInput:
    """One landed file of a raw asset, as its manifest describes it."""

    asset: "Asset"
    uri: str  # where Spark reads it (file://... or s3a://...)
    key: str  # the key in the lake storage
    file_name: str
    sha256: str
    ingest_date: date
    size: int
    resource: str | None = None  # which of the source's resources it is
    period: "Period | None" = None  # what it covers, when its name says


class SchemaDriftError(ValueError):
    """A landed file's header differs from the declared one; nothing is published."""

    def __init__(self, asset: str, file: str, missing: list[str], extra: list[str]):
        self.asset, self.file, self.missing, self.extra = asset, file, missing, extra
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"unexpected {', '.join(extra)}")
        super().__init__(
            f"Asset {asset!r}: the header of {file} changed ({'; '.join(parts)}). The raw file is kept and the "
            "curated table is untouched; declare the rename in ParserOptions.header_rename or update expected_columns."
        )


@dataclass(kw_only=True)
class TransformOutput:
    data: "DataFrame"
    quarantine: "DataFrame | None" = None  # columns QUARANTINE_COLUMNS
    notes: dict[str, Any] = field(default_factory=dict)  # e.g. {"points_outside_bairros": 12}


class TransformContext:
    """Implemented by the runtime; a transform sees only this."""

    spark: "SparkSession"
    asset: "Asset"
    graph: "AssetGraph"
    settings: "Settings"

    @property
    def params(self) -> Mapping[str, Any]:
        return self.asset.params

    def raw(self, name: str) -> RawInput:
        """The newest landed file of a raw input (a source of one file)."""
        raise NotImplementedError

    def raw_files(self, name: str) -> tuple[RawInput, ...]:
        """The landed files of a raw input this run reads (every resource, or those of its period)."""
        raise NotImplementedError

    def read(self, name: str) -> "DataFrame":
        """The raw input's files through the typed copy: the asset's columns that name a source
        column, typed by their rules, and the provenance the runtime quarantines bad rows with."""
        raise NotImplementedError

    def table(self, name: str, *, history: bool = False) -> "DataFrame":
        """An upstream table; of a periodic snapshot table, the newest snapshot unless ``history``."""
        raise NotImplementedError
