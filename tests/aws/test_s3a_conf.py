"""What a Spark session of the aws environment is given to reach S3 (no JVM needed to check it)."""

from __future__ import annotations

import pytest

from spark.session import HADOOP_AWS, base_conf, extra_packages


@pytest.mark.parametrize("endpoint, kms, expected, absent", [
    pytest.param(None, None, {"spark.hadoop.fs.s3a.endpoint.region": "sa-east-1"},
                 ("spark.hadoop.fs.s3a.endpoint", "spark.hadoop.fs.s3a.encryption.algorithm"), id="aws-itself"),
    pytest.param("http://127.0.0.1:5000", None, {"spark.hadoop.fs.s3a.endpoint": "http://127.0.0.1:5000",
                                                 "spark.hadoop.fs.s3a.path.style.access": "true",
                                                 "spark.hadoop.fs.s3a.connection.ssl.enabled": "false"},
                 ("spark.hadoop.fs.s3a.encryption.algorithm",), id="an-emulator"),
    pytest.param(None, "arn:aws:kms:sa-east-1:1:key/k", {"spark.hadoop.fs.s3a.encryption.algorithm": "SSE-KMS",
                                                         "spark.hadoop.fs.s3a.encryption.key": "arn:aws:kms:sa-east-1:1:key/k"},
                 (), id="sse-kms"),
])
def test_s3a_settings_follow_the_environment(monkeypatch, endpoint, kms, expected, absent):
    from lake.settings import get_settings

    for name in ("AWS_ENDPOINT_URL", "BHNAV_S3_ENDPOINT_URL", "BHNAV_KMS_KEY_ID", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    if endpoint:
        monkeypatch.setenv("BHNAV_S3_ENDPOINT_URL", endpoint)
    if kms:
        monkeypatch.setenv("BHNAV_KMS_KEY_ID", kms)
    settings = get_settings(env="aws", s3_bucket="lake")
    conf = base_conf(settings)
    assert {k: conf.get(k) for k in expected} == expected
    assert not any(k in conf for k in absent)
    # Credentials come from the default chain (environment, profile, role), never from the conf.
    assert conf["spark.hadoop.fs.s3a.aws.credentials.provider"] == "com.amazonaws.auth.DefaultAWSCredentialsProviderChain"
    assert not any("secret" in k.lower() or "access.key" in k.lower() for k in conf)
    assert extra_packages(settings) == [HADOOP_AWS] == ["org.apache.hadoop:hadoop-aws:3.3.4"]


def test_a_local_session_has_no_s3a(monkeypatch):
    from lake.settings import get_settings

    settings = get_settings(env="local")
    assert extra_packages(settings) == [] and not any("s3a" in k for k in base_conf(settings))
