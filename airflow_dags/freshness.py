"""Every asset's freshness, from its policy and the catalog's run history (the freshness DAG)."""

from __future__ import annotations

from datetime import datetime, timezone


def evaluate(settings, now: datetime | None = None) -> list[dict]:
    """One row per asset: fresh, stale, never (no successful run yet) or failed (last run failed)."""
    from assets.definitions import load_graph
    from catalog.base import get_catalog
    from catalog.records import FAILED

    now = now or datetime.now(timezone.utc)
    catalog = get_catalog(settings)
    rows = []
    for asset in load_graph():
        last_success = catalog.last_record(asset.name)
        last_any = catalog.last_record(asset.name, status=None)
        finished = _aware(last_success.finished_at) if last_success else None
        status = asset.freshness.status(finished, failed=last_any is not None and last_any.status == FAILED, now=now)
        rows.append({
            "asset": asset.name,
            "zone": asset.zone,
            "status": status,
            "last_success": finished.isoformat() if finished else None,
            "max_lag_days": asset.freshness.max_lag.total_seconds() / 86400,
        })
    return rows


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
