"""Parse rules: how a curated column's value is read from the text of its source column.

Each rule is named here with what it accepts, so a declaration (and ``bhnav assets show``) says
exactly how a value is read; ``spark/parsing/rules.py`` turns each into a Spark SQL expression. Every
rule trims first; an empty text is a missing value (null), never a bad one. A text the rule cannot
read sends the row to quarantine with the column, the value and the rule.
"""

from __future__ import annotations

from assets.errors import AssetDefinitionError

RULES: dict[str, str] = {
    "text": "trimmed text; empty is null",
    "text_list": "comma-separated values in one field, each trimmed, empty ones dropped ('1, 2,' reads '1,2')",
    "int": "an integer ('324' or '324.0'; '3.5' is refused)",
    "number": ("a decimal number, with or without an exponent; with the parser's decimal_comma, "
               "'0,63' reads 0.63 and '6,09E-05' 6.09e-05"),
    "br_date": "dd/mm/yyyy or dd-mm-yyyy; 00/00/0000 is null",
    "br_timestamp": "dd/mm/yyyy hh:mm[:ss] (local time); 00/00/0000 00:00 is null",
    "iso_timestamp": "yyyy-mm-dd hh:mm:ss[.f]",
    "flag": "SIM/S/TRUE/1 true, NÃO/NAO/N/FALSE/0 false, 'NÃO INFORMADO' null",
    "padded_utm": "a zero-padded UTM coordinate ('0000611366.53'); all zeros is null",
    "cnae": "a seven-digit CNAE code ('5611201.0' reads 5611201)",
    "point_x": "the easting of a 'POINT (x y)' WKT",
    "point_y": "the northing of a 'POINT (x y)' WKT",
}

# The rule a column gets when its declaration names a source but no rule, by Glue type.
DEFAULT_RULES = {"string": "text", "int": "int", "bigint": "int", "double": "number", "date": "br_date",
                 "timestamp": "br_timestamp", "boolean": "flag"}
# What each rule yields; a declared column's type must be one of these.
RULE_TYPES = {
    "text": ("string",), "text_list": ("string",), "int": ("int", "bigint"), "number": ("double",),
    "br_date": ("date",),
    "br_timestamp": ("timestamp",), "iso_timestamp": ("timestamp",), "flag": ("boolean",),
    "padded_utm": ("double",), "cnae": ("string",), "point_x": ("double",), "point_y": ("double",),
}


def check_rule(asset: str | None, column: str, rule: str, glue_type: str) -> str:
    if rule not in RULES:
        raise AssetDefinitionError(asset, f"column {column!r} has parse rule {rule!r}, which is unknown",
                                   f"Use one of {', '.join(RULES)}.")
    if glue_type.split("(")[0] not in RULE_TYPES[rule]:
        raise AssetDefinitionError(asset, f"column {column!r} is {glue_type} but rule {rule!r} yields {'/'.join(RULE_TYPES[rule])}",
                                   "Change the column's type or its rule.")
    return rule
