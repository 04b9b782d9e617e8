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


def pii_salt(asset: "Asset", settings: "Settings") -> str:
    """The asset's salt secret when it declares one (``{"salt": ...}``), else the settings' salt.

    The settings' default (``bhnav-dev-salt-NOT-SECRET``) is for development only; a real lake
    sets ``BHNAV_PII_SALT`` or the asset's ``pii_salt_secret``.
    """
    if asset.pii_salt_secret:
        from lake.secrets import get_secret

        secret = get_secret(asset.pii_salt_secret, settings)
        if not secret.get("salt"):
            raise ValueError(f"Asset {asset.name!r}: secret {asset.pii_salt_secret!r} has no 'salt' field.")
        return str(secret["salt"])
    return settings.pii_salt


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
