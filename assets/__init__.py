"""The asset model: one frozen declaration per lake table, and the graph over them."""

from assets.asset import ZONES, Asset
from assets.checks import Check
from assets.errors import AssetDefinitionError
from assets.freshness import FreshnessPolicy
from assets.graph import AssetGraph
from assets.partitioning import Partitioning
from assets.schema import Column, Schema, col
from assets.source import CkanResource, FtpLocation, ParserOptions, Source
from assets.transform import Transform

__all__ = [
    "ZONES", "Asset", "AssetDefinitionError", "AssetGraph", "Check", "CkanResource", "Column",
    "FreshnessPolicy", "FtpLocation", "ParserOptions", "Partitioning", "Schema", "Source", "Transform", "col",
]
