"""The DAG-folder entry: every DAG compiled from the asset declarations (see airflow_dags/plan.py).

Parsing reads the declarations and the settings only: no I/O, nothing heavy imported.
"""

from airflow_dags.render import render_dags

globals().update(render_dags())
