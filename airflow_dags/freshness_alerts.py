"""Which freshness alerts to send: once per change of an asset's state, plus one daily digest.

Plain functions over plain data (no Airflow, no I/O): the freshness task reads the previous
state from the lake, calls ``decide`` with this hour's rows and writes the new state back, so
ten assets stale for a day give ten alerts and one digest, not one alert per asset per hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

ALERTING = ("failed", "never", "stale")  # what a person must act on; fresh is not
DIGEST_EVERY = timedelta(days=1)


class Decision(NamedTuple):
    changed: list[dict]  # rows whose state changed into (or between) alerting states
    recovered: list[dict]  # rows that left an alerting state (logged, not alerted)
    digest: list[dict] | None  # every alerting row, when a digest is due (None: not due)
    state: dict  # to keep for the next run


def decide(previous: dict | None, rows: list[dict], now: datetime) -> Decision:
    """``previous`` is what the last run returned as ``state`` (None on the first run)."""
    previous = previous or {}
    known: dict[str, str] = previous.get("assets", {})
    changed = [r for r in rows if r["status"] in ALERTING and known.get(r["asset"]) != r["status"]]
    recovered = [r for r in rows if r["status"] not in ALERTING and known.get(r["asset"]) in ALERTING]
    alerting = [r for r in rows if r["status"] in ALERTING]
    last_digest = previous.get("digest_at")
    due = last_digest is None or now - datetime.fromisoformat(last_digest) >= DIGEST_EVERY
    digest = alerting if due and alerting else None
    state = {
        "assets": {r["asset"]: r["status"] for r in rows},
        "digest_at": now.isoformat() if digest is not None else last_digest,
    }
    return Decision(changed, recovered, digest, state)


def change_message(row: dict) -> tuple[str, str]:
    """Subject and body of one asset's alert."""
    asset, status = row["asset"], row["status"]
    if status == "stale":
        body = f"{asset} is stale: {row.get('late_by') or 'late'} past its policy ({row.get('policy')}); " \
               f"last success {row.get('last_success')}."
    elif status == "failed":
        body = f"{asset}: its last run failed (last success {row.get('last_success') or 'never'}); see the run's log."
    else:
        body = f"{asset} has never been materialised; run its DAG or `bhnav materialize {asset}`."
    return f"bhnav: {asset} is {status}", body


def digest_message(rows: list[dict]) -> tuple[str, str]:
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ALERTING}
    lines = [f"{r['asset']}: {r['status']}" + (f" ({r['late_by']})" if r.get("late_by") else "") for r in rows]
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return f"bhnav: daily freshness digest ({summary})", "\n".join(lines)
