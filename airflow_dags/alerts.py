"""Alerts: a failed task or DAG run (their ``on_failure_callback``), a run past its deadline, and
the freshness DAG's changes of state and daily digest.

Every alert is one ``ALERT`` line on the ``bhnav.alerts`` logger and one entry of the lake's
alert log (``_ops/alerts.jsonl``, newest last, the last ``LOG_KEEP`` kept), which the app's Assets
page can show beside the freshness it explains. In AWS the alert also goes to the SNS topic (the
Amazon provider's ``SnsNotifier``), and the freshness DAG publishes the stale count as a
CloudWatch metric. Imports happen on call.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

log = logging.getLogger("bhnav.alerts")

METRIC_NAMESPACE = "bhnav"
STALE_METRIC = "StaleAssets"
ALERT_LOG_KEY = "_ops/alerts.jsonl"
STATE_KEY = "_ops/freshness_alerts.json"
LOG_KEEP = 500


def task_failed(context) -> None:
    """A task's ``on_failure_callback``: runs once a task has failed its last try."""
    ti = context.get("ti") or context.get("task_instance")
    error = context.get("exception") or "see the task log"
    log.error(
        "ALERT task failed: dag=%s task=%s try=%s run=%s error=%s",
        ti.dag_id, ti.task_id, ti.try_number, context.get("run_id"), _one_line(error),
    )
    _append(f"task {ti.dag_id}.{ti.task_id} failed", _one_line(error), kind="task_failed")


def dag_failed(context) -> None:
    """The DAG's ``on_failure_callback``: a run failed (a task failed, or ``dagrun_timeout`` passed)."""
    run = context.get("dag_run")
    dag_id = getattr(run, "dag_id", None) or context.get("dag").dag_id
    reason = context.get("reason") or "a task failed"
    log.error("ALERT dag run failed: dag=%s run=%s reason=%s", dag_id, getattr(run, "run_id", None), reason)
    _append(f"DAG {dag_id} failed", f"run {getattr(run, 'run_id', None)}: {reason}", kind="dag_failed")


def deadline_missed(dag_id: str, **context) -> None:
    """A ``DeadlineAlert``'s callback: a run is still unfinished past its asset's freshness lag."""
    publish(f"bhnav: {dag_id} missed its deadline",
            f"a run of {dag_id} is still unfinished after its asset's freshness lag; it will be stale",
            kind="deadline")


def publish(subject: str, message: str, context=None, *, stale_count: int | None = None, settings=None,
            kind: str = "freshness") -> None:
    """Log an alert and keep it in the alert log; in AWS also send it to SNS and the stale count metric."""
    from lake.settings import get_settings

    settings = settings or get_settings()
    log.error("ALERT %s: %s", subject, message)
    _append(subject, message, kind=kind, settings=settings)
    if not settings.is_aws:
        return
    if settings.sns_topic_arn:
        from airflow.providers.amazon.aws.notifications.sns import SnsNotifier

        SnsNotifier(target_arn=settings.sns_topic_arn, subject=subject[:100], message=message,
                    region_name=settings.aws_region).notify(context or {})
    if stale_count is not None:
        put_stale_metric(stale_count, settings)


def recent_alerts(settings, limit: int = 50) -> list[dict]:
    """The newest alerts of the lake's alert log, newest first."""
    from lake.storage import get_storage

    storage = get_storage(settings)
    if not storage.exists(ALERT_LOG_KEY):
        return []
    lines = storage.read_bytes(ALERT_LOG_KEY).decode("utf-8").splitlines()
    return [json.loads(line) for line in reversed(lines[-limit:])]


def load_state(settings) -> dict | None:
    from lake.storage import get_storage

    storage = get_storage(settings)
    return json.loads(storage.read_bytes(STATE_KEY)) if storage.exists(STATE_KEY) else None


def save_state(settings, state: dict) -> None:
    from lake.storage import get_storage

    get_storage(settings).write_bytes(STATE_KEY, json.dumps(state, sort_keys=True).encode("utf-8"))


def put_stale_metric(count: int, settings) -> None:
    """The number of stale assets as a CloudWatch metric, for an alarm on it (infra's)."""
    from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook

    client = AwsBaseHook(client_type="cloudwatch", region_name=settings.aws_region).get_conn()
    client.put_metric_data(
        Namespace=METRIC_NAMESPACE,
        MetricData=[{"MetricName": STALE_METRIC, "Value": float(count), "Unit": "Count"}],
    )


def _append(subject: str, message: str, *, kind: str, settings=None) -> None:
    """One entry of the alert log; an alert that cannot be kept is still logged (never raises)."""
    try:
        from lake.settings import get_settings
        from lake.storage import get_storage

        settings = settings or get_settings()
        storage = get_storage(settings)
        lines = storage.read_bytes(ALERT_LOG_KEY).decode("utf-8").splitlines() if storage.exists(ALERT_LOG_KEY) else []
        entry = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "kind": kind,
                 "subject": subject, "message": message}
        lines = [*lines[-(LOG_KEEP - 1):], json.dumps(entry, ensure_ascii=False)]
        storage.write_bytes(ALERT_LOG_KEY, ("\n".join(lines) + "\n").encode("utf-8"))
    except Exception as exc:  # the alert itself went to the log above; keeping it is best effort
        log.warning("the alert could not be kept in %s: %s", ALERT_LOG_KEY, _one_line(exc))


def _one_line(error) -> str:
    text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
    return " ".join(text.split())[:500]
