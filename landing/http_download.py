"""Stream one HTTP(S) download into a staged file, with the standard library's http.client.

Why not requests here (it serves the JSON API calls): its body reads copy every chunk several
times on the way up, which halves throughput on a busy machine. ``readinto`` fills recycled
buffers in place, so bytes go from the socket to the disk without copies in Python. Redirects
are followed only to the hosts the limits declare; TLS certificates are verified (the default
context). The limits also cap the size, and bound the whole transfer by a deadline: a timer shuts
the socket when it passes, since a read that receives a byte now and then never times out.
"""

from __future__ import annotations

import http.client
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from landing.errors import LandingError
from landing.limits import DownloadLimits
from landing.staging import StagedFile

REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


class NotModified(Exception):
    """The server answered 304 to a conditional request."""


@dataclass(frozen=True)
class Downloaded:
    url: str  # after redirects
    etag: str | None
    last_modified: str | None
    content_type: str | None
    content_length: int | None


def _open(asset: str, url: str, headers: dict, timeout: float, limits: DownloadLimits | None, cut: "_Deadline"):
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise LandingError(asset, f"download url {url} is not http(s)")
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parts.hostname, parts.port, timeout=timeout)
        cut.watch(connection)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
        except TimeoutError:
            connection.close()
            raise LandingError(asset, f"timed out after {timeout:g}s waiting for {url}", retriable=True) from None
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            if cut.passed:
                raise limits.deadline_error(asset, 0, url) from None
            raise LandingError(asset, f"connection to {url} failed ({_reason(exc)})", retriable=True) from None
        location = response.getheader("Location")
        if response.status in REDIRECTS and location:
            response.close()
            connection.close()
            target_url = urljoin(url, location)
            if limits is not None:
                limits.check_host(asset, url, target_url)
            url = target_url
            continue
        return connection, response, url
    raise LandingError(asset, f"more than {MAX_REDIRECTS} redirects from {url}")


class _Deadline:
    """Shuts the socket of the connection being watched when the deadline passes."""

    def __init__(self, seconds: float | None):
        self.passed = False
        self._connection = None
        self._timer = threading.Timer(seconds, self._cut) if seconds is not None else None
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()

    def watch(self, connection) -> None:
        self._connection = connection

    def _cut(self) -> None:
        self.passed = True
        sock = getattr(self._connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def download(asset: str, url: str, headers: dict, staged: StagedFile, *, timeout: float, chunk: int,
             retriable_status: set[int], limits: DownloadLimits | None = None) -> Downloaded:
    """GET ``url`` into ``staged`` (from its start). LandingError on HTTP errors, cut bodies and
    broken limits, NotModified on 304; an OSError of the local disk propagates as is."""
    staged.reset()
    cut = _Deadline(limits.deadline_s if limits is not None else None)
    try:
        return _download(asset, url, headers, staged, timeout=timeout, chunk=chunk,
                         retriable_status=retriable_status, limits=limits, cut=cut)
    finally:
        cut.cancel()


def _download(asset, url, headers, staged, *, timeout, chunk, retriable_status, limits, cut) -> Downloaded:
    connection, response, final_url = _open(asset, url, headers, timeout, limits, cut)
    try:
        if response.status == 304:
            raise NotModified()
        if response.status >= 400:
            raise LandingError(asset, f"HTTP {response.status} {response.reason} from {final_url}".strip(),
                               retriable=response.status in retriable_status)
        encoding = (response.getheader("Content-Encoding") or "identity").lower()
        if encoding != "identity":
            raise LandingError(asset, f"{final_url} answered Content-Encoding {encoding} although identity was asked")
        length_header = response.getheader("Content-Length")
        length = int(length_header) if length_header and length_header.isdigit() else None
        if limits is not None and length is not None:
            limits.check_size(asset, length, final_url, announced=True)
        while True:
            buffer = staged.buffer(chunk)
            try:
                n = response.readinto(buffer)
            except (OSError, http.client.HTTPException) as exc:
                staged.release(buffer)
                if cut.passed:
                    raise limits.deadline_error(asset, staged.bytes, final_url) from None
                if isinstance(exc, TimeoutError):
                    raise LandingError(asset, f"timed out after {timeout:g}s mid-body, {staged.bytes} bytes into "
                                              f"{final_url}", retriable=True) from None
                raise LandingError(asset, f"connection dropped mid-body after {staged.bytes} bytes from {final_url} "
                                          f"({_reason(exc)})", retriable=True) from None
            if cut.passed:
                raise limits.deadline_error(asset, staged.bytes + (n or 0), final_url)
            if not n:
                staged.release(buffer)
                break
            staged.commit(buffer, n)
            if limits is not None:
                limits.check_size(asset, staged.bytes, final_url)
        if length is not None and staged.bytes != length:
            raise LandingError(asset, f"connection closed mid-body: received {staged.bytes} of {length} bytes "
                                      f"announced by Content-Length from {final_url}", retriable=True)
        return Downloaded(
            url=final_url, etag=response.getheader("ETag"), last_modified=response.getheader("Last-Modified"),
            content_type=response.getheader("Content-Type"), content_length=length,
        )
    finally:
        response.close()
        connection.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, http.client.IncompleteRead):
        return "stream cut short"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "server closed the connection without answering"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__
