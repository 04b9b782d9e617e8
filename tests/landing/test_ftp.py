"""Landing from a real pyftpdlib server: passive mode, resume after a drop, credentials kept secret."""

from __future__ import annotations

import json
import logging

import pytest

from landing.errors import LandingError
from landing.lander import land_asset
from landing.manifests import latest_manifest
from lake.storage import get_storage
from tests.landing.conftest import FTP_ASSET_NAME, lake_files, sha256_of


def test_an_ftp_file_lands_with_its_sha256(ftp_env, ftp_root, ftp_server):
    result = land_asset(FTP_ASSET_NAME, ftp_env)
    assert result.landed
    manifest = latest_manifest(get_storage(ftp_env), FTP_ASSET_NAME)
    assert manifest.sha256 == sha256_of(ftp_root / "exports" / "viagens.csv")
    assert manifest.key.startswith(f"raw/operador/{FTP_ASSET_NAME}/ingest_date=") and manifest.key.endswith("/viagens.csv")
    assert manifest.source_url == f"ftp://{ftp_server.host}:{ftp_server.port}/exports/viagens.csv"
    assert manifest.last_modified  # MDTM
    assert ("PASV", "") in ftp_server.faults.commands or ("EPSV", "") in ftp_server.faults.commands


def test_an_unchanged_ftp_file_is_skipped_without_a_transfer(ftp_env, ftp_server):
    land_asset(FTP_ASSET_NAME, ftp_env)
    retrievals = sum(1 for cmd, _ in ftp_server.faults.commands if cmd == "RETR")
    second = land_asset(FTP_ASSET_NAME, ftp_env)
    assert second.skipped and "MDTM" in second.reason
    assert sum(1 for cmd, _ in ftp_server.faults.commands if cmd == "RETR") == retrievals


def test_a_transfer_dropped_once_is_resumed_with_rest(ftp_env, ftp_root, ftp_server):
    ftp_server.drop_mid_transfer(times=1, after_bytes=300_000)
    result = land_asset(FTP_ASSET_NAME, ftp_env)
    assert ftp_server.faults.drops_done == 1
    rest = [int(arg) for cmd, arg in ftp_server.faults.commands if cmd == "REST"]
    assert rest and rest[0] >= 300_000  # resumed from what was received, not from zero
    assert result.landed and result.sha256 == sha256_of(ftp_root / "exports" / "viagens.csv")


def test_a_transfer_that_keeps_dropping_fails_and_lands_nothing(ftp_env, ftp_server):
    ftp_server.drop_mid_transfer(times=100, after_bytes=1)
    with pytest.raises(LandingError, match=rf"dataset '{FTP_ASSET_NAME}': FTP transfer of ftp://.* (interrupted|ended) "
                                           r".*\(after 3 attempts\)"):
        land_asset(FTP_ASSET_NAME, ftp_env)
    assert lake_files(ftp_env) == {}


def test_wrong_credentials_fail_without_showing_them(ftp_env, monkeypatch, caplog, capsys):
    from lake.settings import get_settings

    monkeypatch.setenv("BHNAV_FTP_PASSWORD", "wrong-pw-6f1d2a")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(LandingError, match=rf"dataset '{FTP_ASSET_NAME}': FTP login to ftp://.* refused \(530\)") as err:
        land_asset(FTP_ASSET_NAME, get_settings())
    assert "wrong-pw-6f1d2a" not in str(err.value) + caplog.text + "".join(capsys.readouterr())
    assert lake_files(ftp_env) == {}


def test_missing_credentials_name_the_secret_to_set(ftp_env, monkeypatch):
    from lake.settings import get_settings

    monkeypatch.delenv("BHNAV_FTP_USER")
    monkeypatch.delenv("BHNAV_FTP_PASSWORD")
    with pytest.raises(LandingError, match=r"FTP credentials: secret 'ftp' is not set; export BHNAV_LOCAL_SECRET_FTP"):
        land_asset(FTP_ASSET_NAME, get_settings())


def test_credentials_from_a_json_secret(ftp_env, ftp_credentials, monkeypatch):
    from lake.settings import get_settings

    monkeypatch.delenv("BHNAV_FTP_USER")
    monkeypatch.delenv("BHNAV_FTP_PASSWORD")
    monkeypatch.setenv("BHNAV_LOCAL_SECRET_FTP", json.dumps(ftp_credentials))
    assert land_asset(FTP_ASSET_NAME, get_settings()).landed


def test_no_secret_value_reaches_logs_manifests_or_output(ftp_env, ftp_credentials, ftp_server, caplog, capsys):
    from typer.testing import CliRunner

    from app.cli.main import build

    caplog.set_level(logging.DEBUG)
    ftp_server.drop_mid_transfer(times=1, after_bytes=100_000)  # a retry logs a warning: it must stay clean too
    cli = CliRunner().invoke(build(), ["land", "--select", FTP_ASSET_NAME, "--format", "json"])
    assert cli.exit_code == 0, cli.output
    storage = get_storage(ftp_env)
    manifest_text = storage.read_bytes(latest_manifest(storage, FTP_ASSET_NAME).manifest_key).decode()
    seen = caplog.text + "".join(capsys.readouterr()) + cli.output + manifest_text + repr(ftp_env)
    assert "retrying" in caplog.text
    assert ftp_credentials["password"] not in seen
    assert ftp_credentials["password"] not in json.dumps([c for c in ftp_server.faults.commands])


def test_a_source_with_its_own_secret_uses_it(ftp_env, ftp_credentials, monkeypatch):
    from lake.settings import get_settings

    monkeypatch.delenv("BHNAV_FTP_USER")
    monkeypatch.delenv("BHNAV_FTP_PASSWORD")
    monkeypatch.setenv("BHNAV_SECRET_OPERADOR", "bhnav/sources/operador")  # the source's id in Secrets Manager
    with pytest.raises(LandingError, match=r"FTP credentials: secret 'operador' is not set; export "
                                           r"BHNAV_LOCAL_SECRET_OPERADOR"):
        land_asset(FTP_ASSET_NAME, get_settings())
    monkeypatch.setenv("BHNAV_LOCAL_SECRET_OPERADOR", json.dumps(ftp_credentials))
    assert land_asset(FTP_ASSET_NAME, get_settings()).landed


def test_an_ftp_file_over_the_size_cap_is_refused_before_the_transfer(ftp_env, ftp_root, monkeypatch):
    from lake.settings import get_settings

    monkeypatch.setenv("BHNAV_LANDING_MAX_MB", "0.1")
    size = (ftp_root / "exports" / "viagens.csv").stat().st_size
    with pytest.raises(LandingError, match=rf"dataset '{FTP_ASSET_NAME}': ftp://\S+/exports/viagens.csv announces "
                                           rf"{size} bytes, over the cap of 104857 bytes"):
        land_asset(FTP_ASSET_NAME, get_settings())
    assert lake_files(ftp_env) == {}, "nothing landed, nothing left staged"
