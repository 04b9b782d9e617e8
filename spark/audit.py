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
    from catalog.records import MaterializationRecord

DEFAULT_VOLUME = (Check.volume(max_drop=0.2), Check.volume(max_growth=3.0, severity="warn"))
DEFAULT_QUARANTINE = (Check.quarantine_share(max_share=0.02),)


@dataclass(frozen=True)
class Published:
    """What readers see now: the previous published version."""

    rows: int
    delta_version: int | None

    @classmethod
    def of(cls, record: "MaterializationRecord | None") -> "Published | None":
        if record is None or record.rows is None:
            return None
        return cls(rows=int(record.rows), delta_version=record.delta_version)


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
    if previous is None or previous.rows == 0:
        return CheckResult(name=check.name, severity=check.severity, passed=True, total_rows=rows,
                           message="no previous published version to compare with" if previous is None else "")
    ratio = rows / previous.rows
    change = ratio - 1.0
    too_low = check.min is not None and ratio < check.min
    too_high = check.max is not None and ratio > check.max
    message = ""
    if too_low:
        message = (f"{rows} rows against {previous.rows} in the published version {previous.delta_version}, "
                   f"a drop of {-change:.1%} (at most {1 - check.min:.0%} allowed)")
    elif too_high:
        message = (f"{rows} rows against {previous.rows} in the published version {previous.delta_version}, "
                   f"a growth of {change:.1%} (at most {check.max - 1:.0%} allowed)")
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
          previous: Published | None) -> list[CheckResult]:
    """``results`` (the checks') followed by the audit's; AuditBlockedError when a blocking rule fails."""
    audited = []
    for check in audit_rules(asset):
        if check.kind == "volume":
            audited.append(_volume(check, rows, previous))
        else:
            audited.append(_quarantine_share(check, rows, quarantined))
    everything = list(results) + audited
    failures = [r for r in audited if r.severity == "block" and not r.passed]
    if failures:
        raise AuditBlockedError(asset.name, failures, everything, previous)
    return everything
