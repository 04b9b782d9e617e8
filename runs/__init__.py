"""Orchestration of one run: the local runner, the raw step, Glue job runs and the Glue entry
script; what both the command line and Airflow tasks call. Above spark/ and catalog/."""
