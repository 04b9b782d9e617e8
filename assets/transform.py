"""A derived asset's transform: a reference to a function of Spark DataFrames, or SQL.

The function is referenced as ``"module:function"`` and resolved only when it runs, so reading
the asset graph (the CLI, a DAG file being parsed) never imports Spark. Its code version hashes the
module's source and the sources of the modules of its own package it imports (parsing helpers,
spatial joins), found by reading the import statements, never by importing.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.util
import re
from dataclasses import dataclass
from functools import cached_property

from assets.errors import AssetDefinitionError

_REF = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


@dataclass(frozen=True, kw_only=True)
class Transform:
    ref: str | None = None
    sql: str | None = None

    @classmethod
    def python(cls, ref: str) -> "Transform":
        return cls(ref=ref)

    @classmethod
    def from_sql(cls, sql: str) -> "Transform":
        return cls(sql=sql)

    def validated(self, asset: str | None) -> "Transform":
        if (self.ref is None) == (self.sql is None):
            raise AssetDefinitionError(asset, "a transform needs exactly one of ref or sql", "Use Transform.python or Transform.from_sql.")
        if self.ref is not None and not _REF.match(self.ref):
            raise AssetDefinitionError(
                asset, f"transform {self.ref!r} is not a 'module:function' reference", "Write it as 'spark.transforms.x:build'."
            )
        return self

    @property
    def module(self) -> str:
        return self.ref.split(":", 1)[0] if self.ref else ""

    def resolve(self):
        """Import and return the function (only at run time)."""
        module, function = self.ref.split(":", 1)
        return getattr(importlib.import_module(module), function)

    @cached_property
    def code_version(self) -> str:
        digest = hashlib.sha256()
        if self.sql is not None:
            digest.update(self.sql.encode())
        else:
            for module in sorted(_project_modules(self.module)):
                digest.update(module.encode())
                digest.update(_source(module))
            digest.update(self.ref.encode())
        return digest.hexdigest()[:16]


def _source(module: str) -> bytes:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        raise AssetDefinitionError(None, f"transform module {module!r} cannot be found", "Check the reference.")
    # Through the loader: inside Glue the module is in the --extra-py-files zip, not a file.
    source = spec.loader.get_source(module) if spec.loader is not None else None
    if source is None:
        raise AssetDefinitionError(None, f"transform module {module!r} has no source", "Ship its .py file.")
    return source.encode()


def _project_modules(root: str) -> set[str]:
    """The module and, transitively, the modules of the same top package that it imports."""
    package = root.split(".", 1)[0]
    found: set[str] = set()
    pending = [root]
    while pending:
        module = pending.pop()
        if module in found:
            continue
        found.add(module)
        for node in ast.walk(ast.parse(_source(module))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
                if _is_package(node.module):  # only then may the imported names be submodules
                    names += [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                if name.split(".", 1)[0] == package and name not in found and _is_module(name):
                    pending.append(name)
    return found


def _spec(name: str):
    try:
        return importlib.util.find_spec(name)
    except (ImportError, AttributeError, ValueError):
        return None


def _is_module(name: str) -> bool:
    return _spec(name) is not None


def _is_package(name: str) -> bool:
    spec = _spec(name)
    return spec is not None and spec.submodule_search_locations is not None
