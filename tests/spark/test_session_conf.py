"""What the session is configured with, per environment (no JVM started here)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("overrides, present, absent", [
    pytest.param({"env": "local"}, {"spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
                                    "spark.sql.parquet.compression.codec": "snappy",
                                    "spark.ui.enabled": "false"},
                 ("spark.hadoop.fs.s3a.endpoint",), id="local-has-delta-no-s3a"),
    pytest.param({"env": "aws", "s3_endpoint_url": "http://127.0.0.1:5000"},
                 {"spark.hadoop.fs.s3a.endpoint": "http://127.0.0.1:5000",
                  "spark.hadoop.fs.s3a.path.style.access": "true",
                  "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
                  "spark.delta.logStore.s3a.impl": "io.delta.storage.S3SingleDriverLogStore"},
                 (), id="aws-emulator-path-style"),
    pytest.param({"env": "aws"}, {"spark.hadoop.fs.s3a.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem"},
                 ("spark.hadoop.fs.s3a.endpoint", "spark.hadoop.fs.s3a.path.style.access"), id="aws-region-endpoint"),
])
def test_conf_per_environment(overrides, present, absent):
    from lake.settings import get_settings
    from spark.session import base_conf

    conf = base_conf(get_settings(**overrides))
    assert {k: conf.get(k) for k in present} == present
    assert not set(absent) & set(conf)


@pytest.mark.parametrize("env, packages", [
    pytest.param("local", [], id="local"),
    pytest.param("aws", ["org.apache.hadoop:hadoop-aws:3.3.4"], id="aws-matches-pyspark-hadoop"),
])
def test_extra_packages(env, packages):
    from lake.settings import get_settings
    from spark.session import extra_packages

    assert extra_packages(get_settings(env=env)) == packages
