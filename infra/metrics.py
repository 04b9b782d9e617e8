"""The freshness metric's name, as the freshness DAG publishes it (airflow_dags.alerts)."""

from __future__ import annotations


def freshness_metric(settings) -> tuple[str, str]:
    """(namespace, metric name) of the stale-asset count the freshness DAG publishes."""
    from airflow_dags.alerts import METRIC_NAMESPACE, STALE_METRIC  # a light module: logging only

    return METRIC_NAMESPACE, STALE_METRIC
