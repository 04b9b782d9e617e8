"""A derived asset's transform: a reference to a function of Spark DataFrames, or SQL.

The function is referenced as ``"module:function"`` and resolved only when it runs, so reading
the asset graph (the CLI, a DAG file being parsed) never imports Spark. Its code version is the
hash of the module's source, read from disk without importing it.
"""

from __future__ import annotations

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
            spec = importlib.util.find_spec(self.module)
            if spec is None or not spec.origin:
                raise AssetDefinitionError(None, f"transform module {self.module!r} cannot be found", "Check the reference.")
            with open(spec.origin, "rb") as handle:
                digest.update(handle.read())
            digest.update(self.ref.encode())
        return digest.hexdigest()[:16]
