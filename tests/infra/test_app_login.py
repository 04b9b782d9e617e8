"""The app in AWS binds every interface of its container explicitly and logs users in with a
password the stack generates in Secrets Manager, which only the app role reads."""

from __future__ import annotations

import pytest

from infra.app_ec2 import APP_COMMAND, LOGIN_SECRET, LOGIN_SECRET_READ, login_secret_name
from infra.app_ecs import TASK


def _container(template) -> dict:
    (container,) = template["Resources"][TASK]["Properties"]["ContainerDefinitions"]
    return container


def test_both_homes_run_the_app_on_every_interface(template):
    assert APP_COMMAND[-2:] == ["--address", "0.0.0.0"]
    assert _container(template)["Command"] == APP_COMMAND
    user_data = template["Resources"]["AppInstance"]["Properties"]["UserData"]["Fn::Base64"]["Fn::Sub"]
    assert " ".join(APP_COMMAND) in user_data


def test_the_app_finds_the_login_secret_under_its_default_name(template, settings):
    from lake.aws_secrets import secret_id

    assert template["Resources"][LOGIN_SECRET]["Properties"]["Name"] == secret_id(settings.app_password_secret, settings)
    assert login_secret_name(settings) == f"{settings.glue_database_prefix}/sources/app"


def test_the_login_password_is_generated_and_encrypted(template, settings):
    secret = template["Resources"][LOGIN_SECRET]["Properties"]
    assert secret["Name"] == login_secret_name(settings)
    assert secret["GenerateSecretString"]["GenerateStringKey"] == "password"
    assert secret["KmsKeyId"] == {"Fn::GetAtt": ["LakeKey", "Arn"]}
    assert "SecretString" not in secret


@pytest.mark.parametrize(("field", "expected"), [
    pytest.param("Roles", [{"Ref": "AppRole"}], id="app-role-only"),
    pytest.param("PolicyDocument", {"Version": "2012-10-17", "Statement": [{
        "Sid": "ReadLoginPassword", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
        "Resource": [{"Ref": LOGIN_SECRET}]}]}, id="this-secret-only"),
])
def test_only_the_app_role_reads_the_login_secret(template, field, expected):
    assert template["Resources"][LOGIN_SECRET_READ]["Properties"][field] == expected
