"""Data-quality checks declared on an asset and run before a write is published."""

from __future__ import annotations

from dataclasses import dataclass, field

from assets.errors import AssetDefinitionError

KINDS = ("not_null", "unique", "accepted_values", "range", "row_count", "referential", "expression",
         "volume", "quarantine_share")
# Compared with the previous published version and the rows set aside, not with rows: the audit runs them.
AUDIT_KINDS = ("volume", "quarantine_share")
SEVERITIES = ("block", "warn")


@dataclass(frozen=True, kw_only=True)
class Check:
    """One rule. ``block`` stops the publication; ``warn`` is recorded only.

    Build them with the named constructors: ``Check.not_null("col")``, ``Check.unique("a", "b")``,
    ``Check.accepted_values("c", [...])``, ``Check.range("c", min=0)``, ``Check.row_count(min=1)``,
    ``Check.referential("c", "other_asset", "other_col")``, ``Check.expression("name", "sql")``,
    and the audit's rules against the previous published version: ``Check.volume(max_drop=0.2)``,
    ``Check.volume(max_growth=3.0, severity="warn")``, ``Check.quarantine_share(max_share=0.02)``.
    """

    kind: str
    columns: tuple[str, ...] = ()
    values: tuple = ()
    min: float | None = None
    max: float | None = None
    ref_asset: str | None = None
    ref_column: str | None = None
    sql: str | None = None
    label: str | None = None
    severity: str = "block"
    max_fraction: float = 0.0  # share of failing rows tolerated before the check fails

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "values", tuple(self.values))

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        target = ",".join(self.columns) or (self.ref_asset or "")
        return f"{self.kind}({target})" if target else self.kind

    @classmethod
    def not_null(cls, *columns: str, severity: str = "block", max_fraction: float = 0.0) -> "Check":
        return cls(kind="not_null", columns=columns, severity=severity, max_fraction=max_fraction)

    @classmethod
    def unique(cls, *columns: str, severity: str = "block") -> "Check":
        return cls(kind="unique", columns=columns, severity=severity)

    @classmethod
    def accepted_values(cls, column: str, values, severity: str = "block") -> "Check":
        return cls(kind="accepted_values", columns=(column,), values=tuple(values), severity=severity)

    @classmethod
    def range(cls, column: str, *, min: float | None = None, max: float | None = None,
              severity: str = "block", max_fraction: float = 0.0) -> "Check":
        return cls(kind="range", columns=(column,), min=min, max=max, severity=severity,
                   max_fraction=max_fraction)

    @classmethod
    def row_count(cls, *, min: int | None = None, max: int | None = None, severity: str = "block") -> "Check":
        return cls(kind="row_count", min=min, max=max, severity=severity)

    @classmethod
    def referential(cls, column: str, ref_asset: str, ref_column: str, *, severity: str = "warn",
                    max_fraction: float = 0.0) -> "Check":
        return cls(kind="referential", columns=(column,), ref_asset=ref_asset, ref_column=ref_column,
                   severity=severity, max_fraction=max_fraction)

    @classmethod
    def expression(cls, label: str, sql: str, *, severity: str = "block") -> "Check":
        """Rows for which the SQL boolean expression is false fail the check."""
        return cls(kind="expression", sql=sql, label=label, severity=severity)

    @classmethod
    def volume(cls, *, max_drop: float | None = None, max_growth: float | None = None,
               severity: str = "block") -> "Check":
        """The new row count against the previous published version's: a drop by more than
        ``max_drop`` (a fraction: 0.2 is 20%) or a growth by more than ``max_growth`` (2.0: +200%)
        fails. ``min``/``max`` hold the ratios new/previous allowed."""
        bounds = []
        if max_drop is not None:
            bounds.append(f"drop<={max_drop:.0%}")
        if max_growth is not None:
            bounds.append(f"growth<={max_growth:.0%}")
        return cls(kind="volume", min=None if max_drop is None else 1.0 - max_drop,
                   max=None if max_growth is None else 1.0 + max_growth,
                   label=f"volume({','.join(bounds)})", severity=severity)

    @classmethod
    def quarantine_share(cls, *, max_share: float, severity: str = "block") -> "Check":
        """More than ``max_share`` (0.02 is 2%) of the rows set aside in quarantine fails."""
        return cls(kind="quarantine_share", max=max_share, label=f"quarantine_share(<={max_share:.0%})",
                   severity=severity)

    def validated(self, asset: str | None, columns: tuple[str, ...]) -> "Check":
        if self.kind not in KINDS:
            raise AssetDefinitionError(asset, f"check kind {self.kind!r} is unknown", f"Use one of {', '.join(KINDS)}.")
        if self.severity not in SEVERITIES:
            raise AssetDefinitionError(
                asset, f"check {self.name} has severity {self.severity!r}", "Use 'block' or 'warn'."
            )
        for column in self.columns:
            if column not in columns:
                raise AssetDefinitionError(
                    asset,
                    f"check {self.name} names column {column!r}, which is not in the schema",
                    "Check the spelling or add the column.",
                )
        needs_columns = self.kind in ("not_null", "unique", "accepted_values", "range", "referential")
        if needs_columns and not self.columns:
            raise AssetDefinitionError(asset, f"check {self.kind} has no column", "Name the column(s) it checks.")
        if self.kind in ("range", "row_count", "volume") and self.min is None and self.max is None:
            raise AssetDefinitionError(asset, f"check {self.name} has no bound", "Give min=, max= or both.")
        if self.kind == "accepted_values" and not self.values:
            raise AssetDefinitionError(asset, f"check {self.name} has no values", "List the accepted values.")
        if self.kind == "referential" and not (self.ref_asset and self.ref_column):
            raise AssetDefinitionError(asset, f"check {self.name} has no target", "Name ref_asset and ref_column.")
        if self.kind == "volume" and (self.min is not None and not 0.0 <= self.min <= 1.0
                                      or self.max is not None and self.max < 1.0):
            raise AssetDefinitionError(
                asset, f"check {self.name} allows a drop outside [0, 1] or a negative growth",
                "Give max_drop as a fraction in [0, 1] (0.2 is 20%) and max_growth >= 0.")
        if self.kind == "quarantine_share" and (self.max is None or not 0.0 <= self.max < 1.0):
            raise AssetDefinitionError(
                asset, f"check {self.name} tolerates a share of {self.max}", "Give max_share as a fraction in [0, 1).")
        if self.kind == "expression" and not self.sql:
            raise AssetDefinitionError(asset, f"check {self.name} has no SQL", "Give the boolean expression.")
        if not 0.0 <= self.max_fraction < 1.0:
            raise AssetDefinitionError(
                asset, f"check {self.name} tolerates max_fraction={self.max_fraction}", "Use a fraction in [0, 1)."
            )
        return self
