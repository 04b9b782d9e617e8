"""The AWS names live beside the settings (lake.aws_names); infra reads them from there.

Only what needs a package above lake/ is defined here: the freshness metric's name.
"""

from __future__ import annotations

from lake.aws_names import *  # noqa: F401,F403 - the names every infra module uses
from lake.aws_names import ACCOUNT_REF, logical_id, project  # noqa: F401 - named imports used by infra
from lake.settings import Settings


def freshness_metric(settings: Settings) -> tuple[str, str]:
    """(namespace, metric name) of the stale-asset count the freshness DAG publishes."""
    from airflow_dags.alerts import METRIC_NAMESPACE, STALE_METRIC  # a light module: logging only

    return METRIC_NAMESPACE, STALE_METRIC
