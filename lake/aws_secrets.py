"""Secrets Manager: the aws environment's secrets resource.

A secret asked for by name (``ftp``, a source, an asset's salt) is looked up by the id the settings
give: ``BHNAV_SECRET_<NAME>`` (a name or an ARN), ``BHNAV_FTP_SECRET_ID`` for ``ftp``, else the
stack's name ``<prefix>/sources/<name>`` (lake.aws_names.secret_name, the one home of that name).
Each secret is fetched once per process and kept in memory. Messages name the secret id, never
its value; the cache and this object print no values.
"""

from __future__ import annotations

import json
import logging
import threading

from lake.aws import client, error_code
from lake.aws_names import secret_name
from lake.secrets import SecretError, Secrets
from lake.settings import Settings

_cache: dict[tuple[str, str | None, str], str] = {}
_lock = threading.Lock()


class _HideSecretResponses(logging.Filter):
    """botocore logs every response body at DEBUG; a GetSecretValue answer must never be logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted carries no secret of ours
            return True
        return "SecretString" not in text and "SecretBinary" not in text


def _hide_secret_responses() -> None:
    logger = logging.getLogger("botocore.parsers")
    if not any(isinstance(f, _HideSecretResponses) for f in logger.filters):
        logger.addFilter(_HideSecretResponses())


def clear_cache() -> None:
    """Forget every fetched secret (after a rotation; tests)."""
    with _lock:
        _cache.clear()


def secret_id(name: str, settings: Settings) -> str:
    """The Secrets Manager name or ARN that holds the secret ``name``."""
    key = name.strip().lower().replace("-", "_")
    if key in settings.secret_ids:
        return settings.secret_ids[key]
    if key == "ftp" and settings.ftp_secret_id:
        return settings.ftp_secret_id
    if name.startswith("arn:") or "/" in name or name in settings.secret_ids.values() or name == settings.ftp_secret_id:
        return name  # already a secret's id (callers may resolve the settings' mapping themselves)
    return secret_name(settings, key)


class AwsSecrets(Secrets):
    def __init__(self, settings: Settings):
        self.settings = settings
        _hide_secret_responses()

    def __repr__(self) -> str:
        return f"AwsSecrets(region={self.settings.aws_region!r})"

    def get_secret(self, name: str) -> dict:
        sid = secret_id(name, self.settings)
        raw = self._fetch(sid)
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            # The decoder's message quotes the text: keep it out of the error.
            raise SecretError(f"secret {name!r} ({sid}) is not valid JSON; store a JSON object") from None
        if not isinstance(value, dict):
            raise SecretError(f"secret {name!r} ({sid}) is not a JSON object; store one such as {{\"username\": ...}}")
        return value

    def _fetch(self, sid: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        cache_key = (self.settings.aws_region, self.settings.aws_endpoint_url, sid)
        with _lock:
            if cache_key in _cache:
                return _cache[cache_key]
        try:
            answer = client("secretsmanager", self.settings).get_secret_value(SecretId=sid)
        except ClientError as exc:
            code = error_code(exc)
            if code == "ResourceNotFoundException":
                raise SecretError(f"secret {sid!r} does not exist in Secrets Manager ({self.settings.aws_region}); "
                                  "create it with a JSON object value") from None
            raise SecretError(f"secret {sid!r} could not be read from Secrets Manager: {code}") from None
        except BotoCoreError as exc:
            raise SecretError(f"secret {sid!r} could not be read from Secrets Manager: {type(exc).__name__}") from None
        raw = answer.get("SecretString")
        if raw is None:
            raise SecretError(f"secret {sid!r} holds binary data; store a JSON object as its string value")
        with _lock:
            _cache[cache_key] = raw
        return raw
