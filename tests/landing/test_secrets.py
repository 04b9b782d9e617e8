"""The secrets resource of the local environment: environment variables, never echoed."""

from __future__ import annotations

import pytest

from lake.secrets import EnvSecrets, SecretError, get_secret, get_secrets
from lake.settings import get_settings


def test_a_json_secret_is_read_by_name(monkeypatch):
    monkeypatch.setenv("BHNAV_LOCAL_SECRET_OPERADOR_FTP", '{"username": "op", "password": "s3cr3t-a"}')
    assert get_secret("operador-ftp", get_settings()) == {"username": "op", "password": "s3cr3t-a"}


def test_the_ftp_pair_is_the_secret_named_ftp(monkeypatch):
    monkeypatch.setenv("BHNAV_FTP_USER", "lander")
    monkeypatch.setenv("BHNAV_FTP_PASSWORD", "s3cr3t-b")
    assert get_secret("ftp", get_settings()) == {"username": "lander", "password": "s3cr3t-b"}


@pytest.mark.parametrize(
    "value, message",
    [
        pytest.param(None, r"secret 'pbh_api' is not set; export BHNAV_LOCAL_SECRET_PBH_API as a JSON object", id="missing"),
        pytest.param("{not json s3cr3t-c", r"secret 'pbh_api' is not valid JSON; set a JSON object", id="not-json"),
        pytest.param('["s3cr3t-d"]', r"secret 'pbh_api' is not a JSON object", id="not-an-object"),
    ],
)
def test_bad_secrets_are_named_without_their_value(monkeypatch, value, message):
    if value is not None:
        monkeypatch.setenv("BHNAV_LOCAL_SECRET_PBH_API", value)
    with pytest.raises(SecretError, match=message) as err:
        get_secret("pbh_api", get_settings())
    assert "s3cr3t" not in str(err.value)


def test_settings_and_resource_reprs_hide_secret_values(monkeypatch):
    monkeypatch.setenv("BHNAV_FTP_USER", "lander")
    monkeypatch.setenv("BHNAV_FTP_PASSWORD", "s3cr3t-e")
    settings = get_settings()
    assert "s3cr3t-e" not in repr(settings)
    secrets = get_secrets(settings)
    assert isinstance(secrets, EnvSecrets) and "s3cr3t-e" not in repr(secrets) and "ftp" in repr(secrets)
