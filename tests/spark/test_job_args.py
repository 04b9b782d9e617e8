"""The job entry point's arguments, read the way Glue passes them."""

from __future__ import annotations

import pytest

from runs.job import parse_args


@pytest.mark.parametrize("argv, expected", [
    pytest.param(["job", "--asset", "acidentes", "--env", "local"],
                 {"asset": "acidentes", "env": "local", "force": False, "settings": {}}, id="plain"),
    pytest.param(["job", "--asset", "acidentes", "--env", "aws", "--force"],
                 {"asset": "acidentes", "env": "aws", "force": True, "settings": {}}, id="force-flag"),
    pytest.param(["job", "--force", "false", "--asset", "a", "--env", "aws"],
                 {"asset": "a", "env": "aws", "force": False, "settings": {}}, id="glue-style-false"),
    pytest.param(["job", "--asset", "a", "--env", "aws", "--S3_BUCKET", "lake", "--job-bookmark-option", "x"],
                 {"asset": "a", "env": "aws", "force": False, "settings": {"S3_BUCKET": "lake"}},
                 id="settings-and-glue-extras"),
])
def test_arguments(argv, expected):
    assert parse_args(argv) == expected


def test_unknown_environment_is_refused(capsys):
    with pytest.raises(SystemExit):
        parse_args(["job", "--asset", "a", "--env", "prod"])
    assert "invalid choice: 'prod'" in capsys.readouterr().err


def test_job_reports_an_unknown_asset_in_one_line(lake_env, capsys):
    from runs.job import main

    assert main(["job", "--asset", "nao_existe", "--env", "local"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "nao_existe" in err and "\n" not in err
