"""A real FTP server (pyftpdlib) on 127.0.0.1, serving a folder, with a fault on demand:
drop the data connection mid-transfer (426) a given number of times, to prove resume.

Usage: ``with FtpServer(root, user="u", password="p") as ftp: ftp.drop_mid_transfer(times=1)``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import DTPHandler, FTPHandler
from pyftpdlib.log import logger
from pyftpdlib.servers import FTPServer


@dataclass
class FtpFaults:
    drops_left: int = 0
    after_bytes: int = 64 * 1024
    drops_done: int = 0
    commands: list = field(default_factory=list)  # (command, argument) as received; passwords masked
    lock: threading.Lock = field(default_factory=threading.Lock)

    def should_drop(self, sent: int) -> bool:
        with self.lock:
            if self.drops_left > 0 and sent >= self.after_bytes:
                self.drops_left -= 1
                self.drops_done += 1
                return True
        return False


class _FaultyDTP(DTPHandler):
    faults: FtpFaults

    def send(self, data):
        sent = super().send(data)
        if not self.receive and self.faults.should_drop(self.tot_bytes_sent):
            self._resp = ("426 Connection closed; transfer aborted.", logger.warning)
            self.close()
        return sent


class _RecordingHandler(FTPHandler):
    faults: FtpFaults

    def pre_process_command(self, line, cmd, arg):
        self.faults.commands.append((cmd, "***" if cmd == "PASS" else arg))
        return super().pre_process_command(line, cmd, arg)


class FtpServer:
    def __init__(self, root: Path, *, user: str, password: str, host: str = "127.0.0.1"):
        self.root = Path(root)
        self.faults = FtpFaults()
        authorizer = DummyAuthorizer()
        authorizer.add_user(user, password, str(self.root), perm="elr")
        dtp = type("FaultyDTP", (_FaultyDTP,), {"faults": self.faults})
        handler = type(
            "Handler", (_RecordingHandler,),
            {"authorizer": authorizer, "dtp_handler": dtp, "faults": self.faults, "use_sendfile": False,
             "banner": "bhnav test FTP",
             # pyftpdlib delays a failed login by 3 s against guessing; tests need the 530 now.
             "auth_failed_timeout": 0.05},
        )
        self._server = FTPServer((host, 0), handler)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self._server.address[0]

    @property
    def port(self) -> int:
        return self._server.address[1]

    def drop_mid_transfer(self, *, times: int = 1, after_bytes: int = 64 * 1024) -> None:
        with self.faults.lock:
            self.faults.drops_left = times
            self.faults.after_bytes = after_bytes

    def _loop(self) -> None:
        # pyftpdlib's loop is not thread-safe to stop from outside: poll a flag, close here.
        while not self._stop.is_set():
            self._server.ioloop.loop(timeout=0.05, blocking=False)
        self._server.close_all()

    def start(self) -> "FtpServer":
        self._thread = threading.Thread(target=self._loop, name="ftp-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> "FtpServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
