"""Every asset's freshness for the freshness DAG, as ``bhnav status`` computes it (catalog.status)."""

from __future__ import annotations

from datetime import datetime


def evaluate(settings, now: datetime | None = None) -> list[dict]:
    """One row per asset: fresh, stale, never (no successful run yet) or failed (last run failed)."""
    from catalog.status import asset_status

    return [
        {
            "asset": s.asset,
            "zone": s.zone,
            "status": s.freshness,
            "policy": s.policy,
            "last_success": s.last_materialized_at.isoformat() if s.last_materialized_at else None,
            "late_by": s.late_by_text or None,
        }
        for s in asset_status(settings, now=now)
    ]
