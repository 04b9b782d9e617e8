"""Retries with exponential backoff and full jitter, for the failures that may pass."""

from __future__ import annotations

import logging
import random
import time
from typing import Callable, TypeVar

from landing.errors import LandingError
from lake.settings import Settings

log = logging.getLogger("bhnav.landing")
T = TypeVar("T")


def backoff_delay(settings: Settings, attempt: int) -> float:
    """``base · 2^attempt``, jittered between half and one and a half times that so that many
    clients retrying the same portal do not hit it in lockstep."""
    return settings.backoff_base_s * (2**attempt) * random.uniform(0.5, 1.5)


def with_retries(settings: Settings, action: Callable[[int], T], *, attempts: int | None = None) -> T:
    """Call ``action(attempt)``; retry it while it raises a retriable LandingError."""
    total = (settings.http_retries if attempts is None else attempts) + 1
    for attempt in range(total):
        try:
            return action(attempt)
        except LandingError as exc:
            if not exc.retriable:
                raise
            if attempt == total - 1:
                raise LandingError(exc.asset, f"{exc.cause} (after {total} attempts)") from exc
            delay = backoff_delay(settings, attempt)
            log.warning("%s; retrying in %.2fs (attempt %d of %d)", exc, delay, attempt + 2, total)
            time.sleep(delay)
    raise AssertionError("unreachable")
