"""The asset graph: every declaration checked together (names, references, cycles)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from assets.asset import Asset
from assets.errors import AssetDefinitionError


@dataclass(frozen=True)
class AssetGraph:
    assets: tuple[Asset, ...]

    @classmethod
    def build(cls, assets: Iterable[Asset]) -> "AssetGraph":
        graph = cls(tuple(assets))
        graph._validate()
        return graph

    def _validate(self) -> None:
        seen: set[str] = set()
        for asset in self.assets:
            if asset.name in seen:
                raise AssetDefinitionError(asset.name, "the name is declared twice", "Give each asset a unique name.")
            seen.add(asset.name)
        for asset in self.assets:
            for dep in asset.deps:
                if dep not in seen:
                    raise AssetDefinitionError(
                        asset.name, f"dependency {dep!r} is not a declared asset", "Declare it or fix the name."
                    )
            for check in asset.checks:
                if check.ref_asset and check.ref_asset not in seen:
                    raise AssetDefinitionError(
                        asset.name, f"check {check.name} refers to unknown asset {check.ref_asset!r}", "Fix the name."
                    )
                if check.ref_asset and check.ref_column not in self[check.ref_asset].schema:
                    raise AssetDefinitionError(
                        asset.name,
                        f"check {check.name} refers to column {check.ref_column!r}, absent from {check.ref_asset!r}",
                        "Fix the column name.",
                    )
            if asset.zone == "analytics":
                for dep in asset.deps:
                    if self[dep].is_raw:
                        raise AssetDefinitionError(
                            asset.name, f"an analytics asset reads raw asset {dep!r}", "Read its curated table instead."
                        )
        self.topological_order()  # raises on cycles

    @cached_property
    def _by_name(self) -> dict[str, Asset]:
        return {a.name: a for a in self.assets}

    def __getitem__(self, name: str) -> Asset:
        try:
            return self._by_name[name]
        except KeyError:
            close = sorted(n for n in self._by_name if n.startswith(name[:3]))[:3]
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"No asset named {name!r}.{hint}") from None

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def __iter__(self):
        return iter(self.assets)

    def __len__(self) -> int:
        return len(self.assets)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.assets)

    def upstream(self, name: str) -> tuple[str, ...]:
        return self[name].deps

    def downstream(self, name: str) -> tuple[str, ...]:
        return tuple(a.name for a in self.assets if name in a.deps)

    def topological_order(self) -> tuple[str, ...]:
        """Kahn's order, stable in declaration order; a cycle names its members."""
        remaining = {a.name: set(a.deps) for a in self.assets}
        order: list[str] = []
        while remaining:
            ready = [n for n in self.names if n in remaining and not remaining[n]]
            if not ready:
                cycle = " -> ".join(sorted(remaining))
                raise AssetDefinitionError(
                    sorted(remaining)[0], f"the dependencies form a cycle among {cycle}", "Break the cycle by removing a dep."
                )
            for name in ready:
                order.append(name)
                del remaining[name]
            for deps in remaining.values():
                deps.difference_update(ready)
        return tuple(order)

    def ancestors(self, name: str) -> tuple[str, ...]:
        found: list[str] = []
        stack = list(self[name].deps)
        while stack:
            dep = stack.pop()
            if dep not in found:
                found.append(dep)
                stack.extend(self[dep].deps)
        return tuple(n for n in self.topological_order() if n in found)

    def descendants(self, name: str) -> tuple[str, ...]:
        found: set[str] = set()
        stack = list(self.downstream(name))
        while stack:
            child = stack.pop()
            if child not in found:
                found.add(child)
                stack.extend(self.downstream(child))
        return tuple(n for n in self.topological_order() if n in found)

    def select(self, selectors: Iterable[str] | None) -> tuple[str, ...]:
        """``name``, ``name+`` (with downstream), ``+name`` (with upstream), ``zone:curated``; topological."""
        selectors = [s for s in (selectors or []) if s]
        if not selectors:
            return self.topological_order()
        chosen: set[str] = set()
        for selector in selectors:
            if selector.startswith("zone:"):
                chosen.update(a.name for a in self.assets if a.zone == selector[5:])
                continue
            name = selector.strip("+")
            self[name]  # raises on unknown names
            chosen.add(name)
            if selector.endswith("+"):
                chosen.update(self.descendants(name))
            if selector.startswith("+"):
                chosen.update(self.ancestors(name))
        return tuple(n for n in self.topological_order() if n in chosen)

    def raw_inputs(self, name: str) -> tuple[str, ...]:
        return tuple(d for d in self[name].deps if self[d].is_raw)
