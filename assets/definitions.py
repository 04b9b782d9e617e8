"""The Belo Horizonte asset graph: every Asset declared in a domain package, checked together.

Declaring a table is enough: any module-level ``Asset`` in a subpackage of ``assets``
(``assets/<domain>/<table>.py``) joins the graph. A team may keep declarations outside the
package too, in the folder named by ``BHNAV_EXTRA_ASSETS_DIR``.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from functools import lru_cache
from pathlib import Path

import assets as _package
from assets.asset import Asset
from assets.graph import AssetGraph


def _module_assets(module) -> list[Asset]:
    return [value for value in vars(module).values() if isinstance(value, Asset)]


def _domain_modules():
    for info in sorted(pkgutil.iter_modules(_package.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        package = importlib.import_module(f"assets.{info.name}")
        for sub in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            yield importlib.import_module(f"assets.{info.name}.{sub.name}")


def _extra_modules(folder: Path):
    for path in sorted(folder.glob("*.py")):
        name = f"bhnav_extra_assets.{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        yield module


def discover(extra_dir: Path | None = None) -> tuple[Asset, ...]:
    """Every declared asset, raw ones first, each once (imports between modules are not repeats)."""
    found: list[Asset] = []
    seen: set[int] = set()
    modules = list(_domain_modules())
    if extra_dir is not None and extra_dir.is_dir():
        modules.extend(_extra_modules(extra_dir))
    for module in modules:
        for asset in _module_assets(module):
            if id(asset) not in seen:
                seen.add(id(asset))
                found.append(asset)
    order = {"raw": 0, "curated": 1, "analytics": 2}
    return tuple(sorted(found, key=lambda a: order[a.zone]))


@lru_cache(maxsize=4)
def _graph(extra_dir: str | None) -> AssetGraph:
    return AssetGraph.build(discover(Path(extra_dir) if extra_dir else None))


def graph_of(extra_dir: Path | None) -> AssetGraph:
    """The project's graph with the assets of ``extra_dir``, built once per process and folder."""
    return _graph(str(extra_dir) if extra_dir else None)


def extra_assets_dir() -> Path | None:
    """The folder of extra asset declarations (``BHNAV_EXTRA_ASSETS_DIR``), read when called; the
    settings (lake.settings) take it from here."""
    import os

    folder = os.environ.get("BHNAV_EXTRA_ASSETS_DIR")
    return Path(folder).absolute() if folder else None


def load_graph() -> AssetGraph:
    """The project's graph with the extra assets folder (BHNAV_EXTRA_ASSETS_DIR)."""
    return graph_of(extra_assets_dir())
