"""What every landing source does: write the asset's current file into a staged file, or say
that it has not changed since the previous landing."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

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


class LandingSource(ABC):
    kind: str

    @abstractmethod
    def fetch(self, asset: Asset, previous: Manifest | None, staged: StagedFile) -> Fetched | Unchanged:
        """Fill ``staged`` with the asset's file (LandingError on failure), or return Unchanged."""
