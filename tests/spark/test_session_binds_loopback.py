"""A local Spark session opens no port beyond this machine, and its web UI runs only when asked."""

from __future__ import annotations

import ipaddress

import pytest


@pytest.mark.spark
def test_the_local_session_listens_on_loopback_only(spark):
    from tests.support.listening import listening

    jvm = spark.sparkContext._gateway.proc.pid  # spark-submit execs the driver's JVM in place
    sockets = listening(jvm)
    assert len(sockets) >= 2, sockets  # at least the driver's RPC and its block manager
    assert all(ipaddress.ip_address(address).is_loopback for address, _ in sockets), sockets


@pytest.mark.parametrize(("environment", "enabled"), [
    pytest.param({}, "false", id="off-by-default"),
    pytest.param({"BHNAV_SPARK_UI": "1"}, "true", id="on-when-asked"),
])
def test_the_web_ui_runs_only_when_asked(monkeypatch, environment, enabled):
    from lake.settings import get_settings
    from spark.session import base_conf

    monkeypatch.delenv("BHNAV_SPARK_UI", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert base_conf(get_settings())["spark.ui.enabled"] == enabled
