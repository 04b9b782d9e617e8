"""The staged file (hashing pipeline) and LocalStorage's publishing of it."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pytest

from landing.staging import HEAD_BYTES, StagedFile
from lake.storage import KeyExistsError, LocalStorage


def _blocks(n: int, size: int = 100_003) -> list[bytes]:
    return [bytes([i % 251]) * size + os.urandom(7) for i in range(n)]


def test_staged_bytes_and_digest_match_what_was_written(tmp_path):
    blocks = _blocks(24)
    with StagedFile(tmp_path, "t") as staged:
        for i, block in enumerate(blocks):
            if i % 2:  # both ways of writing: plain bytes, and buffers filled in place
                staged.write(block)
            else:
                buffer = staged.buffer(len(block) + 10)
                buffer[: len(block)] = block
                staged.commit(buffer, len(block))
        staged.finish()
        data = b"".join(blocks)
        assert staged.path.read_bytes() == data
        assert (staged.sha256, staged.bytes) == (hashlib.sha256(data).hexdigest(), len(data))
        assert staged.head == data[:HEAD_BYTES]
        path = staged.path
    assert not path.exists(), "a staged file is removed on exit"


def test_reset_starts_over(tmp_path):
    with StagedFile(tmp_path, "t") as staged:
        staged.write(b"partial download that failed")
        staged.reset()
        staged.write(b"ID;NOME\n")
        staged.finish()
        assert staged.path.read_bytes() == b"ID;NOME\n"
        assert staged.sha256 == hashlib.sha256(b"ID;NOME\n").hexdigest() and staged.head == b"ID;NOME\n"


def test_publishing_refuses_an_existing_key(tmp_path):
    storage = LocalStorage(tmp_path / "lake")
    for content in (b"first", b"second"):
        with StagedFile(storage.staging_dir(), "t") as staged:
            staged.write(content)
            staged.finish()
            if content == b"first":
                storage.put_new(staged.path, "raw/x/a.csv", sha256=staged.sha256)
            else:
                with pytest.raises(KeyExistsError, match="raw/x/a.csv is already landed"):
                    storage.put_new(staged.path, "raw/x/a.csv", sha256=staged.sha256)
    assert storage.read_bytes("raw/x/a.csv") == b"first"
    assert storage.list("") == ["raw/x/a.csv"], "staging leftovers are never listed"
    assert oct(storage.path("raw/x/a.csv").stat().st_mode & 0o777) == "0o644"


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="needs a second file system (/dev/shm)")
def test_a_copy_from_another_disk_is_verified(tmp_path):
    storage = LocalStorage(tmp_path / "lake")
    with tempfile.NamedTemporaryFile(dir="/dev/shm") as other_disk:
        other_disk.write(b"ID;NOME\n1;x\n")
        other_disk.flush()
        good = hashlib.sha256(b"ID;NOME\n1;x\n").hexdigest()
        with pytest.raises(OSError, match="has sha256 .*, expected 0000"):
            storage.put_new(Path(other_disk.name), "raw/x/b.csv", sha256="0" * 64)
        assert storage.list("raw") == [] and not list((tmp_path / "lake").rglob("*.part"))
        storage.put_new(Path(other_disk.name), "raw/x/b.csv", sha256=good)
    assert storage.read_bytes("raw/x/b.csv") == b"ID;NOME\n1;x\n"
