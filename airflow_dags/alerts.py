"""Alerts: a failed task (its ``on_failure_callback``) and stale assets (the freshness DAG).

Locally an alert is one log line on the ``bhnav.alerts`` logger. In AWS the failure callback is
joined by the Amazon provider's ``SnsNotifier`` (added by the renderer), and ``publish`` sends
the freshness alerts to the same SNS topic and a CloudWatch metric. Imports happen on call.
"""

from __future__ import annotations

import logging

log = logging.getLogger("bhnav.alerts")

METRIC_NAMESPACE = "bhnav"
STALE_METRIC = "StaleAssets"


def task_failed(context) -> None:
    """``on_failure_callback``: runs once a task has failed its last try."""
    ti = context.get("ti") or context.get("task_instance")
    error = context.get("exception") or "see the task log"
    log.error(
        "ALERT task failed: dag=%s task=%s try=%s run=%s error=%s",
        ti.dag_id, ti.task_id, ti.try_number, context.get("run_id"), _one_line(error),
    )


def publish(subject: str, message: str, context=None, *, stale_count: int | None = None, settings=None) -> None:
    """Log an alert; in AWS also send it to the SNS topic and publish the stale count metric."""
    from lake.settings import get_settings

    settings = settings or get_settings()
    log.error("ALERT %s: %s", subject, message)
    if not settings.is_aws:
        return
    if settings.sns_topic_arn:
        from airflow.providers.amazon.aws.notifications.sns import SnsNotifier

        SnsNotifier(target_arn=settings.sns_topic_arn, subject=subject[:100], message=message,
                    region_name=settings.aws_region).notify(context or {})
    if stale_count is not None:
        put_stale_metric(stale_count, settings)


def put_stale_metric(count: int, settings) -> None:
    """The number of stale assets as a CloudWatch metric, for an alarm on it (infra's)."""
    from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook

    client = AwsBaseHook(client_type="cloudwatch", region_name=settings.aws_region).get_conn()
    client.put_metric_data(
        Namespace=METRIC_NAMESPACE,
        MetricData=[{"MetricName": STALE_METRIC, "Value": float(count), "Unit": "Count"}],
    )


def _one_line(error) -> str:
    text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
    return " ".join(text.split())[:500]
