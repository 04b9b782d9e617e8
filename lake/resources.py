"""The one mapping from environment to resources: which implementation serves each interface.

Implementations are named by dotted path and imported only when asked for, so an interface module
(``lake.storage``, ``lake.secrets``, ``catalog.base``, ``catalog.query``) never imports its own
implementations, and a process in one environment never loads the other's libraries.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lake.settings import Settings

RESOURCES: dict[str, dict[str, str]] = {
    "storage": {"local": "lake.storage:LocalStorage", "aws": "lake.s3_storage:S3Storage"},
    "secrets": {"local": "lake.secrets:EnvSecrets", "aws": "lake.aws_secrets:AwsSecrets"},
    "catalog": {"local": "catalog.local:LocalCatalog", "aws": "catalog.glue:GlueCatalog"},
    "query": {"local": "catalog.query:LocalQueryEngine", "aws": "catalog.athena:AthenaQueryEngine"},
}


class ResourceError(RuntimeError):
    """No implementation of a resource can serve the environment (or it is not installed)."""


def implementation(kind: str, settings: "Settings") -> type:
    """The class serving ``kind`` (storage, secrets, catalog, query) in the settings' environment."""
    try:
        path = RESOURCES[kind][settings.env]
    except KeyError:
        raise ResourceError(f"no {kind} resource for environment {settings.env!r}; "
                            f"use one of {', '.join(RESOURCES.get(kind, {}))}") from None
    module, _, name = path.partition(":")
    try:
        return getattr(import_module(module), name)
    except ImportError as exc:
        raise ResourceError(f"the {settings.env} {kind} resource ({module}) is not installed in this build: "
                            f"{exc.name or exc}") from exc


def resource(kind: str, settings: "Settings", **options: Any):
    """An instance of the environment's ``kind``, built from the settings."""
    return implementation(kind, settings).from_settings(settings, **options)
