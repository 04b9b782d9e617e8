"""Personal data never leaves the curated zone in clear: each ``pii`` column is hashed or dropped.

``hash`` is a salted SHA-256 (hex) of the value, so joins and uniqueness still work while the
value cannot be looked up in a list of names or CNPJs without the salt. ``drop`` keeps the
column (the schema stays the asset's) with every value null.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from assets.asset import Asset
    from lake.settings import Settings


def hashes_pii(asset: "Asset") -> bool:
    """The asset hashes personal data (so it needs the salt, and its Glue job may read the salt's secret)."""
    return any(c.pii and c.pii_handling == "hash" for c in asset.schema)


def pii_salt(asset: "Asset", settings: "Settings") -> str:
    """The salt of the asset's PII hashes.

    In AWS it comes from Secrets Manager only: the asset's ``pii_salt_secret``, else the lake's
    ``<prefix>/pii-salt`` (lake.aws_names.pii_salt_secret; the stack creates it with a random value
    and lets only the jobs that hash PII read it). The public development salt is refused there.
    Locally: the asset's secret when it declares one, else ``BHNAV_PII_SALT`` (default: the
    development salt).
    """
    from lake.secrets import get_secret
    from lake.settings import DEV_PII_SALT

    if not hashes_pii(asset):
        return ""  # nothing is hashed: no salt needed, no secret read
    if settings.is_aws:
        from lake.aws_names import pii_salt_secret

        name = pii_salt_secret(asset, settings)
    elif asset.pii_salt_secret:
        name = asset.pii_salt_secret
    else:
        return settings.pii_salt
    salt = get_secret(name, settings).get("salt")
    if not salt:
        raise ValueError(f"Asset {asset.name!r}: secret {name!r} has no 'salt' field; store {{\"salt\": \"<random text>\"}}.")
    if settings.is_aws and str(salt) == DEV_PII_SALT:
        raise ValueError(f"Asset {asset.name!r}: secret {name!r} holds the public development salt; "
                         "store a random one (e.g. `openssl rand -hex 32`) before hashing PII in AWS.")
    return str(salt)


def protect_pii(df: "DataFrame", asset: "Asset", salt: str) -> "DataFrame":
    from pyspark.sql import functions as F

    pii = {c.name: c for c in asset.schema if c.pii}
    if not pii:
        return df
    columns = []
    for name in df.columns:
        column = pii.get(name)
        if column is None:
            columns.append(F.col(f"`{name}`"))
        elif column.pii_handling == "drop":
            columns.append(F.lit(None).cast(df.schema[name].dataType).alias(name))
        else:
            if df.schema[name].dataType.typeName() != "string":
                raise ValueError(
                    f"Asset {asset.name!r}: PII column {name!r} is {df.schema[name].dataType.simpleString()}; "
                    "a salted hash is text: declare it string or use pii_handling='drop'."
                )
            value = F.col(f"`{name}`").cast("string")
            hashed = F.sha2(F.concat(F.lit(salt), value), 256)
            columns.append(F.when(value.isNull(), F.lit(None)).otherwise(hashed).alias(name))
    return df.select(*columns)
