"""The Glue entry point run locally against moto's S3 through s3a: a curated Delta table, registered in Glue.

The job runs in its own process (``python -m runs.job``, the script Glue runs), because its JVM
needs hadoop-aws on the classpath from the start; the test process may already hold a local
Spark session without it. The JVM reaches the moto server of this test over HTTP.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.fixtures.moto import BUCKET, REGION

pytestmark = [pytest.mark.spark, pytest.mark.slow]
ASSET = "estacoes_onibus"


def test_spark_writes_a_curated_delta_table_to_s3_and_glue_registers_it(aws_env, snapshot_dir, moto_server, s3):
    from deltalake import DeltaTable

    from assets.definitions import load_graph
    from catalog.arrow_types import arrow_type
    from lake.aws import client
    from landing.lander import land_asset

    graph = load_graph()
    asset = graph[ASSET]
    landed = land_asset(f"{ASSET}_raw", aws_env, snapshot_dir=snapshot_dir)
    assert landed.landed and landed.key.startswith("raw/pbh/estacoes_onibus_raw/ingest_date=")

    job = subprocess.run([sys.executable, "-m", "runs.job", "--asset", ASSET, "--env", "aws"], env=dict(os.environ),
                         capture_output=True, text=True, timeout=1200, cwd=os.getcwd())
    assert job.returncode == 0, job.stderr[-3000:]
    rows = int(job.stdout.split("rows=")[1].split()[0])
    assert rows >= 10, job.stdout

    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=f"curated/{ASSET}/")["Contents"]]
    assert f"curated/{ASSET}/_delta_log/00000000000000000000.json" in keys
    assert any(k.endswith(".parquet") for k in keys)

    table = client("glue", aws_env).get_table(DatabaseName="bhnav_curated", Name=ASSET)["Table"]
    location = f"s3://{BUCKET}/curated/{ASSET}"
    assert table["StorageDescriptor"]["Location"] == location and table["TableType"] == "EXTERNAL_TABLE"
    assert table["Parameters"]["table_type"] == "DELTA"
    assert table["Parameters"]["bhnav.rows"] == str(rows) and table["Parameters"]["bhnav.delta_version"] == "0"
    assert [(c["Name"], c["Type"], c["Comment"]) for c in table["StorageDescriptor"]["Columns"]] == [
        (c.name, c.type, c.description) for c in asset.schema]

    # The Delta table itself, read without Spark, has the registered columns with their types.
    delta = DeltaTable(location, storage_options={
        "AWS_ENDPOINT_URL": moto_server, "AWS_ALLOW_HTTP": "true", "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
    data = delta.to_pyarrow_table()
    assert [(f.name, f.type) for f in data.schema] == [
        (c["Name"], arrow_type(c["Type"])) for c in table["StorageDescriptor"]["Columns"]]
    assert data.num_rows == rows
