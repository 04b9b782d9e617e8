"""Load a DAG folder in a DagBag and print, as JSON, what a test needs to judge it.

Run as a script in a fresh process (``python dagbag_probe.py FOLDER OUT.json``) so the test process never
imports Airflow and every load starts clean: import errors, the DAGs serialized the way the
scheduler stores them, the warnings raised while loading (with the file that triggered each),
and which heavy modules the load imported.
"""

import json
import logging
import sys
import time
import warnings

OPERATOR_ATTRIBUTES = ("deferrable", "wait_for_completion")
HEAVY = ("pyspark", "pandas", "boto3", "botocore", "duckdb", "deltalake", "streamlit", "pyarrow")


def main(folder: str, out: str) -> None:
    import airflow  # noqa: F401  (configures logging, which captures warnings; undone below)

    logging.captureWarnings(False)
    from airflow.dag_processing.dagbag import DagBag  # Airflow 3.2+ (examples follow core.load_examples)
    from airflow.serialization.serialized_objects import DagSerialization

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        started = time.perf_counter()
        bag = DagBag(dag_folder=folder)
        seconds = time.perf_counter() - started
    dags = {}
    for dag_id, dag in bag.dags.items():
        data = DagSerialization.to_dict(dag)["dag"]
        for key in ("fileloc", "relative_fileloc", "_processor_dags_folder"):
            data.pop(key, None)
        dags[dag_id] = data
    report = {
        "import_errors": {k: str(v) for k, v in bag.import_errors.items()},
        "files": sorted(s.file for s in bag.dagbag_stats),
        "dags": dags,
        "warnings": [
            {"category": w.category.__name__, "deprecation": issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)),
             "file": w.filename, "message": str(w.message)}
            for w in caught
        ],
        # what serialization leaves out when it equals the operator's default
        "operators": {dag_id: {t.task_id: {k: getattr(t, k) for k in OPERATOR_ATTRIBUTES if hasattr(t, k)}
                               for t in dag.tasks} for dag_id, dag in bag.dags.items()},
        "heavy_modules": sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in HEAVY}),
        "seconds": seconds,
    }
    with open(out, "w") as handle:  # not stdout: Airflow logs there
        json.dump(report, handle, default=str)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
