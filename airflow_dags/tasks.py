"""What the generated tasks run. Each callable imports the lake's code when it runs, never when
a DAG file is parsed, and reads the settings of the worker it runs on.

The tasks that publish a table (``register_raw``, ``register``) yield ``Metadata`` on their
outlet: the asset event then carries what happened (bytes and sha256 of a landing; rows, Delta
version and partitions of a materialisation), and the consumers read it back through
``triggering_asset_events``. A run that changed nothing (a landing of bytes already landed, an
unchanged input) ends its publishing task as skipped: no asset event, so no downstream run.

A run of a partitioned DAG lands and materialises exactly its partition: the run's partition key
(``2019``, ``2019-03``, ``2019-03-15``) is the ``Period`` handed to the lake.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

log = logging.getLogger("bhnav.tasks")


class MaterializationFailed(RuntimeError):
    """The runtime reported a failed run: the task fails (and retries) with the runtime's reason."""


def run_period(context):
    """The ``Period`` of the run's partition key; None when the run is not per partition."""
    key = context.get("partition_key") or getattr(context.get("dag_run"), "partition_key", None)
    if not key:
        return None
    from assets.period import Period

    return Period.parse(key)


def _period_kwargs(context) -> dict:
    period = run_period(context)
    return {"period": period} if period is not None else {}


def land(asset_name: str, **context) -> dict:
    """Land the raw asset's files (the snapshot folder when one is set), only the run's period's
    when the run is per partition."""
    from landing.lander import land_asset
    from lake.settings import get_settings

    settings = get_settings()
    result = land_asset(asset_name, settings, snapshot_dir=settings.snapshot_dir, **_period_kwargs(context))
    return result.to_dict()


def register_raw(asset_name: str, **context):
    """Register the raw table in the catalog and publish the landing's facts on the raw asset."""
    from airflow.sdk import Metadata

    from assets.definitions import load_graph
    from catalog.base import get_catalog
    from catalog.records import SKIPPED, SUCCESS, MaterializationRecord
    from lake.settings import get_settings

    landed = context["ti"].xcom_pull(task_ids="land")
    settings = get_settings()
    now = datetime.now(timezone.utc)
    record = MaterializationRecord(
        asset=asset_name,
        status=SKIPPED if landed["skipped"] else SUCCESS,
        started_at=now,
        finished_at=now,
        input_versions={asset_name: landed["sha256"]} if landed.get("sha256") else {},
        # the same facts, under the same names, as the runtime's raw step records
        partitions_written=(f"ingest_date={landed['ingest_date']}",)
        if landed["landed"] and landed.get("ingest_date") else (),
        notes={"landing": landed.get("reason"), "key": landed.get("key"), "bytes": landed.get("bytes"),
               "source": landed.get("source_url")},
    )
    # As the runtime's raw step does: a new file updates the table's statistics; a skipped landing
    # is history only (the table is created once, so the consumers can always read it).
    catalog = get_catalog(settings)
    if landed["landed"]:
        catalog.register(load_graph()[asset_name], record)
    else:
        if catalog.get_table(asset_name) is None:
            catalog.register(load_graph()[asset_name])
        catalog.record(record)
    if not landed["landed"]:
        _skip(f"{asset_name}: nothing new landed ({landed.get('reason')}); no update is sent downstream")
    yield Metadata(_outlet(context, asset_name), extra={
        "bytes": landed.get("bytes"),
        "sha256": landed.get("sha256"),
        "file": landed.get("key"),
        "landed": bool(landed["landed"]),
        "skipped": bool(landed["skipped"]),
        "reason": landed.get("reason"),
    })


def materialize(asset_name: str, **context) -> dict:
    """Materialise a derived asset in this process (the local runner). The runner decides from the
    input versions whether anything changed; a skipped run returns without starting Spark."""
    from catalog.records import FAILED
    from lake.settings import get_settings
    from runs.runner import materialize_asset

    _log_triggers(asset_name, context)
    record = materialize_asset(asset_name, get_settings(), **_period_kwargs(context))
    if record.status == FAILED:
        raise MaterializationFailed(f"Asset {asset_name!r}: materialisation failed: {record.error}")
    log.info("%s: %s, %s rows, Delta version %s", asset_name, record.status, record.rows, record.delta_version)
    return record.to_dict()


def register(asset_name: str, **context):
    """Keep the catalog table in step with the asset and publish the run's facts on the asset."""
    from airflow.sdk import Metadata

    from assets.definitions import load_graph
    from catalog.base import get_catalog
    from catalog.records import SKIPPED, MaterializationRecord
    from lake.settings import get_settings

    settings = get_settings()
    catalog = get_catalog(settings)
    asset = load_graph()[asset_name]
    pushed = context["ti"].xcom_pull(task_ids="materialize")
    if isinstance(pushed, dict):  # the local runner's record
        record = MaterializationRecord.from_dict(pushed)
    else:  # a Glue job ran (its XCom is the run id)
        record = catalog.last_record(asset_name, status=None)
        if record is None:
            raise MaterializationFailed(f"Asset {asset_name!r}: the Glue job run {pushed} left no record in the catalog")
    # The runtime recorded the run (local runner and Glue job alike); registering without a record
    # keeps the table in step with the declaration and adds no second history entry.
    catalog.register(asset)
    if record.status == SKIPPED:
        _skip(f"{asset_name}: its inputs are unchanged; no update is sent downstream")
    yield Metadata(_outlet(context, asset_name), extra={
        "rows": record.rows,
        "delta_version": record.delta_version,
        "partitions_written": list(record.partitions_written),
        "skipped": record.status == SKIPPED,
        "status": record.status,
    })


def check_freshness(now: datetime | None = None, **context) -> list[dict]:
    """Evaluate every asset's freshness; alert once per change to failed, never or stale, and send
    one digest a day of every asset in those states. The state is kept in the lake between runs."""
    from airflow_dags import alerts
    from airflow_dags.freshness import evaluate
    from airflow_dags.freshness_alerts import change_message, decide, digest_message
    from lake.settings import get_settings

    settings = get_settings()
    now = now or datetime.now(timezone.utc)
    rows = evaluate(settings, now=now)
    for row in rows:
        log.info("freshness %s: %s (last success %s)", row["asset"], row["status"], row["last_success"])
    decision = decide(alerts.load_state(settings), rows, now)
    stale = sum(1 for r in rows if r["status"] == "stale")
    for row in decision.changed:
        alerts.publish(*change_message(row), context, settings=settings)
    for row in decision.recovered:
        log.info("freshness %s recovered: %s", row["asset"], row["status"])
    if decision.digest is not None:
        alerts.publish(*digest_message(decision.digest), context, settings=settings, kind="digest")
    if settings.is_aws:
        alerts.put_stale_metric(stale, settings)
    alerts.save_state(settings, decision.state)
    return rows


def _skip(reason: str):
    from airflow.sdk.exceptions import AirflowSkipException

    log.info(reason)
    raise AirflowSkipException(reason)


def _outlet(context, asset_name: str):
    """The task's own outlet for that lake asset (the very object the asset event is keyed by)."""
    for outlet in context["task"].outlets:
        if (getattr(outlet, "extra", None) or {}).get("asset") == asset_name:
            return outlet
    raise LookupError(f"task {context['task'].task_id} has no outlet for asset {asset_name!r}")


def _log_triggers(asset_name: str, context) -> None:
    events = context.get("triggering_asset_events") or {}
    for asset, asset_events in events.items():
        for event in asset_events:
            log.info("%s: triggered by %s (partition %s) with %s", asset_name, getattr(asset, "name", asset),
                     getattr(event, "partition_key", None), event.extra)
