"""A file being assembled before it is published: hashed and counted as it is written.

It lives in the storage's staging folder and is always removed on exit; a published copy in
the lake is the lake's own (a hard link or a copy), so nothing half-written is ever left behind.

Writing and hashing run in two background threads, a pipeline fed through bounded queues: the
network read of one block, the disk write of the one before and the SHA-256 of the one before
that overlap (socket reads, file writes and hashlib all release the GIL). Memory stays bounded:
at most ``QUEUE_BLOCKS`` blocks are in flight. A reader that fills buffers in place
(``readinto``) takes one from ``buffer()`` and hands it back with ``commit``: the bytes are not
copied between the socket and the disk.
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
_STOP = object()


class StagedFile:
    def __init__(self, folder: Path, asset: str):
        fd, name = tempfile.mkstemp(prefix=f"{asset}-", suffix=".part", dir=folder)
        # mkstemp makes 0600 files; a landed file (a hard link to this one) must be readable
        # by the jobs that read the raw zone, like any file the lake writes.
        os.fchmod(fd, 0o644)
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")
        self._to_write: queue.Queue = queue.Queue(maxsize=QUEUE_BLOCKS)
        self._to_hash: queue.Queue = queue.Queue(maxsize=QUEUE_BLOCKS)
        self._free: queue.Queue = queue.Queue()  # recycled buffers for buffer()/commit()
        self._buffers = 0
        self._error: OSError | None = None
        self._reset_counters()
        self._threads = [
            threading.Thread(target=self._write_blocks, name=f"write-{asset}", daemon=True),
            threading.Thread(target=self._hash_blocks, name=f"hash-{asset}", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _reset_counters(self) -> None:
        self._digest = hashlib.sha256()
        self.bytes = 0
        self.head = b""

    @staticmethod
    def _view(block):
        if isinstance(block, tuple):  # (buffer, length) from commit()
            buffer, length = block
            return memoryview(buffer)[:length]
        return block

    def _write_blocks(self) -> None:
        while True:
            block = self._to_write.get()
            try:
                if block is not _STOP and self._error is None:
                    self._file.write(self._view(block))
            except OSError as exc:  # disk full, file too large...: raised in the caller's thread
                self._error = exc
            finally:
                self._to_hash.put(block)
                self._to_write.task_done()
            if block is _STOP:
                return

    def _hash_blocks(self) -> None:
        while True:
            block = self._to_hash.get()
            try:
                if block is _STOP:
                    return
                self._digest.update(self._view(block))
                if isinstance(block, tuple):
                    self._free.put(block[0])
            finally:
                self._to_hash.task_done()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, data: bytes) -> None:
        """Queue a block; an earlier write's OSError is raised here (or by ``finish``)."""
        self._raise_error()
        self._to_write.put(bytes(data))
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
        self._to_write.put((buffer, length))

    def _drain(self) -> None:
        self._to_write.join()
        self._to_hash.join()

    def reset(self) -> None:
        """Start over (a retry that cannot resume)."""
        self._drain()
        self._error = None
        self._file.seek(0)
        self._file.truncate()
        self._reset_counters()

    def _stop(self) -> None:
        if self._threads[0].is_alive():
            self._to_write.put(_STOP)
        for thread in self._threads:
            thread.join()

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
