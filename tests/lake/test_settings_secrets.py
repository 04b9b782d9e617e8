"""Secret settings never show in the settings' repr (settings get printed and logged)."""

from __future__ import annotations

import json
import logging

import pytest


@pytest.mark.parametrize(("variable", "value"), [
    pytest.param("BHNAV_PII_SALT", "salt-of-the-real-lake-4242", id="pii-salt"),
    pytest.param("BHNAV_LOCAL_SECRET_APP", json.dumps({"password": "pw-of-the-app-4242"}), id="app-password"),
])
def test_a_secret_setting_is_not_in_the_repr_nor_a_log(monkeypatch, caplog, variable, value):
    from lake.settings import get_settings

    monkeypatch.setenv(variable, value)
    settings = get_settings()
    with caplog.at_level(logging.INFO):
        logging.getLogger("bhnav.test").info("settings: %s", settings)
    secret = value if variable == "BHNAV_PII_SALT" else "pw-of-the-app-4242"
    assert secret not in repr(settings) and secret not in caplog.text
    assert "query_timeout_s=30.0" in repr(settings)  # the rest is still shown
