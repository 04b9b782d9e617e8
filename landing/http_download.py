"""Stream one HTTP(S) download into a staged file, with the standard library's http.client.

Why not requests here (it serves the JSON API calls): its body reads copy every chunk several
times on the way up, which halves throughput on a busy machine. ``readinto`` fills recycled
buffers in place, so bytes go from the socket to the disk without copies in Python. Redirects
are followed; TLS certificates are verified (the default context).
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from landing.errors import LandingError
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


def _open(asset: str, url: str, headers: dict, timeout: float):
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise LandingError(asset, f"download url {url} is not http(s)")
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parts.hostname, parts.port, timeout=timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
        except TimeoutError:
            connection.close()
            raise LandingError(asset, f"timed out after {timeout:g}s waiting for {url}", retriable=True) from None
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise LandingError(asset, f"connection to {url} failed ({_reason(exc)})", retriable=True) from None
        location = response.getheader("Location")
        if response.status in REDIRECTS and location:
            response.close()
            connection.close()
            url = urljoin(url, location)
            continue
        return connection, response, url
    raise LandingError(asset, f"more than {MAX_REDIRECTS} redirects from {url}")


def download(asset: str, url: str, headers: dict, staged: StagedFile, *, timeout: float, chunk: int,
             retriable_status: set[int]) -> Downloaded:
    """GET ``url`` into ``staged`` (from its start). LandingError on HTTP errors and cut bodies,
    NotModified on 304; an OSError of the local disk propagates as is."""
    staged.reset()
    connection, response, final_url = _open(asset, url, headers, timeout)
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
        while True:
            buffer = staged.buffer(chunk)
            try:
                n = response.readinto(buffer)
            except TimeoutError:
                staged.release(buffer)
                raise LandingError(asset, f"timed out after {timeout:g}s mid-body, {staged.bytes} bytes into {final_url}",
                                   retriable=True) from None
            except (OSError, http.client.HTTPException) as exc:
                staged.release(buffer)
                raise LandingError(asset, f"connection dropped mid-body after {staged.bytes} bytes from {final_url} "
                                          f"({_reason(exc)})", retriable=True) from None
            if not n:
                staged.release(buffer)
                break
            staged.commit(buffer, n)
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
