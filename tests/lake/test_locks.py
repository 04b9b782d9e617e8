"""One writer per table: the lock object, a file locally and a conditional put on (moto's) S3."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from lake.locks import LockHeldError, holder_of, lock_key, table_lock


@pytest.fixture(params=[pytest.param("local", id="local-folder"),
                        pytest.param("s3", id="s3-conditional-put", marks=pytest.mark.slow)])
def lake(request, lake_env, monkeypatch):
    """(storage, settings) of a local lake or of the aws environment on moto's server."""
    from lake.settings import get_settings
    from lake.storage import get_storage

    monkeypatch.setenv("BHNAV_LOCK_WAIT", "0.4")
    if request.param == "s3":
        request.getfixturevalue("aws_env")
    settings = get_settings()
    return get_storage(settings), settings


def test_a_second_writer_waits_then_fails_naming_the_holder(lake):
    storage, settings = lake
    with table_lock(storage, "acidentes", settings, action="materialize") as held:
        with pytest.raises(LockHeldError, match=rf"Table 'acidentes': vacuum waited 0.4s for the lock held by "
                                                rf"{held['holder']} \(materialize since .*\); .*delete "
                                                rf"_locks/acidentes.lock"):
            with table_lock(storage, "acidentes", settings, action="vacuum"):
                pass
        assert holder_of(storage, "acidentes")["token"] == held["token"], "the holder keeps its lock"
    assert holder_of(storage, "acidentes") is None, "released on exit"


def test_the_lock_is_free_again_after_the_holder_fails(lake):
    storage, settings = lake
    with pytest.raises(RuntimeError, match="the build broke"):
        with table_lock(storage, "acidentes", settings, action="materialize"):
            raise RuntimeError("the build broke")
    with table_lock(storage, "acidentes", settings, action="optimize") as held:
        assert held["action"] == "optimize"


def test_locks_of_two_tables_do_not_block_each_other(lake):
    storage, settings = lake
    with table_lock(storage, "acidentes", settings, action="materialize"):
        with table_lock(storage, "parques", settings, action="materialize") as other:
            assert holder_of(storage, "parques")["token"] == other["token"]


def test_a_lock_left_by_a_killed_writer_is_taken_over_once_stale(lake, caplog):
    storage, settings = lake
    since = (datetime.now(timezone.utc) - timedelta(seconds=settings.lock_stale_s + 60)).isoformat()
    dead = {"holder": "gone-host:4242", "action": "materialize", "since": since, "token": "dead"}
    assert storage.create_new(lock_key("acidentes"), json.dumps(dead).encode())
    with table_lock(storage, "acidentes", settings, action="materialize") as held:
        assert holder_of(storage, "acidentes")["token"] == held["token"]
    assert any("taking over the lock of gone-host:4242" in r.getMessage() for r in caplog.records)


def test_create_new_lets_only_one_writer_win(lake):
    storage, _ = lake
    assert storage.create_new("_locks/x.lock", b"first")
    assert not storage.create_new("_locks/x.lock", b"second")
    assert storage.read_bytes("_locks/x.lock") == b"first"


def test_a_lock_of_a_process_of_this_host_that_is_gone_is_taken_over_at_once(lake, caplog):
    import socket
    import subprocess
    import sys

    storage, settings = lake
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    holder = f"{socket.gethostname()}:{int(gone.stdout)}"
    now = datetime.now(timezone.utc).isoformat()
    assert storage.create_new(lock_key("acidentes"), json.dumps(
        {"holder": holder, "action": "materialize", "since": now, "token": "killed"}).encode())
    with table_lock(storage, "acidentes", settings, action="materialize", wait_s=0) as held:
        assert holder_of(storage, "acidentes")["token"] == held["token"]
    assert any(f"taking over the lock of {holder}" in r.getMessage() for r in caplog.records)
