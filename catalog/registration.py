"""What registering an asset does to its table, decided once for every catalog implementation.

``plan_registration`` is pure: from the table as stored (or None), the asset, and the run being
recorded, it returns the ``TableInput`` to store and the changes applied, or raises
``SchemaChangeError``. The local catalog and the Glue one differ only in where they store it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalog.glue_model import stat_parameters, stats_of, table_input, with_stats
from catalog.records import SUCCESS, MaterializationRecord
from catalog.schema_diff import Change, SchemaChangeError, SchemaDiff, diff_tables

if TYPE_CHECKING:
    from assets.asset import Asset
    from lake.settings import Settings


@dataclass(frozen=True)
class RegistrationPlan:
    database: str
    table_input: dict[str, Any]
    changes: tuple[str, ...]
    moved_from: tuple[str, ...]  # databases that hold the table today and must drop it


def plan_registration(asset: "Asset", settings: "Settings", current: dict[str, Any] | None,
                      record: MaterializationRecord | None = None, *, allow_breaking: bool = False,
                      elsewhere: tuple[str, ...] = ()) -> RegistrationPlan:
    """``current`` is the stored TableInput in the asset's zone database; ``elsewhere`` the other
    databases holding a table of that name (a zone change)."""
    if record is not None and record.asset != asset.name:
        raise ValueError(f"record of {record.asset!r} cannot be registered on table {asset.name!r}")
    database = settings.database(asset.zone)
    wanted = table_input(asset, settings)
    breaking = [Change("database", "(table)", other, database, False) for other in elsewhere]
    diff = diff_tables(current, wanted) if current is not None else SchemaDiff(asset.name, ())
    changes = (*breaking, *diff.changes)
    if (breaking or diff.is_breaking) and not allow_breaking:
        raise SchemaChangeError(SchemaDiff(table=asset.name, changes=tuple(changes)))
    stats = stats_of(current) if current is not None else {}
    if record is not None and record.status == SUCCESS:
        stats = stat_parameters(record)
    return RegistrationPlan(database=database, table_input=with_stats(wanted, stats),
                            changes=tuple(c.describe() for c in changes), moved_from=tuple(elsewhere))
