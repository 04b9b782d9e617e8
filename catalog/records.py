"""What a materialisation or a landing leaves behind: plain records, stored by the catalog."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

SUCCESS, SKIPPED, FAILED = "success", "skipped", "failed"


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    name: str
    severity: str  # block | warn
    passed: bool
    failing_rows: int = 0
    total_rows: int = 0
    examples: tuple[Any, ...] = ()
    message: str = ""


@dataclass(frozen=True, kw_only=True)
class MaterializationRecord:
    """One run of one asset. ``input_versions`` maps each input to its version: a raw asset's
    landed sha256, an upstream table's Delta version. Equal inputs and code → the run is skipped."""

    asset: str
    status: str  # success | skipped | failed
    started_at: datetime
    finished_at: datetime
    code_version: str | None = None
    input_versions: dict[str, str] = field(default_factory=dict)
    rows: int | None = None
    delta_version: int | None = None
    partitions_written: tuple[str, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    quarantined_rows: int = 0
    newest_data_date: date | None = None
    notes: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MaterializationRecord":
        data = dict(data)
        data["started_at"] = datetime.fromisoformat(data["started_at"])
        data["finished_at"] = datetime.fromisoformat(data["finished_at"])
        if data.get("newest_data_date"):
            data["newest_data_date"] = date.fromisoformat(data["newest_data_date"])
        data["partitions_written"] = tuple(data.get("partitions_written") or ())
        data["checks"] = tuple(
            CheckResult(**{**c, "examples": tuple(c.get("examples") or ())}) for c in data.get("checks") or ()
        )
        return cls(**data)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
