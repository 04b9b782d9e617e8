"""Data-quality checks on the data about to be published.

Every row-level check is counted in ONE aggregation over the (cached) data; only the checks that
fail run a second query, for a few examples. A blocking failure raises ``CheckFailedError``
naming the check, the failing row count and examples; warnings are only recorded.

Row semantics: ``not_null`` fails rows where any named column is null; ``unique`` fails every row
of a key that occurs more than once (rows whose key is all null are ignored); ``accepted_values``
and ``range`` ignore nulls (pair them with ``not_null``); ``referential`` fails non-null values
absent from the referenced table; ``expression`` fails rows where ``NOT (sql)`` is true, as a SQL
``WHERE`` would (a null result is not a failure); ``row_count`` fails the whole table.
``max_fraction`` tolerates that share of failing rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from catalog.records import CheckResult

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

    from assets.asset import Asset
    from assets.checks import Check

EXAMPLES = 5


class CheckFailedError(RuntimeError):
    """A blocking check failed; nothing was published."""

    def __init__(self, asset: str, failures: list[CheckResult], results: list[CheckResult]):
        self.asset, self.failures, self.results = asset, failures, results
        detail = "; ".join(_describe(r) for r in failures)
        super().__init__(f"Asset {asset!r}: blocking check failed, nothing was published: {detail}")


def _describe(result: CheckResult) -> str:
    if result.message and not result.failing_rows:
        return f"{result.name} failed: {result.message}"
    text = f"{result.name} failed on {result.failing_rows} of {result.total_rows} rows"
    if result.examples:
        text += f" (e.g. {', '.join(str(e) for e in result.examples)})"
    return text


def _failing_condition(check: "Check", read_table: Callable[[str], "DataFrame"]) -> "Column | None":
    """A boolean column true on the rows that fail the check (None for table-level checks)."""
    from pyspark.sql import functions as F

    cols = [F.col(f"`{c}`") for c in check.columns]
    if check.kind == "not_null":
        condition = cols[0].isNull()
        for column in cols[1:]:
            condition = condition | column.isNull()
        return condition
    if check.kind == "accepted_values":
        return cols[0].isNotNull() & ~cols[0].isin(list(check.values))
    if check.kind == "range":
        condition = F.lit(False)
        if check.min is not None:
            condition = condition | (cols[0] < F.lit(check.min))
        if check.max is not None:
            condition = condition | (cols[0] > F.lit(check.max))
        return cols[0].isNotNull() & condition
    if check.kind == "expression":
        return F.coalesce(~F.expr(check.sql), F.lit(False))
    return None


def _flagged(df: "DataFrame", check: "Check", index: int, read_table) -> "DataFrame | None":
    """For unique and referential checks: ``df`` with a boolean column ``_fail_<index>``."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    flag = f"_fail_{index}"
    if check.kind == "unique":
        keys = [F.col(f"`{c}`") for c in check.columns]
        any_key = keys[0].isNotNull()
        for key in keys[1:]:
            any_key = any_key | key.isNotNull()
        counted = F.count(F.lit(1)).over(Window.partitionBy(*keys))
        return df.withColumn(flag, any_key & (counted > 1))
    if check.kind == "referential":
        column = check.columns[0]
        ref = read_table(check.ref_asset).select(F.col(f"`{check.ref_column}`").alias("_ref")).distinct()
        ref = ref.withColumn("_present", F.lit(True))
        joined = df.join(ref, F.col(f"`{column}`") == F.col("_ref"), "left")
        return joined.withColumn(flag, F.col(f"`{column}`").isNotNull() & F.col("_present").isNull()).drop("_ref", "_present")
    return None


def run_checks(df: "DataFrame", asset: "Asset", read_table: Callable[[str], "DataFrame"], *,
               extra: "dict[str, Column] | None" = None) -> tuple[list[CheckResult], dict]:
    """Every declared check on ``df``; raises CheckFailedError when a blocking one fails.

    ``extra`` aggregates (the table's statistics) ride along in the same pass over the data and
    come back in the second element, with ``rows``.
    """
    from pyspark.sql import functions as F

    from assets.checks import AUDIT_KINDS

    checks = [c for c in asset.checks if c.kind not in AUDIT_KINDS]  # spark.audit runs those
    conditions: dict[int, Column] = {}
    for i, check in enumerate(checks):
        condition = _failing_condition(check, read_table)
        if condition is not None:
            conditions[i] = condition
    aggregates = [F.count(F.lit(1)).alias("_total")]
    aggregates += [F.sum(F.when(cond, 1).otherwise(0)).alias(f"_n{i}") for i, cond in conditions.items()]
    aggregates += [column.alias(f"_x_{name}") for name, column in (extra or {}).items()]
    counts = df.agg(*aggregates).first().asDict()
    total = int(counts["_total"])
    extras = {name: counts[f"_x_{name}"] for name in (extra or {})}
    extras["rows"] = total

    results: list[CheckResult] = []
    for i, check in enumerate(checks):
        examples: tuple = ()
        if check.kind == "row_count":
            too_few = check.min is not None and total < check.min
            too_many = check.max is not None and total > check.max
            # The verdict, not the failing-row count: an empty table fails min=1 with 0 failing rows.
            passed = not (too_few or too_many)
            failing = 0 if passed else total
            wanted = " and ".join(w for w in (f"at least {check.min:g}" if check.min is not None else "",
                                              f"at most {check.max:g}" if check.max is not None else "") if w)
            message = "" if passed else f"{total} rows, expected {wanted}"
        else:
            if i in conditions:
                failing = int(counts[f"_n{i}"] or 0)
                failed_rows = df.where(conditions[i]) if failing else None
            else:
                try:
                    flagged = _flagged(df, check, i, read_table)
                except Exception as exc:  # the referenced table is missing: the check cannot pass
                    results.append(CheckResult(name=check.name, severity=check.severity, passed=False,
                                               failing_rows=total, total_rows=total, message=str(exc)))
                    continue
                failed_rows = flagged.where(F.col(f"_fail_{i}"))
                failing = failed_rows.count()
            passed = failing <= check.max_fraction * total
            message = ""
            if failing and failed_rows is not None:
                example_columns = list(check.columns) or df.columns[:4]
                examples = tuple(
                    _example(row, example_columns)
                    for row in failed_rows.select(*[f"`{c}`" for c in example_columns]).limit(EXAMPLES).collect()
                )
            if failing:
                message = f"{failing} of {total} rows fail"
        results.append(CheckResult(
            name=check.name, severity=check.severity, passed=passed, failing_rows=failing,
            total_rows=total, examples=examples, message=message,
        ))
    failures = [r for r in results if r.severity == "block" and not r.passed]
    if failures:
        raise CheckFailedError(asset.name, failures, results)
    return results, extras


def _example(row, columns: list[str]):
    """A failing row's checked values, JSON-ready (the catalog stores them)."""
    values = [v if isinstance(v, (str, int, float, bool)) or v is None else str(v) for v in (row[c] for c in columns)]
    return values[0] if len(values) == 1 else dict(zip(columns, values))
