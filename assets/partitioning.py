"""Partitioning: time partitions ``ano``/``mes``/``dia`` derived from one date column, plus attributes."""

from __future__ import annotations

from dataclasses import dataclass, field

from assets.errors import AssetDefinitionError
from assets.names import check_name
from assets.schema import Schema

GRAINS = ("year", "month", "day")
TIME_COLUMNS = {"year": ("ano",), "month": ("ano", "mes"), "day": ("ano", "mes", "dia")}
TIME_COLUMN_TYPES = {"ano": "int", "mes": "int", "dia": "int"}


@dataclass(frozen=True, kw_only=True)
class Partitioning:
    """``date_column`` at ``grain`` yields the time partitions; ``attributes`` follow them."""

    date_column: str | None = None
    grain: str = "month"
    attributes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        object.__setattr__(self, "attributes", tuple(self.attributes))

    @classmethod
    def by_date(cls, date_column: str, grain: str = "month", *attributes: str) -> "Partitioning":
        return cls(date_column=date_column, grain=grain, attributes=attributes)

    @classmethod
    def by_attributes(cls, *attributes: str) -> "Partitioning":
        return cls(date_column=None, attributes=attributes)

    @property
    def time_columns(self) -> tuple[str, ...]:
        return TIME_COLUMNS[self.grain] if self.date_column else ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Partition columns in directory order: ``ano=/mes=/dia=`` then the attributes."""
        return self.time_columns + self.attributes

    def validated(self, asset: str | None, table_schema: Schema) -> "Partitioning":
        if self.grain not in GRAINS:
            raise AssetDefinitionError(
                asset, f"partition grain {self.grain!r} is unknown", f"Use one of {', '.join(GRAINS)}."
            )
        if self.date_column is not None:
            source = table_schema.get(self.date_column)
            if source is None:
                raise AssetDefinitionError(
                    asset,
                    f"partition column 'ano' is derived from {self.date_column!r}, which is not in the schema",
                    "Declare that column in the schema or choose another date column.",
                )
            if source.type not in ("date", "timestamp"):
                raise AssetDefinitionError(
                    asset,
                    f"partition column 'ano' must be derived from a date column; "
                    f"{self.date_column!r} is {source.type}",
                    "Declare it as date or choose another column.",
                )
            for name in self.time_columns:
                declared = table_schema.get(name)
                if declared is None:
                    raise AssetDefinitionError(
                        asset,
                        f"partition column {name!r} (from {self.date_column!r} at grain {self.grain!r}) "
                        "is absent from the schema",
                        f"Add Column(name={name!r}, type='int', ...) to the schema.",
                    )
                if declared.type != TIME_COLUMN_TYPES[name]:
                    raise AssetDefinitionError(
                        asset,
                        f"partition column {name!r} has type {declared.type}",
                        "Declare it as int.",
                    )
        for name in self.attributes:
            check_name(asset, "partition", name)
            if name in self.time_columns:
                raise AssetDefinitionError(
                    asset, f"attribute partition {name!r} repeats a time partition", "Remove it from attributes."
                )
            if name not in table_schema:
                raise AssetDefinitionError(
                    asset,
                    f"partition column {name!r} is absent from the schema",
                    "Declare the column in the schema or remove it from the partitioning.",
                )
        return self
