"""What every landing source does: write the asset's current file into a staged file, or say
that it has not changed since the previous landing."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from assets.asset import Asset
from landing.manifests import Manifest
from landing.staging import StagedFile


@dataclass(frozen=True, kw_only=True)
class Fetched:
    """The staged file now holds the source's bytes; these are their provenance."""

    file_name: str
    source_url: str
    resource_id: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    ckan_last_modified: str | None = None
    ckan_hash: str | None = None
    content_type: str | None = None
    expected_bytes: int | None = None  # what the source announced (Content-Length, SIZE)


@dataclass(frozen=True, kw_only=True)
class Unchanged:
    """The source says the file is the one already landed; nothing was downloaded."""

    reason: str
    source_url: str


@dataclass(frozen=True, kw_only=True)
class Resource:
    """One file a source offers for an asset: its identity there, its name and what it describes
    (``detail``: a CKAN resource's fields, a snapshot file's path)."""

    key: str  # stable identity: a CKAN resource id, a snapshot file's relative path, an FTP path
    name: str
    detail: Any = None


class LandingSource(ABC):
    kind: str

    def resources(self, asset: Asset) -> list[Resource]:
        """The files the source offers for the asset: one, or every one its selection matches."""
        return [Resource(key="", name=asset.source.file_name)]

    @abstractmethod
    def fetch(self, asset: Asset, previous: Manifest | None, staged: StagedFile,
              resource: Resource) -> Fetched | Unchanged:
        """Fill ``staged`` with the resource's file (LandingError on failure), or return Unchanged."""
