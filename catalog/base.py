"""The catalog interface: Glue's model (a database per zone, tables as ``TableInput`` dicts).

``get_catalog(settings)`` picks the implementation: the local catalog on disk under the lake, or
the Glue Data Catalog in AWS. Writers (the Spark runtime) call ``register`` after each publish and
``record`` for runs that change no table; readers (the app, ``bhnav status``) use the rest.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from catalog.records import SUCCESS, MaterializationRecord
from catalog.schema_diff import SchemaChangeError, SchemaDiff  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from assets.asset import Asset
    from lake.settings import Settings

_P = "bhnav."


@dataclass(frozen=True)
class TableEntry:
    """One registered table: its database, its Glue ``TableInput`` and when it changed."""

    database: str
    table_input: dict[str, Any]
    created_at: str = ""
    updated_at: str = ""
    changes: tuple[str, ...] = field(default=())  # the compatible changes applied by the last register

    @property
    def name(self) -> str:
        return self.table_input["Name"]

    @property
    def parameters(self) -> dict[str, str]:
        return self.table_input.get("Parameters", {})

    @property
    def location(self) -> str:
        return self.table_input["StorageDescriptor"]["Location"]

    @property
    def zone(self) -> str:
        return self.parameters.get(f"{_P}zone", "")

    @property
    def table_type(self) -> str:
        return self.parameters.get("table_type", "EXTERNAL")

    @property
    def columns(self) -> list[dict[str, Any]]:
        return self.table_input["StorageDescriptor"]["Columns"]

    @property
    def partition_keys(self) -> list[dict[str, Any]]:
        return self.table_input.get("PartitionKeys", [])

    @property
    def all_columns(self) -> list[dict[str, Any]]:
        """Data columns then partition keys, as a query engine sees the table."""
        return self.columns + self.partition_keys

    # Statistics of the last successful materialisation (None when it never succeeded).
    @property
    def rows(self) -> int | None:
        value = self.parameters.get(f"{_P}rows")
        return int(value) if value not in (None, "") else None

    @property
    def delta_version(self) -> int | None:
        value = self.parameters.get(f"{_P}delta_version")
        return int(value) if value not in (None, "") else None

    @property
    def last_materialized_at(self) -> datetime | None:
        value = self.parameters.get(f"{_P}last_materialized_at")
        return datetime.fromisoformat(value) if value else None

    @property
    def newest_data_date(self) -> date | None:
        value = self.parameters.get(f"{_P}newest_data_date")
        return date.fromisoformat(value) if value else None

    @property
    def quarantined_rows(self) -> int:
        return int(self.parameters.get(f"{_P}quarantined_rows") or 0)

    @property
    def input_versions(self) -> dict[str, str]:
        return json.loads(self.parameters.get(f"{_P}input_versions") or "{}")

    @property
    def checks(self) -> list[dict[str, Any]]:
        return json.loads(self.parameters.get(f"{_P}checks") or "[]")

    def to_dict(self) -> dict[str, Any]:
        return {"database": self.database, "table_input": self.table_input, "created_at": self.created_at,
                "updated_at": self.updated_at, "changes": list(self.changes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TableEntry":
        return cls(database=data["database"], table_input=data["table_input"], created_at=data.get("created_at", ""),
                   updated_at=data.get("updated_at", ""), changes=tuple(data.get("changes") or ()))


class Catalog(ABC):
    """Where tables are registered and runs recorded. Implementations: local, Glue.

    A Glue implementation builds its ``DatabaseInput``/``TableInput`` with ``catalog.glue_model``
    and its refusals with ``catalog.schema_diff``, so both catalogs accept and refuse the same
    changes; only storage differs (Glue's API instead of JSON files).
    """

    @classmethod
    def from_settings(cls, settings, **options):
        """The instance the environment mapping (lake.resources) builds from the settings."""
        return cls(settings, **options)


    settings: "Settings"

    @abstractmethod
    def register(self, asset: "Asset", record: MaterializationRecord | None = None, *,
                 allow_breaking: bool = False) -> TableEntry:
        """Create or update the asset's table so it follows the asset; idempotent.

        A compatible schema change updates the table; an incompatible one raises
        ``SchemaChangeError`` (with the diff) unless ``allow_breaking``. A successful ``record``
        replaces the table's run statistics; a skipped or failed one is only added to history.
        """

    @abstractmethod
    def record(self, record: MaterializationRecord) -> None:
        """Add a run that changed no table (a failure, a skip) to the asset's history."""

    @abstractmethod
    def get_table(self, asset_name: str) -> TableEntry | None: ...

    @abstractmethod
    def list_tables(self) -> list[TableEntry]: ...

    @abstractmethod
    def history(self, asset_name: str) -> list[MaterializationRecord]:
        """Every recorded run of the asset, oldest first."""

    def last_record(self, asset_name: str, status: str | None = SUCCESS) -> MaterializationRecord | None:
        """The newest run with that status (any status when ``status`` is None)."""
        for rec in reversed(self.history(asset_name)):
            if status is None or rec.status == status:
                return rec
        return None

    @abstractmethod
    def version(self) -> str:
        """A cheap token that changes whenever the catalog changes (for cache invalidation)."""

    def diff(self, asset: "Asset") -> SchemaDiff | None:
        """What ``register`` would change in the schema (None when the table is new)."""
        from catalog.glue_model import table_input
        from catalog.schema_diff import diff_tables

        from catalog.schema_diff import Change

        current = self.get_table(asset.name)
        if current is None:
            return None
        diff = diff_tables(current.table_input, table_input(asset, self.settings))
        database = self.settings.database(asset.zone)
        if current.database != database:
            moved = Change("database", "(table)", current.database, database, False)
            diff = SchemaDiff(table=diff.table, changes=(moved, *diff.changes))
        return diff


def get_catalog(settings: "Settings | None" = None) -> Catalog:
    """The catalog of the environment (lake.resources): the local one, or Glue's."""
    from lake.resources import resource
    from lake.settings import get_settings

    return resource("catalog", settings or get_settings())
