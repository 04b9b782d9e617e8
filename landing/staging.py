"""A file being assembled before it is published: hashed and counted as it is written.

It lives in the storage's staging folder and is always removed on exit; a published copy in
the lake is the lake's own (a hard link or a copy), so nothing half-written is ever left behind.

Disk writes and hashing run in a background thread fed through a small bounded queue, so the
network read of the next chunk overlaps the write of the last one (both release the GIL), while
memory stays bounded: at most ``QUEUE_BLOCKS`` chunks are in flight. A reader that can fill a
buffer in place (``readinto``) takes one from ``buffer()`` and hands it back with ``commit``: no
copy of the bytes is made between the socket and the disk.
"""

from __future__ import annotations

import hashlib
import os
import queue
import tempfile
import threading
from pathlib import Path

HEAD_BYTES = 64 * 1024  # enough to sniff HTML pages and detect an encoding
QUEUE_BLOCKS = 8


class StagedFile:
    def __init__(self, folder: Path, asset: str):
        fd, name = tempfile.mkstemp(prefix=f"{asset}-", suffix=".part", dir=folder)
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUE_BLOCKS)
        self._free: queue.Queue = queue.Queue()  # recycled buffers for buffer()/commit()
        self._buffers = 0
        self._error: OSError | None = None
        self._reset_counters()
        self._thread = threading.Thread(target=self._drain, name=f"stage-{asset}", daemon=True)
        self._thread.start()

    def _reset_counters(self) -> None:
        self._digest = hashlib.sha256()
        self.bytes = 0
        self.head = b""

    def _drain(self) -> None:
        while True:
            block = self._queue.get()
            try:
                if block is None:
                    return
                buffer = None
                if isinstance(block, tuple):  # (buffer, length) from commit()
                    buffer, length = block
                    block = memoryview(buffer)[:length]
                if self._error is None:
                    self._file.write(block)
                    self._digest.update(block)
                if buffer is not None:
                    block.release()
                    self._free.put(buffer)
            except OSError as exc:  # disk full, file too large...: raised in the caller's thread
                self._error = exc
            finally:
                self._queue.task_done()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, data: bytes) -> None:
        """Queue a block; an earlier write's OSError is raised here (or by ``finish``)."""
        self._raise_error()
        self._queue.put(bytes(data))
        self.bytes += len(data)
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]

    def buffer(self, size: int) -> bytearray:
        """A buffer to fill in place; waits for one while ``QUEUE_BLOCKS`` are in flight."""
        self._raise_error()
        if self._free.empty() and self._buffers < QUEUE_BLOCKS:
            self._buffers += 1
            return bytearray(size)
        return self._free.get()

    def release(self, buffer: bytearray) -> None:
        """Give back a buffer that was not filled."""
        self._free.put(buffer)

    def commit(self, buffer: bytearray, length: int) -> None:
        """Queue the first ``length`` bytes of a buffer from ``buffer()``; it is reused after."""
        self._raise_error()
        if len(self.head) < HEAD_BYTES:
            self.head += bytes(buffer[: min(length, HEAD_BYTES - len(self.head))])
        self.bytes += length
        self._queue.put((buffer, length))

    def reset(self) -> None:
        """Start over (a retry that cannot resume)."""
        self._queue.join()
        self._error = None
        self._file.seek(0)
        self._file.truncate()
        self._reset_counters()

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def finish(self, *, fsync: bool = True) -> None:
        """Write what is queued and close; with ``fsync``, wait until the bytes are on disk."""
        self._stop()
        self._raise_error()
        if not self._file.closed:
            self._file.flush()
            if fsync:
                os.fsync(self._file.fileno())
            self._file.close()

    @property
    def sha256(self) -> str:
        """The bytes' digest; complete once ``finish`` has returned."""
        return self._digest.hexdigest()

    def discard(self) -> None:
        self._stop()
        if not self._file.closed:
            try:
                self._file.close()
            except OSError:
                pass  # flushing a failed file (disk full) fails again; it is deleted anyway
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> "StagedFile":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()
