"""Secrets (credentials) behind one small interface, chosen by the settings' environment.

``get_secret(name)`` returns a dict such as ``{"username": ..., "password": ...}``. Locally the
values come from the environment (read by lake.settings: ``BHNAV_LOCAL_SECRET_<NAME>`` holding a
JSON object, or ``BHNAV_FTP_USER``/``BHNAV_FTP_PASSWORD`` for the secret ``ftp``). In AWS a
Secrets Manager implementation takes the same place (``lake.aws_secrets.AwsSecrets``).

Secret values never appear in messages, reprs or logs: errors name the secret, not its content.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod

from lake.settings import Settings, get_settings


class SecretError(LookupError):
    """A secret is missing or malformed; the message names the secret and how to provide it."""


class Secrets(ABC):
    @classmethod
    def from_settings(cls, settings, **options):
        """The instance the environment mapping (lake.resources) builds from the settings."""
        return cls(settings, **options)

    @abstractmethod
    def get_secret(self, name: str) -> dict:
        """The secret's fields; SecretError when it is missing or not a JSON object."""


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_")


class EnvSecrets(Secrets):
    """The local environment's secrets, as lake.settings read them from environment variables."""

    @classmethod
    def from_settings(cls, settings, **options):
        return cls(settings.local_secrets)

    def __init__(self, values: dict[str, str]):
        self._values = {_normalise(k): v for k, v in values.items()}

    def __repr__(self) -> str:
        return f"EnvSecrets(names={sorted(self._values)})"

    def get_secret(self, name: str) -> dict:
        key = _normalise(name)
        raw = self._values.get(key)
        if raw is None:
            hint = " (or BHNAV_FTP_USER and BHNAV_FTP_PASSWORD)" if key == "ftp" else ""
            raise SecretError(
                f"secret {name!r} is not set; export BHNAV_LOCAL_SECRET_{key.upper()} as a JSON object{hint}"
            )
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            # The decoder's message quotes the text: keep it out of the error.
            raise SecretError(f"secret {name!r} is not valid JSON; set a JSON object") from None
        if not isinstance(value, dict):
            raise SecretError(f"secret {name!r} is not a JSON object; set one such as {{\"username\": ...}}")
        return value


def get_secrets(settings: Settings | None = None) -> Secrets:
    """The secrets resource of the settings' environment."""
    from lake.resources import ResourceError, resource

    try:
        return resource("secrets", settings or get_settings())
    except ResourceError as exc:
        raise SecretError(str(exc)) from None


def get_secret(name: str, settings: Settings | None = None) -> dict:
    return get_secrets(settings).get_secret(name)
