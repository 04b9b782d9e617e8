"""Lake storage: a folder locally, an S3 bucket in AWS, behind one small interface.

Keys are ``/``-separated paths inside the lake (``raw/pbh/acidentes_raw/ingest_date=.../x.csv``).
Landed bytes are never overwritten: ``put_new`` refuses an existing key.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import BinaryIO

from lake.settings import Settings


class KeyExistsError(FileExistsError):
    """The key is already in the lake; landed bytes are never overwritten."""


class Storage(ABC):
    @classmethod
    def from_settings(cls, settings, **options):
        """The instance the environment mapping (lake.resources) builds from the settings."""
        return cls(settings, **options)

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def put_new(self, local_file: Path, key: str, *, sha256: str) -> None:
        """Publish a verified local file under a new key, atomically; KeyExistsError if taken."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO: ...

    @abstractmethod
    def read_bytes(self, key: str) -> bytes: ...

    @abstractmethod
    def write_bytes(self, key: str, data: bytes) -> None:
        """Write small metadata (manifests, state); replaces an existing key."""

    @abstractmethod
    def create_new(self, key: str, data: bytes) -> bool:
        """Write small bytes only if the key is absent, atomically (a lock); False when taken."""

    @abstractmethod
    def list(self, prefix: str) -> list[str]:
        """Every key under a prefix, sorted."""

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def size(self, key: str) -> int: ...

    def staging_dir(self) -> Path:
        """A local folder where files are assembled before ``put_new``. The default is the
        system's temporary folder; a local lake stages on its own disk so publishing is a link."""
        return Path(tempfile.gettempdir())


class LocalStorage(Storage):
    @classmethod
    def from_settings(cls, settings, **options):
        return cls(settings.lake_dir)

    def __init__(self, root: Path):
        self.root = Path(root).absolute()

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents and path != self.root.resolve():
            raise ValueError(f"key {key!r} escapes the lake")
        return path

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    def staging_dir(self) -> Path:
        # Hidden (leading dot): list() skips it, so half-written files are never seen as landed.
        folder = self.root / ".staging"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def put_new(self, local_file: Path, key: str, *, sha256: str) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        local_file = Path(local_file)
        if local_file.stat().st_dev == target.parent.stat().st_dev:
            # Same disk (a file staged in staging_dir()): a hard link publishes the very bytes
            # that were hashed while written, with no copy; os.link fails if the target exists,
            # an atomic "create only if absent".
            try:
                os.link(local_file, target)
            except FileExistsError:
                raise KeyExistsError(f"{key} is already landed; landed bytes are never overwritten") from None
            return
        tmp = target.with_name(f".{target.name}.part")
        try:
            copied = _copy_hashing(local_file, tmp)
            if copied != sha256:
                raise OSError(f"copy of {local_file.name} to {key} has sha256 {copied}, expected {sha256}")
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise KeyExistsError(f"{key} is already landed; landed bytes are never overwritten") from None
        finally:
            tmp.unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def read_bytes(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def write_bytes(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)

    def create_new(self, key: str, data: bytes) -> bool:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.link(tmp, target)  # whole bytes or nothing, and only if absent
            return True
        except FileExistsError:
            return False
        finally:
            Path(tmp).unlink(missing_ok=True)

    def list(self, prefix: str) -> list[str]:
        base = self.path(prefix) if prefix else self.root
        if not base.exists():
            return []
        if base.is_file():
            return [prefix]
        return sorted(
            p.relative_to(self.root).as_posix()
            for p in base.rglob("*")
            # Hidden names (staging, part files) anywhere in the path are not landed data.
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(self.root).parts)
        )

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size


def _copy_hashing(source: Path, target: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as dst:
        while block := src.read(chunk):
            digest.update(block)
            dst.write(block)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest()


def get_storage(settings: Settings) -> Storage:
    """The lake storage of the settings' environment (lake.resources)."""
    from lake.resources import resource

    return resource("storage", settings)
