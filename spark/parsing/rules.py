"""The parse rules of ``assets.rules`` as Spark SQL expressions over a column of text.

Each rule reads ``t``, the trimmed text with empty as null, and yields the typed value or null.
A value is *bad* when ``t`` is present, is not one of the rule's null tokens (``00/00/0000``,
``NÃO INFORMADO``) and the rule yields null: that row goes to quarantine with the reason.
Everything stays in the JVM: no Python worker sees a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assets.source import ParserOptions

_INT = r"^[+-]?[0-9]+(\\.0+)?$"
_NUMBER_DOT = r"^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$"
_NUMBER_COMMA = r"^[+-]?([0-9]+,?[0-9]*|,[0-9]+)([eE][+-]?[0-9]+)?$"
_POINT = r"^POINT\\s*\\(\\s*([-+0-9.eE]+)\\s+([-+0-9.eE]+)\\s*\\)$"
_DMY_SLASH = "^[0-9]{2}/[0-9]{2}/[0-9]{4}"
_DMY_DASH = "^[0-9]{2}-[0-9]{2}-[0-9]{4}"
_TRUE = ("SIM", "S", "TRUE", "T", "1", "Y", "YES")
_FALSE = ("NÃO", "NAO", "N", "FALSE", "F", "0", "NO")


@dataclass(frozen=True)
class RuleSql:
    value: str  # the typed value
    null_tokens: tuple[str, ...] = ()  # texts that mean "missing", not "bad"


def _quoted(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _number(t: str, decimal_comma: bool) -> str:
    if decimal_comma:
        return f"CASE WHEN {t} RLIKE '{_NUMBER_COMMA}' THEN CAST(replace({t}, ',', '.') AS DOUBLE) END"
    return f"CASE WHEN {t} RLIKE '{_NUMBER_DOT}' THEN CAST({t} AS DOUBLE) END"


def rule_sql(rule: str, t: str, glue_type: str, parser: "ParserOptions") -> RuleSql:
    """The expression for ``rule`` over the text expression ``t`` (already trimmed, '' as null)."""
    if rule == "text":
        return RuleSql(t)
    if rule == "text_list":
        return RuleSql(f"nullif(array_join(filter(transform(split({t}, ','), x -> trim(x)), x -> x != ''), ','), '')", (",",))
    if rule == "int":
        target = "BIGINT" if glue_type == "bigint" else "INT"
        return RuleSql(f"CASE WHEN {t} RLIKE '{_INT}' THEN CAST(CAST({t} AS DECIMAL(20, 1)) AS {target}) END")
    if rule == "number":
        return RuleSql(_number(t, parser.decimal_comma))
    if rule == "padded_utm":
        return RuleSql(f"nullif({_number(t, False)}, 0D)", ("0000000000.00",))
    # Each format is tried only on a text of its shape: a failed parse costs an exception per row.
    if rule == "br_date":
        return RuleSql(f"CASE WHEN {t} RLIKE '{_DMY_SLASH}$' AND {t} != '00/00/0000' "
                       f"THEN CAST(try_to_timestamp({t}, 'dd/MM/yyyy') AS DATE) "
                       f"WHEN {t} RLIKE '{_DMY_DASH}$' AND {t} != '00-00-0000' "
                       f"THEN CAST(try_to_timestamp({t}, 'dd-MM-yyyy') AS DATE) END",
                       ("00/00/0000", "00-00-0000"))
    if rule == "br_timestamp":
        return RuleSql(f"CASE WHEN {t} LIKE '00/00/0000%' THEN NULL "
                       f"WHEN {t} RLIKE '{_DMY_SLASH} [0-9]{{2}}:[0-9]{{2}}$' THEN try_to_timestamp({t}, 'dd/MM/yyyy HH:mm') "
                       f"WHEN {t} RLIKE '{_DMY_SLASH} [0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}$' "
                       f"THEN try_to_timestamp({t}, 'dd/MM/yyyy HH:mm:ss') "
                       f"WHEN {t} RLIKE '{_DMY_DASH} [0-9]{{2}}:[0-9]{{2}}$' THEN try_to_timestamp({t}, 'dd-MM-yyyy HH:mm') END",
                       ("00/00/0000 00:00", "00/00/0000 00:00:00"))
    if rule == "iso_timestamp":
        return RuleSql(f"CASE WHEN {t} RLIKE '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[ T][0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}' "
                       f"THEN try_to_timestamp(substring(replace({t}, 'T', ' '), 1, 19), 'yyyy-MM-dd HH:mm:ss') END")
    if rule == "flag":
        return RuleSql(f"CASE WHEN upper({t}) IN ({_quoted(_TRUE)}) THEN true "
                       f"WHEN upper({t}) IN ({_quoted(_FALSE)}) THEN false END", ("NÃO INFORMADO", "NAO INFORMADO"))
    if rule == "cnae":
        return RuleSql(f"CASE WHEN regexp_replace({t}, '\\\\.0$', '') RLIKE '^[0-9]{{7}}$' "
                       f"THEN regexp_replace({t}, '\\\\.0$', '') END")
    if rule in ("point_x", "point_y"):
        group = 1 if rule == "point_x" else 2
        return RuleSql(f"CASE WHEN upper({t}) RLIKE '{_POINT}' "
                       f"THEN CAST(regexp_extract(upper({t}), '{_POINT}', {group}) AS DOUBLE) END")
    raise ValueError(f"parse rule {rule!r} has no Spark expression")


def trimmed(column_sql: str) -> str:
    """The text a rule reads: trimmed (spaces, tabs, a stray CR), empty as null."""
    return f"nullif(trim(BOTH ' \\t\\r' FROM {column_sql}), '')"
