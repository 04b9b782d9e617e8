"""Secrets from moto's Secrets Manager, and no secret value in logs, manifests or job arguments."""

from __future__ import annotations

import json
import logging

import pytest

from lake.aws_secrets import AwsSecrets, clear_cache
from lake.secrets import SecretError, get_secret, get_secrets
from tests.fixtures.moto import BUCKET


@pytest.fixture
def secretsmanager(aws_env):
    from lake.aws import client

    return client("secretsmanager", aws_env)


def test_a_source_secret_is_read_by_the_stacks_name(aws_env, secretsmanager):
    secretsmanager.create_secret(Name="bhnav/sources/operador", SecretString='{"username": "op", "password": "pw-1"}')
    assert isinstance(get_secrets(aws_env), AwsSecrets)
    assert get_secret("operador", aws_env) == {"username": "op", "password": "pw-1"}


@pytest.mark.parametrize("variable, name", [
    pytest.param("BHNAV_SECRET_OPERADOR", "operador", id="per-source-arn"),
    pytest.param("BHNAV_FTP_SECRET_ID", "ftp", id="ftp-secret-arn"),
])
def test_the_settings_may_name_the_secret_by_arn(aws_env, secretsmanager, monkeypatch, variable, name):
    from lake.settings import get_settings

    arn = secretsmanager.create_secret(Name="elsewhere/creds", SecretString='{"username": "u"}')["ARN"]
    monkeypatch.setenv(variable, arn)
    assert get_secret(name, get_settings()) == {"username": "u"}


def test_a_bare_secret_name_from_the_settings_is_used_as_given(aws_env, secretsmanager, monkeypatch):
    from lake.settings import get_settings

    secretsmanager.create_secret(Name="operador-creds", SecretString='{"username": "u"}')
    monkeypatch.setenv("BHNAV_SECRET_OPERADOR", "operador-creds")
    settings = get_settings()
    # By the source's name, or by the id a caller already resolved (as the FTP source does).
    assert get_secret("operador", settings) == get_secret("operador-creds", settings) == {"username": "u"}


def test_a_secret_is_fetched_once_per_process(aws_env, secretsmanager):
    secretsmanager.create_secret(Name="bhnav/sources/ftp", SecretString='{"password": "first"}')
    assert get_secret("ftp", aws_env)["password"] == "first"
    secretsmanager.put_secret_value(SecretId="bhnav/sources/ftp", SecretString='{"password": "rotated"}')
    assert get_secret("ftp", aws_env)["password"] == "first", "cached for the process"
    clear_cache()
    assert get_secret("ftp", aws_env)["password"] == "rotated"


@pytest.mark.parametrize("value, match", [
    pytest.param(None, r"secret 'bhnav/sources/api' does not exist in Secrets Manager \(us-east-1\)", id="missing"),
    pytest.param("not json pw-leak", r"secret 'api' \(bhnav/sources/api\) is not valid JSON", id="not-json"),
    pytest.param('["pw-leak"]', r"secret 'api' \(bhnav/sources/api\) is not a JSON object", id="not-an-object"),
])
def test_bad_secrets_are_named_without_their_value(aws_env, secretsmanager, value, match):
    if value is not None:
        secretsmanager.create_secret(Name="bhnav/sources/api", SecretString=value)
    with pytest.raises(SecretError, match=match) as err:
        get_secret("api", aws_env)
    assert "pw-leak" not in str(err.value)


def test_no_secret_value_in_logs_manifests_or_job_arguments(ftp_env, aws_env, ftp_credentials, secretsmanager,
                                                           monkeypatch, caplog, s3, stack_glue_jobs):
    from lake.aws import client
    from lake.settings import get_settings
    from landing.lander import land_asset
    from runs.glue_runs import run_on_glue
    from tests.landing.conftest import FTP_ASSET_NAME

    password = ftp_credentials["password"]
    # Only Secrets Manager knows the FTP credentials now.
    monkeypatch.delenv("BHNAV_FTP_USER")
    monkeypatch.delenv("BHNAV_FTP_PASSWORD")
    secretsmanager.create_secret(Name="bhnav/sources/ftp", SecretString=json.dumps(ftp_credentials))
    settings = get_settings()
    caplog.set_level(logging.DEBUG)  # botocore logs whole request and response bodies at this level

    landed = land_asset(FTP_ASSET_NAME, settings)
    assert landed.landed, "the FTP login used the password from Secrets Manager"
    result = run_on_glue(["estacoes_onibus"], settings)
    assert result.ok

    objects = [s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read().decode("utf-8", "replace")
               for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"] if "_manifest." in o["Key"]]
    assert objects, "the landing wrote its manifest"
    glue = client("glue", settings)
    job = glue.get_job(JobName="bhnav-estacoes_onibus")["Job"]
    run = glue.get_job_run(JobName=job["Name"], RunId=result.runs[0].run_id)["JobRun"]
    assert "Response body" in caplog.text, "botocore's debug logging was on"
    places = {"logs": caplog.text, "manifests": "\n".join(objects), "job arguments": json.dumps(job["DefaultArguments"]),
              "run arguments": json.dumps(run.get("Arguments", {})), "settings": repr(settings),
              "secrets resource": repr(get_secrets(settings))}
    leaked = [where for where, text in places.items() if password in text]
    assert leaked == []
