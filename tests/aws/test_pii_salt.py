"""The PII salt in AWS: from Secrets Manager (moto's), never the public development salt, and the
job role may read that one secret only."""

from __future__ import annotations

import json

import pytest

from lake.settings import DEV_PII_SALT
from tests.fixtures.moto import REGION

SALT_SECRET = "bhnav/pii-salt"


@pytest.fixture
def secretsmanager(aws_env):
    from lake.aws import client

    return client("secretsmanager", aws_env)


@pytest.fixture
def empresas(aws_env):
    from assets.definitions import load_graph

    return load_graph()["empresas"]


def test_in_aws_the_salt_is_the_secret_managers(aws_env, secretsmanager, empresas):
    from spark.pii import pii_salt

    secretsmanager.create_secret(Name=SALT_SECRET, SecretString=json.dumps({"salt": "f3a9c1-random"}))
    assert pii_salt(empresas, aws_env) == "f3a9c1-random"


def test_in_aws_the_environments_salt_is_not_used(aws_env, secretsmanager, empresas, monkeypatch):
    from lake.settings import get_settings
    from spark.pii import pii_salt

    monkeypatch.setenv("BHNAV_PII_SALT", "from-the-environment")
    secretsmanager.create_secret(Name=SALT_SECRET, SecretString=json.dumps({"salt": "from-secrets-manager"}))
    assert pii_salt(empresas, get_settings()) == "from-secrets-manager"


@pytest.mark.parametrize("secret, message", [
    pytest.param(None, r"secret 'bhnav/pii-salt' does not exist in Secrets Manager", id="no-secret"),
    pytest.param({"salt": DEV_PII_SALT}, r"holds the public development salt; store a random one", id="dev-salt"),
    pytest.param({"pepper": "x"}, r"has no 'salt' field", id="no-salt-field"),
])
def test_in_aws_a_missing_or_public_salt_is_refused(aws_env, secretsmanager, empresas, secret, message):
    from spark.pii import pii_salt

    if secret is not None:
        secretsmanager.create_secret(Name=SALT_SECRET, SecretString=json.dumps(secret))
    with pytest.raises(Exception, match=message):
        pii_salt(empresas, aws_env)


def test_locally_the_development_salt_still_works(empresas):
    from lake.settings import get_settings
    from spark.pii import pii_salt

    assert pii_salt(empresas, get_settings(env="local")) == DEV_PII_SALT


def test_the_job_role_reads_exactly_its_salt_secret(aws_env, empresas):
    from assets.definitions import load_graph
    from infra.iam import glue_job_policy

    graph = load_graph()
    reads = [s for s in glue_job_policy(empresas, graph, aws_env, account="123456789012")["Statement"]
             if "secretsmanager:GetSecretValue" in s["Action"]]
    assert [s["Resource"] for s in reads] == [
        [f"arn:aws:secretsmanager:{REGION}:123456789012:secret:{SALT_SECRET}-??????"]]
    unhashed = glue_job_policy(graph["estacoes_onibus"], graph, aws_env, account="123456789012")["Statement"]
    assert not [s for s in unhashed if "secretsmanager:GetSecretValue" in s["Action"]]


def test_an_asset_that_hashes_nothing_reads_no_salt_secret(aws_env):
    """No secret exists here: an asset without hashed PII must not need one."""
    from assets.definitions import load_graph
    from spark.pii import pii_salt

    assert pii_salt(load_graph()["estacoes_onibus"], aws_env) == ""
