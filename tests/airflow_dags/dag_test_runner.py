"""Run one DAG of the DAG folder with ``dag.test()`` and report what the metadata database holds.

Run as a script in a fresh process (``python dag_test_runner.py DAG_ID OUT.json``) with
AIRFLOW_HOME, AIRFLOW__CORE__DAGS_FOLDER and the BHNAV_* settings in the environment, so the test
process stays free of Airflow. The report: the run's state, each task's state and tries, and the
asset events the run emitted with their extra (the Metadata the tasks yielded).
"""

import json
import logging
import os
import sys


def main(dag_id: str, out: str) -> None:
    from airflow.dag_processing.dagbag import DagBag  # Airflow 3.2+ (examples follow core.load_examples)
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        raise SystemExit(f"import errors: {bag.import_errors}")
    dag = bag.dags[dag_id]
    # Airflow 3.3.1's dag.test() reads dag.deadline as stored alert ids (the scheduler's
    # serialized form) and fails on the DeadlineAlert objects themselves ("'dict' object has no
    # attribute 'hex'"); the real scheduler handles them (test_scheduler.py). Run without them here.
    dag.deadline = None
    error = None
    try:
        run = dag.test()
        state, run_id = str(run.state), run.run_id
    except Exception as exc:  # report it: the failure path is a result too
        logging.exception("dag.test failed")
        error, state, run_id = f"{type(exc).__name__}: {exc}", None, None
    with create_session() as session:
        query = select(TaskInstance).where(TaskInstance.dag_id == dag_id)
        if run_id is not None:
            query = query.where(TaskInstance.run_id == run_id)
        tis = session.scalars(query).all()
        events = session.execute(
            select(AssetModel.name, AssetEvent.extra, AssetEvent.source_run_id)
            .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
            .where(AssetEvent.source_dag_id == dag_id)
        ).all()
        report = {
            "state": state,
            "run_id": run_id,
            "error": error,
            "tasks": {ti.task_id: {"state": str(ti.state), "try_number": ti.try_number, "max_tries": ti.max_tries}
                      for ti in tis},
            # a Spark session in this process means a JVM was started by a task (tasks run in-process)
            "spark_started": _spark_started(),
            "events": [{"asset": name, "extra": extra, "run_id": source_run} for name, extra, source_run in events],
        }
    with open(out, "w") as handle:
        json.dump(report, handle, default=str)


def _spark_started() -> bool:
    if "pyspark" not in sys.modules:
        return False
    from pyspark import SparkContext

    return SparkContext._active_spark_context is not None


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
