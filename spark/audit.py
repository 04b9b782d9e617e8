"""The audit of write, audit, publish: a new version against the previous published one.

The row-level checks (spark.checks) say the new data is well formed; the audit says it is
plausible next to what readers see now: its row count against the previous published version
(``volume``) and the share of rows set aside in quarantine (``quarantine_share``). It runs after
the checks and before the Delta commit, so a blocked version is never what readers or downstream
assets see: they stay on the previous one, and the error says which rule, with both numbers.

Curated and analytics tables get the default rules unless they declare their own of that kind:
a drop of more than 20% blocks, a growth past +300% warns, more than 2% quarantined blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assets.checks import Check
from catalog.records import CheckResult
from spark.checks import CheckFailedError

if TYPE_CHECKING:
    from assets.asset import Asset

DEFAULT_VOLUME = (Check.volume(max_drop=0.2), Check.volume(max_growth=3.0, severity="warn"))
DEFAULT_QUARANTINE = (Check.quarantine_share(max_share=0.02),)


@dataclass(frozen=True)
class Published:
    """What readers see now: the previous published version, read from its Delta log."""

    rows: int
    delta_version: int | None
    partition_columns: tuple[str, ...] = ()
    rows_by_partition: tuple[tuple[str, int], ...] = ()  # ("ano=2024/mes=1", rows)

    def rows_after(self, asset: "Asset", rows: int, partitions: tuple[str, ...]) -> int:
        """The rows readers would see once ``rows`` replace ``partitions``: a table of the same
        partitioning keeps its other partitions (dynamic overwrite); any other write replaces all."""
        if not partitions or self.partition_columns != asset.partitioning.columns:
            return rows
        replaced = set(partitions)
        return rows + sum(n for label, n in self.rows_by_partition if label not in replaced)


def published_version(spark, asset: "Asset", settings) -> Published | None:
    """The table's current version, its rows and rows per partition; None before the first.

    Read through Spark's Delta (a Glue job has no other Delta reader), counting only partition
    values: no data column is read."""
    from delta.tables import DeltaTable
    from pyspark.sql import functions as F

    from lake.locations import spark_path, table_uri
    from spark.writer import partition_label

    path = spark_path(table_uri(asset, settings))
    if not DeltaTable.isDeltaTable(spark, path):
        return None
    table = DeltaTable.forPath(spark, path)
    version = int(table.history(1).select("version").first()[0])
    columns = tuple(table.detail().select("partitionColumns").first()[0])
    data = spark.read.format("delta").option("versionAsOf", version).load(path)
    if not columns:
        return Published(rows=data.count(), delta_version=version)
    counted = data.groupBy(partition_label(columns).alias("p")).agg(F.count(F.lit(1)).alias("n")).collect()
    by_partition = tuple(sorted((r["p"], int(r["n"])) for r in counted))
    return Published(rows=sum(n for _, n in by_partition), delta_version=version, partition_columns=columns,
                     rows_by_partition=by_partition)


class AuditBlockedError(CheckFailedError):
    """A blocking audit rule failed: the new version was not published."""

    def __init__(self, asset: str, failures: list[CheckResult], results: list[CheckResult],
                 previous: Published | None):
        super().__init__(asset, failures, results)
        self.previous = previous
        self.args = (_message(asset, failures, previous),)


def _message(asset: str, failures: list[CheckResult], previous: Published | None) -> str:
    stays = (f"readers stay on version {previous.delta_version} ({previous.rows} rows)"
             if previous is not None else "nothing was published before")
    detail = "; ".join(f"{r.name} failed: {r.message}" for r in failures)
    return (f"Asset {asset!r}: blocked by audit, nothing was published ({stays}): {detail}. "
            "Check the source file; if the change is expected, declare the rule with wider bounds on the asset.")


def audit_rules(asset: "Asset") -> tuple[Check, ...]:
    """The asset's declared audit rules, the defaults filling the kinds it does not declare."""
    declared = tuple(c for c in asset.checks if c.kind in ("volume", "quarantine_share"))
    if asset.zone not in ("curated", "analytics"):
        return declared
    kinds = {c.kind for c in declared}
    defaults = (DEFAULT_VOLUME if "volume" not in kinds else ()) + (
        DEFAULT_QUARANTINE if "quarantine_share" not in kinds else ())
    return declared + defaults


def _volume(check: Check, rows: int, previous: Published | None) -> CheckResult:
    """``rows``: what readers would see after the write, against what they see now."""
    if previous is None or previous.rows == 0:
        return CheckResult(name=check.name, severity=check.severity, passed=True, total_rows=rows,
                           message="no previous published version to compare with" if previous is None else "")
    ratio = rows / previous.rows
    change = ratio - 1.0
    too_low = check.min is not None and ratio < check.min
    too_high = check.max is not None and ratio > check.max
    message = ""
    if too_low:
        message = (f"the new version would hold {rows} rows against {previous.rows} in published version "
                   f"{previous.delta_version}, a drop of {-change:.1%} (at most {1 - check.min:.0%} allowed)")
    elif too_high:
        message = (f"the new version would hold {rows} rows against {previous.rows} in published version "
                   f"{previous.delta_version}, a growth of {change:.1%} (at most {check.max - 1:.0%} allowed)")
    return CheckResult(name=check.name, severity=check.severity, passed=not (too_low or too_high),
                       failing_rows=abs(rows - previous.rows) if message else 0, total_rows=rows, message=message)


def _quarantine_share(check: Check, rows: int, quarantined: int) -> CheckResult:
    seen = rows + quarantined
    share = quarantined / seen if seen else 0.0
    failed = share > check.max
    message = (f"{quarantined} of {seen} rows quarantined ({share:.1%}; at most {check.max:.0%} allowed)"
               if failed else "")
    return CheckResult(name=check.name, severity=check.severity, passed=not failed,
                       failing_rows=quarantined if failed else 0, total_rows=seen, message=message)


def audit(asset: "Asset", results: list[CheckResult], *, rows: int, quarantined: int,
          previous: Published | None, partitions: tuple[str, ...] = ()) -> list[CheckResult]:
    """``results`` (the checks') followed by the audit's; AuditBlockedError when a blocking rule fails.

    ``rows`` and ``partitions``: the new data, about to replace those partitions of ``previous``."""
    audited = []
    after = previous.rows_after(asset, rows, partitions) if previous is not None else rows
    for check in audit_rules(asset):
        if check.kind == "volume":
            audited.append(_volume(check, after, previous))
        else:
            audited.append(_quarantine_share(check, rows, quarantined))
    everything = list(results) + audited
    failures = [r for r in audited if r.severity == "block" and not r.passed]
    if failures:
        raise AuditBlockedError(asset.name, failures, everything, previous)
    return everything
