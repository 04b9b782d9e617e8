"""The one error a landing raises: it names the dataset and the cause, on one line."""

from __future__ import annotations


class LandingError(RuntimeError):
    def __init__(self, asset: str, cause: str, *, retriable: bool = False):
        self.asset = asset
        self.cause = " ".join(str(cause).split())  # one line, whatever the server sent
        self.retriable = retriable
        super().__init__(f"dataset {asset!r}: {self.cause}")
