"""What a materialisation is built from, and whether it can be skipped.

An asset's input versions are its raw inputs' landed sha256s and its upstream tables' Delta
versions (as of their last successful materialisation). Equal input versions and code version
to the last success, with the table still in place, mean the run would rebuild the same table:
it is skipped (a changed declaration counts as changed code). Deciding this needs no Spark: a rerun with nothing changed starts no JVM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lake import locations

if TYPE_CHECKING:
    from assets.asset import Asset
    from assets.graph import AssetGraph
    from catalog.base import Catalog
    from catalog.records import MaterializationRecord
    from lake.settings import Settings
    from lake.storage import Storage


class NotLandedError(RuntimeError):
    """A raw input has no landing yet."""


class MissingTableError(RuntimeError):
    """An upstream table has never been materialised."""


def raw_files(asset: "Asset", storage: "Storage") -> dict[str, str]:
    """``{landed key: sha256}`` of the files a derived table is built from (landing.manifests)."""
    from landing.manifests import current_manifests

    manifests = current_manifests(storage, asset)
    if not manifests:
        raise NotLandedError(
            f"Asset {asset.name!r} has not been landed yet; run `bhnav materialize --select {asset.name}` "
            "(with --snapshot DIR offline)."
        )
    return {m.key: m.sha256 for m in manifests}


def raw_version(asset: "Asset", storage: "Storage") -> str:
    """One file: its sha256; several: one hash over every file's key and sha256."""
    import hashlib

    files = raw_files(asset, storage)
    if len(files) == 1:
        return next(iter(files.values()))
    text = "\n".join(f"{key} {sha}" for key, sha in sorted(files.items()))
    return "files:" + hashlib.sha256(text.encode()).hexdigest()


def table_version(asset: "Asset", catalog: "Catalog") -> str:
    last = catalog.last_record(asset.name)
    if last is None or last.delta_version is None:
        raise MissingTableError(f"Asset {asset.name!r} has not been materialised yet.")
    return str(last.delta_version)


def input_versions(asset: "Asset", graph: "AssetGraph", storage: "Storage", catalog: "Catalog") -> dict[str, str]:
    versions = {}
    for name in asset.deps:
        dep = graph[name]
        versions[name] = raw_version(dep, storage) if dep.is_raw else table_version(dep, catalog)
    return versions


def definition_version(asset: "Asset") -> str:
    """A fingerprint of what the declaration says about the table (schema, partitions, checks,
    params): a changed declaration rebuilds the table even when the transform's code did not change."""
    import hashlib

    text = repr((asset.schema, asset.partitioning, asset.checks, sorted(asset.params.items())))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def table_exists(asset: "Asset", storage: "Storage") -> bool:
    return bool(storage.list(f"{locations.table_key(asset)}/_delta_log"))


def unchanged(asset: "Asset", versions: dict[str, str], last: "MaterializationRecord | None",
              storage: "Storage") -> bool:
    """True when the last success was built from the same inputs and code and is still there."""
    return (
        last is not None
        and last.input_versions == versions
        and last.code_version == asset.code_version
        and last.notes.get("definition_version") == definition_version(asset)
        and table_exists(asset, storage)
    )
