"""Every table location comes from one function; a snapshot of what it returns, locally and on S3."""

from __future__ import annotations

import pytest

from assets.definitions import load_graph
from lake.locations import landing_key, quarantine_uri, spark_path, table_uri
from lake.settings import SettingsError, get_settings


def test_local_and_aws_uris(monkeypatch, tmp_path):
    graph = load_graph()
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(tmp_path))
    local = get_settings()
    assert table_uri(graph["acidentes"], local) == f"{tmp_path.as_uri()}/curated/acidentes"
    assert table_uri(graph["acidentes_raw"], local) == f"{tmp_path.as_uri()}/raw/pbh/acidentes_raw"
    monkeypatch.setenv("BHNAV_ENV", "aws")
    monkeypatch.setenv("S3_BUCKET", "lake-bucket")
    aws = get_settings()
    assert table_uri(graph["apetite_investidor"], aws) == "s3://lake-bucket/analytics/apetite_investidor"
    assert quarantine_uri(graph["acidentes"], aws) == "s3://lake-bucket/quarantine/acidentes"
    assert spark_path(table_uri(graph["acidentes"], aws)) == "s3a://lake-bucket/curated/acidentes"


def test_uris_are_unique_per_asset(lake_env):
    uris = [table_uri(a, lake_env) for a in load_graph()]
    assert len(uris) == len(set(uris))


def test_landing_key_layout():
    from datetime import date

    key = landing_key(load_graph()["mco_raw"], date(2026, 11, 30), "mco.csv")
    assert key == "raw/bhtrans/mco_raw/ingest_date=2026-11-30/mco.csv"


@pytest.mark.parametrize(
    "variable, value, message",
    [
        pytest.param("BHNAV_ENV", "gcp", r"BHNAV_ENV='gcp' is unknown", id="unknown-env"),
        pytest.param("BHNAV_HTTP_RETRIES", "many", r"BHNAV_HTTP_RETRIES='many' is not an integer", id="bad-int"),
        pytest.param("BHNAV_HTTP_TIMEOUT", "soon", r"BHNAV_HTTP_TIMEOUT='soon' is not a number", id="bad-float"),
    ],
)
def test_bad_settings_name_the_variable(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=message):
        get_settings()


def test_settings_are_read_at_call_time(monkeypatch, tmp_path):
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(tmp_path / "a"))
    first = get_settings().lake_dir
    monkeypatch.setenv("BHNAV_LAKE_DIR", str(tmp_path / "b"))
    assert get_settings().lake_dir != first


def test_aws_without_bucket_says_what_to_set(monkeypatch):
    monkeypatch.setenv("BHNAV_ENV", "aws")
    monkeypatch.delenv("S3_BUCKET", raising=False)
    with pytest.raises(SettingsError, match="S3_BUCKET is not set"):
        table_uri(load_graph()["acidentes"], get_settings())
