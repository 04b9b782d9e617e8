"""One writer per table: a lock object in the lake, taken by materialise, optimize and vacuum.

The lock is the key ``_locks/<table>.lock``, created only if absent (``Storage.create_new``: a
hard link of a whole file locally, a conditional put on S3), holding who took it, for what and
when. A second writer polls for ``settings.lock_wait_s``, then fails naming the holder. A lock
whose holder is a process of this host that no longer runs, or one older than
``settings.lock_stale_s``, was left by a killed writer and is taken over (logged).
Release deletes the key only if it still holds this writer's token.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from lake.settings import Settings
    from lake.storage import Storage

log = logging.getLogger("bhnav.locks")
POLL_S = 0.2


class LockHeldError(RuntimeError):
    """Another writer holds the table's lock and did not release it in time."""


def lock_key(table: str) -> str:
    return f"_locks/{table}.lock"


def holder_of(storage: "Storage", table: str) -> dict | None:
    """The lock's content (holder, action, since, token), or None when the table is not locked."""
    try:
        return json.loads(storage.read_bytes(lock_key(table)))
    except (FileNotFoundError, KeyError):
        return None
    except (OSError, ValueError):
        if not storage.exists(lock_key(table)):
            return None
        return {"holder": "unknown (unreadable lock)", "action": "?", "since": None, "token": None}


def _stale(current: dict, stale_s: float) -> bool:
    """Left by a writer that is gone: a process of this host no longer running, or older than ``stale_s``."""
    host, _, pid = str(current.get("holder") or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and not _running(int(pid)):
        return True
    try:
        since = datetime.fromisoformat(current["since"])
    except (KeyError, TypeError, ValueError):
        return False
    return datetime.now(timezone.utc) - since > timedelta(seconds=stale_s)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


@contextmanager
def table_lock(storage: "Storage", table: str, settings: "Settings", *, action: str,
               wait_s: float | None = None) -> Iterator[dict]:
    """Hold ``table``'s lock for ``action`` (materialize, optimize, vacuum) while the block runs."""
    wait_s = settings.lock_wait_s if wait_s is None else wait_s
    mine = {"holder": f"{socket.gethostname()}:{os.getpid()}", "action": action,
            "since": datetime.now(timezone.utc).isoformat(), "token": uuid.uuid4().hex}
    key = lock_key(table)
    give_up = time.monotonic() + wait_s
    while not storage.create_new(key, json.dumps(mine).encode()):
        current = holder_of(storage, table)
        if current is None:
            continue  # released meanwhile
        if _stale(current, settings.lock_stale_s):
            log.warning("Table %r: taking over the lock of %s (%s since %s): its writer is gone",
                        table, current.get("holder"), current.get("action"), current.get("since"))
            storage.delete(key)
            continue
        if time.monotonic() >= give_up:
            raise LockHeldError(
                f"Table {table!r}: {action} waited {wait_s:g}s for the lock held by {current.get('holder')} "
                f"({current.get('action')} since {current.get('since')}); let it finish and rerun, or, if that "
                f"process is gone, delete {key} from the lake")
        time.sleep(POLL_S)
    try:
        yield mine
    finally:
        current = holder_of(storage, table)
        if current is not None and current.get("token") == mine["token"]:
            storage.delete(key)
