"""A file being assembled before it is published: hashed and counted as it is written.

It lives in the storage's staging folder and is always removed on exit; a published copy in
the lake is the lake's own (a hard link or a copy), so nothing half-written is ever left behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

HEAD_BYTES = 64 * 1024  # enough to sniff HTML pages and detect an encoding


class StagedFile:
    def __init__(self, folder: Path, asset: str):
        fd, name = tempfile.mkstemp(prefix=f"{asset}-", suffix=".part", dir=folder)
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")
        self._reset_counters()

    def _reset_counters(self) -> None:
        self._digest = hashlib.sha256()
        self.bytes = 0
        self.head = b""

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self._digest.update(data)
        self.bytes += len(data)
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]

    def reset(self) -> None:
        """Start over (a retry that cannot resume)."""
        self._file.seek(0)
        self._file.truncate()
        self._reset_counters()

    def finish(self) -> None:
        """Flush to disk: the bytes must be durable before they are published."""
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> "StagedFile":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()
