"""Shorthands that keep declarations short: a raw asset from its published header."""

from __future__ import annotations

from assets.asset import Asset
from assets.checks import Check
from assets.freshness import FreshnessPolicy
from assets.names import unique_snake_names
from assets.schema import Column, Schema
from assets.source import Source


def raw_asset(
    *,
    name: str,
    description: str,
    source: Source,
    domain: str,
    owner: str = "dados-bh",
    freshness: FreshnessPolicy | None = None,
    tags: tuple[str, ...] = (),
) -> Asset:
    """A raw table: the published columns as strings (names made Athena-safe), read as landed.

    The header comes from the source's first layout (or ``expected_columns``); a landed file whose header differs is
    schema drift, reported by the curated step that reads it.
    """
    if not source.header:
        raise ValueError(f"raw asset {name!r}: declare source.layouts or source.expected_columns (the published header)")
    columns = tuple(
        Column(name=column, type="string", description=f"As published in column {header!r}.")
        for column, header in zip(unique_snake_names(source.header), source.header)
    )
    return Asset(
        name=name,
        zone="raw",
        description=description,
        owner=owner,
        domain=domain,
        tags=tags,
        schema=Schema(columns=columns),
        source=source,
        freshness=freshness or FreshnessPolicy.monthly(),
        checks=(Check.row_count(min=1),),
    )
