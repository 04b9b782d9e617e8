"""Least privilege at the S3 edge, with moto's IAM enforcement on, using infra.iam's own documents.

A moto server of its own (a separate process): IAM enforcement is read from
``INITIAL_NO_AUTH_ACTION_COUNT`` when moto starts. The first three requests are free (they
create an administrator); every later request is checked against the caller's policies.
moto checks resource ARNs for S3 only, so the documents are proven here at the S3 edge.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from lake.s3_storage import S3Storage, S3StorageError
from tests.fixtures.moto import BUCKET, aws_test_environment

pytestmark = pytest.mark.slow
ACCOUNT = "123456789012"  # moto's account
FREE_BOOTSTRAP_REQUESTS = 3  # create the administrator, its policy, its access key


@pytest.fixture(scope="module")
def iam_moto():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": str(FREE_BOOTSTRAP_REQUESTS)}
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).read()  # not an AWS action: not counted
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("moto's server with IAM enforcement did not start")
            time.sleep(0.2)
    yield endpoint
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def _boto(service: str, endpoint: str, keys: dict):
    import boto3

    return boto3.client(service, region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id=keys["id"],
                        aws_secret_access_key=keys["secret"])


@pytest.fixture(scope="module")
def principals(iam_moto):
    """The administrator (bootstrap), then one user per policy under test, with their keys."""
    import boto3

    from assets.definitions import load_graph
    from infra.iam import glue_job_policy, landing_policy
    from lake.settings import get_settings

    bootstrap = boto3.client("iam", region_name="us-east-1", endpoint_url=iam_moto, aws_access_key_id="bootstrap",
                             aws_secret_access_key="bootstrap")
    bootstrap.create_user(UserName="admin")
    bootstrap.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = bootstrap.create_access_key(UserName="admin")["AccessKey"]
    admin = {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
    iam = _boto("iam", iam_moto, admin)
    _boto("s3", iam_moto, admin).create_bucket(Bucket=BUCKET)

    settings = get_settings(env="aws", s3_bucket=BUCKET, aws_region="us-east-1")
    graph = load_graph()
    documents = {
        "landing": landing_policy(settings, graph, account=ACCOUNT),
        "job-estacoes": glue_job_policy(graph["estacoes_onibus"], graph, settings, account=ACCOUNT),
    }
    users = {"admin": admin}
    for name, document in documents.items():
        iam.create_user(UserName=name)
        arn = iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(document))["Policy"]["Arn"]
        iam.attach_user_policy(UserName=name, PolicyArn=arn)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        users[name] = {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
    s3 = _boto("s3", iam_moto, admin)
    s3.put_object(Bucket=BUCKET, Key="raw/pbh/estacoes_onibus_raw/ingest_date=2026-01-01/estacao_onibus.csv", Body=b"a")
    s3.put_object(Bucket=BUCKET, Key="raw/pbh/acidentes_raw/ingest_date=2026-01-01/si-bol-2019.csv", Body=b"a")
    return users


@pytest.fixture
def as_user(iam_moto, principals, monkeypatch):
    """Settings of the aws environment whose credentials are one user's (the default AWS chain)."""
    from lake.settings import get_settings

    def become(user: str):
        keys = principals[user]
        aws_test_environment(monkeypatch, iam_moto, key_id=keys["id"], secret=keys["secret"])
        return get_settings()

    return become


def _put(storage: S3Storage, tmp_path, key: str) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(key.encode())
    storage.put_new(path, key, sha256=hashlib.sha256(key.encode()).hexdigest())


def test_landing_writes_raw_and_is_denied_curated(as_user, tmp_path):
    storage = S3Storage(as_user("landing"))
    _put(storage, tmp_path, "raw/pbh/estacoes_onibus_raw/ingest_date=2026-02-01/estacao_onibus.csv")
    storage.write_bytes("raw/pbh/estacoes_onibus_raw/ingest_date=2026-02-01/_manifest.estacao_onibus.csv.json", b"{}")
    assert "raw/pbh/estacoes_onibus_raw/ingest_date=2026-02-01/estacao_onibus.csv" in storage.list(
        "raw/pbh/estacoes_onibus_raw")
    with pytest.raises(S3StorageError, match=r"^S3 PUT of s3://\S+/curated/estacoes_onibus/x.parquet failed: AccessDenied$"):
        _put(storage, tmp_path, "curated/estacoes_onibus/x.parquet")
    with pytest.raises(S3StorageError, match=r"DELETE of .* failed: AccessDenied"):
        storage.delete("raw/pbh/estacoes_onibus_raw/ingest_date=2026-01-01/estacao_onibus.csv")


def test_a_landing_through_the_lander_succeeds_with_the_landing_policy(as_user, snapshot_dir):
    from landing.lander import land_asset

    result = land_asset("parques_raw", as_user("landing"), snapshot_dir=snapshot_dir)
    assert result.landed and result.key.startswith("raw/")


@pytest.mark.parametrize("key, allowed", [
    pytest.param("raw/pbh/estacoes_onibus_raw/ingest_date=2026-01-01/estacao_onibus.csv", True, id="its-raw-input"),
    pytest.param("raw/pbh/acidentes_raw/ingest_date=2026-01-01/si-bol-2019.csv", False, id="another-raw-table"),
])
def test_a_job_reads_its_raw_input_only(as_user, key, allowed):
    storage = S3Storage(as_user("job-estacoes"))
    if allowed:
        assert storage.read_bytes(key) == b"a"
    else:
        with pytest.raises(S3StorageError, match="AccessDenied"):
            storage.read_bytes(key)


@pytest.mark.parametrize("key, allowed", [
    pytest.param("curated/estacoes_onibus/part-0.parquet", True, id="its-own-table"),
    pytest.param("curated/estacoes_onibus/_delta_log/00000000000000000000.json", True, id="its-delta-log"),
    pytest.param("curated/estacoes_onibus/_bhnav_history/run.json", True, id="its-run-history"),
    pytest.param("quarantine/estacoes_onibus/part-0.parquet", True, id="its-quarantine"),
    pytest.param("curated/acidentes/part-0.parquet", False, id="another-table"),
    pytest.param("curated/estacoes_onibus_v2/part-0.parquet", False, id="a-table-sharing-its-prefix"),
    pytest.param("raw/pbh/estacoes_onibus_raw/ingest_date=2026-03-01/x.csv", False, id="the-raw-zone"),
])
def test_a_job_writes_only_its_own_tables_prefix(as_user, key, allowed):
    storage = S3Storage(as_user("job-estacoes"))
    if allowed:
        storage.write_bytes(key, b"{}")
    else:
        with pytest.raises(S3StorageError, match=r"PUT of .* failed: AccessDenied$"):
            storage.write_bytes(key, b"{}")
