"""The one error type of a bad declaration, phrased the same way everywhere."""

from __future__ import annotations


class AssetDefinitionError(ValueError):
    """A declaration breaks a rule. The message names the asset, the value, the rule and the fix."""

    def __init__(self, asset: str | None, problem: str, fix: str):
        self.asset = asset
        self.problem = problem
        self.fix = fix
        where = f"Asset {asset!r}: " if asset else ""
        super().__init__(f"{where}{problem}. {fix}")
