"""The one place a table's location is computed: every URI in the project comes from here.

Local: ``file:///abs/path/.lake/<zone>/<table>``; AWS: ``s3://<bucket>/<zone>/<table>``.
Raw assets live under ``raw/<source>/<dataset>``, their landings under ``ingest_date=YYYY-MM-DD/``.
"""

from __future__ import annotations

from datetime import date

from assets.asset import Asset
from lake.settings import Settings


def lake_root(settings: Settings) -> str:
    if settings.is_aws:
        return f"s3://{settings.require_bucket()}"
    return settings.lake_dir.absolute().as_uri()


def table_key(asset: Asset) -> str:
    """The table's prefix inside the lake, without scheme or bucket."""
    if asset.is_raw:
        return f"raw/{asset.source.name}/{asset.name}"
    return f"{asset.zone}/{asset.name}"


def table_uri(asset: Asset, settings: Settings) -> str:
    return f"{lake_root(settings)}/{table_key(asset)}"


def landing_key(asset: Asset, ingest_date: date, file_name: str) -> str:
    return f"{table_key(asset)}/ingest_date={ingest_date.isoformat()}/{file_name}"


def quarantine_key(asset: Asset) -> str:
    return f"quarantine/{asset.name}"


def quarantine_uri(asset: Asset, settings: Settings) -> str:
    return f"{lake_root(settings)}/{quarantine_key(asset)}"


def spark_path(uri: str) -> str:
    """Spark's Hadoop file systems speak ``s3a://`` for S3; everything else is used as is."""
    return "s3a://" + uri[len("s3://"):] if uri.startswith("s3://") else uri


def local_path(uri: str):
    """The filesystem path of a ``file://`` URI (local environment only)."""
    from pathlib import Path
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    if parsed.scheme != "file":
        raise ValueError(f"{uri!r} is not a local file URI")
    return Path(unquote(parsed.path))
