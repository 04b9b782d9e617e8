"""The asset: one lake table, declared once, from which everything else is computed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from assets.checks import Check
from assets.errors import AssetDefinitionError
from assets.freshness import FreshnessPolicy
from assets.names import check_name
from assets.partitioning import Partitioning
from assets.schema import Schema
from assets.source import Source
from assets.transform import Transform

ZONES = ("raw", "curated", "analytics")


@dataclass(frozen=True, kw_only=True)
class Asset:
    """A frozen, keyword-only table declaration, validated when built; change it with ``replace``.

    ``deps`` accepts asset objects or names and keeps names. ``schedule_on`` is ``"all"`` (run
    when every upstream has new data) or ``"any"``. ``params`` are the transform's parameters
    (weights, thresholds). Raw assets carry a ``source``; derived ones a ``transform``.
    """

    name: str
    zone: str
    description: str
    owner: str = "dados-bh"
    domain: str = "geral"
    tags: tuple[str, ...] = ()
    deps: tuple[Any, ...] = ()
    schema: Schema | None = None
    partitioning: Partitioning = field(default_factory=Partitioning)
    freshness: FreshnessPolicy = field(default_factory=FreshnessPolicy.monthly)
    checks: tuple[Check, ...] = ()
    source: Source | None = None
    transform: Transform | None = None
    schedule_on: str = "all"
    params: Mapping[str, Any] = field(default_factory=dict)
    retries: int | None = None
    retry_delay_s: int | None = None
    glue_workers: int | None = None
    glue_worker_type: str | None = None
    pii_salt_secret: str | None = None

    def __post_init__(self):
        check_name(None, "asset", self.name)
        name = self.name
        if self.zone not in ZONES:
            raise AssetDefinitionError(name, f"zone {self.zone!r} is unknown", f"Use one of {', '.join(ZONES)}.")
        if not self.description or not self.description.strip():
            raise AssetDefinitionError(name, "the description is empty", "Say what the table holds and where it comes from.")
        object.__setattr__(self, "tags", tuple(self.tags))
        object.__setattr__(self, "deps", tuple(_dep_name(name, d) for d in self.deps))
        object.__setattr__(self, "checks", tuple(self.checks))
        object.__setattr__(self, "params", dict(self.params))
        if len(set(self.deps)) != len(self.deps):
            raise AssetDefinitionError(name, f"deps {list(self.deps)} repeat a name", "List each upstream once.")
        if name in self.deps:
            raise AssetDefinitionError(name, "the asset depends on itself", "Remove it from its deps.")
        if self.schema is None:
            raise AssetDefinitionError(name, "no schema is declared", "Pass schema=Schema(columns=(...)).")
        object.__setattr__(self, "schema", self.schema.validated(name))
        self.partitioning.validated(name, self.schema)
        for check in self.checks:
            check.validated(name, self.schema.names)
        if self.schedule_on not in ("all", "any"):
            raise AssetDefinitionError(name, f"schedule_on {self.schedule_on!r} is unknown", "Use 'all' or 'any'.")
        if self.zone == "raw":
            if self.source is None:
                raise AssetDefinitionError(name, "a raw asset has no source", "Pass source=Source(...).")
            if self.transform is not None or self.deps:
                raise AssetDefinitionError(name, "a raw asset has a transform or deps", "Raw assets only land a source; move the logic to a curated asset.")
            self.source.validated(name)
        else:
            if self.transform is None:
                raise AssetDefinitionError(name, f"a {self.zone} asset has no transform", "Pass transform=Transform.python('module:function').")
            if self.source is not None:
                raise AssetDefinitionError(name, f"a {self.zone} asset has a source", "Declare the source on a raw asset and depend on it.")
            if not self.deps:
                raise AssetDefinitionError(name, f"a {self.zone} asset has no deps", "Name the assets it reads.")
            self.transform.validated(name)

    def replace(self, **changes) -> "Asset":
        return replace(self, **changes)

    @property
    def is_raw(self) -> bool:
        return self.zone == "raw"

    @property
    def pii_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.schema if c.pii)

    @property
    def code_version(self) -> str | None:
        return self.transform.code_version if self.transform else None


def _dep_name(asset: str, dep: Any) -> str:
    if isinstance(dep, Asset):
        return dep.name
    if isinstance(dep, str):
        return dep
    raise AssetDefinitionError(asset, f"dependency {dep!r} is neither an Asset nor a name", "Pass the Asset or its name.")
