"""A real local HTTP server that speaks CKAN's ``package_show`` and serves resource files.

Files are served with ETag and Last-Modified and answer conditional GETs with 304, like the
portal. Requests without a browser-like User-Agent get 403, as the city's portal does. Faults
are set on demand for the API or one resource (``server.fault(target, Fault(...))``): a status
code, a delay (for timeouts), a connection dropped mid-body, a body shorter than its
Content-Length, an HTML page served with 200, ``success: false``, half a body sent without any
length and closed cleanly (``unsized``), or the body trickled one byte per ``seconds`` (``trickle``).

Usage: ``with CkanServer() as server: server.add_resource("pkg", name="x.csv", content=b"...")``.
"""

from __future__ import annotations

import hashlib
import json
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlparse

HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html lang=\"pt-BR\"><head><title>Erro - Portal de Dados Abertos</title></head>"
    b"<body><h1>Ops! Algo deu errado.</h1><p>Tente novamente mais tarde.</p></body></html>\n"
)
FAULT_KINDS = ("status", "delay", "drop", "short", "html", "success_false", "unsized", "trickle")


@dataclass
class Fault:
    """One misbehaviour. ``times``: how many requests it hits (None: every one)."""

    kind: str
    status: int = 500
    seconds: float = 0.0
    times: int | None = None

    def __post_init__(self):
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind {self.kind!r}; use one of {FAULT_KINDS}")


@dataclass
class ServedFile:
    path: Path | None
    content: bytes | None
    etag: str
    last_modified: float  # epoch seconds
    content_type: str

    @property
    def size(self) -> int:
        return len(self.content) if self.content is not None else self.path.stat().st_size


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    status: int = 0


@dataclass
class CkanState:
    packages: dict = field(default_factory=dict)  # package id or name -> package dict
    files: dict = field(default_factory=dict)  # url path -> ServedFile
    faults: dict = field(default_factory=dict)  # "api" or resource id -> [Fault]
    redirects: dict = field(default_factory=dict)  # url path -> the url it redirects to
    requests: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_fault(self, target: str) -> Fault | None:
        with self.lock:
            faults = self.faults.get(target) or []
            for fault in faults:
                if fault.times is None:
                    return fault
                if fault.times > 0:
                    fault.times -= 1
                    return fault
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: CkanState  # set on the per-server subclass

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        record = Request("GET", self.path, dict(self.headers))
        self.state.requests.append(record)
        if "Mozilla" not in (self.headers.get("User-Agent") or ""):
            return self._send(record, 403, b"Forbidden", "text/plain")
        url = urlparse(self.path)
        if url.path.rstrip("/").endswith("/api/3/action/package_show"):
            return self._package_show(record, parse_qs(url.query).get("id", [""])[0])
        if url.path in self.state.redirects:
            record.status = 302
            self.send_response(302)
            self.send_header("Location", self.state.redirects[url.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        served = self.state.files.get(unquote(url.path))
        if served is None:
            return self._send(record, 404, b"Not Found", "text/plain")
        resource_id = url.path.split("/resource/")[1].split("/")[0] if "/resource/" in url.path else ""
        return self._file(record, served, self.state.take_fault(resource_id))

    def _package_show(self, record: Request, package_id: str):
        fault = self.state.take_fault("api")
        if fault and self._generic_fault(record, fault):
            return
        if fault and fault.kind == "success_false":
            body = {"success": False, "error": {"message": "Erro interno do portal", "__type": "Internal Error"}}
            return self._json(record, 200, body)
        package = self.state.packages.get(package_id)
        if package is None:
            return self._json(record, 404, {"success": False, "error": {"message": "Not found", "__type": "Not Found Error"}})
        return self._json(record, 200, {"success": True, "result": package})

    def _generic_fault(self, record: Request, fault: Fault) -> bool:
        if fault.kind == "status":
            self._send(record, fault.status, f"fault {fault.status}".encode(), "text/plain")
            return True
        if fault.kind == "delay":
            time.sleep(fault.seconds)
            return False  # then answer normally, too late for a short timeout
        if fault.kind == "html":
            self._send(record, 200, HTML_ERROR_PAGE, "text/html; charset=utf-8")
            return True
        return False

    def _file(self, record: Request, served: ServedFile, fault: Fault | None):
        if fault and self._generic_fault(record, fault):
            return
        if self._not_modified(served):
            record.status = 304
            self.send_response(304)
            self.send_header("ETag", served.etag)
            self.end_headers()
            return
        record.status = 200
        self.send_response(200)
        self.send_header("Content-Type", served.content_type)
        self.send_header("ETag", served.etag)
        self.send_header("Last-Modified", formatdate(served.last_modified, usegmt=True))
        if fault and fault.kind == "drop":
            # A streamed (chunked) answer, as the portal's datastore dumps are, cut in the middle
            # of a chunk with a reset: the client has no Content-Length to compare against.
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            body = self._read(served)
            self.wfile.write(b"%x\r\n" % len(body) + body[: len(body) // 2])
            self.wfile.flush()
            time.sleep(0.2)  # let the client read the headers and the first bytes
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if fault and fault.kind == "unsized":
            # No Content-Length, no chunks: the body ends when the server closes, after half of it.
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(self._read(served)[: max(1, served.size // 2)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_header("Content-Length", str(served.size))
        self.end_headers()
        if fault and fault.kind == "trickle":
            for byte in self._read(served):  # until the client gives up (a broken pipe ends it)
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(fault.seconds)
            return
        if fault and fault.kind == "short":
            # Content-Length announces the whole file; half of it comes, then a clean close.
            self.wfile.write(self._read(served)[: max(1, served.size // 2)])
            self.wfile.flush()
            self.close_connection = True
            return
        if served.content is not None:
            self.wfile.write(served.content)
        else:
            self.wfile.flush()
            with open(served.path, "rb") as f:
                self.connection.sendfile(f)

    def _not_modified(self, served: ServedFile) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return served.etag in [t.strip() for t in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(served.last_modified) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    @staticmethod
    def _read(served: ServedFile) -> bytes:
        return served.content if served.content is not None else served.path.read_bytes()

    def _json(self, record: Request, status: int, body: dict):
        self._send(record, status, json.dumps(body).encode(), "application/json;charset=utf-8")

    def _send(self, record: Request, status: int, body: bytes, content_type: str):
        record.status = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (timeout) or a fault that cut the line: expected here.
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class CkanServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.state = CkanState()
        handler = type("CkanHandler", (_Handler,), {"state": self.state})
        self._server = _QuietServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "CkanServer":
        self._thread = threading.Thread(target=self._server.serve_forever, name="ckan-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "CkanServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- content

    @property
    def requests(self) -> list[Request]:
        return self.state.requests

    def add_package(self, package: str, *, name: str | None = None) -> dict:
        entry = self.state.packages.get(package)
        if entry is None:
            entry = {"id": package, "name": name or package, "resources": []}
            self.state.packages[package] = entry
            if name:
                self.state.packages[name] = entry
        return entry

    def add_resource(
        self,
        package: str,
        *,
        name: str,
        path: Path | None = None,
        content: bytes | None = None,
        resource_id: str | None = None,
        format: str = "CSV",
        created: str = "2025-01-01T00:00:00.000000",
        file_name: str | None = None,
        last_modified: float | None = None,
        ckan_hash: str | None = "md5",
        content_type: str = "text/csv",
    ) -> dict:
        """Publish a file as a resource of a package; returns the resource dict (mutable: tests
        may change ``hash``/``last_modified`` to simulate a republished file)."""
        if (path is None) == (content is None):
            raise ValueError("give the file as path= or content=")
        resource_id = resource_id or str(uuid.uuid4())
        file_name = file_name or name
        url_path = f"/dataset/{package}/resource/{resource_id}/download/{file_name}"
        digest = _md5(path, content)
        self.state.files[url_path] = ServedFile(
            path=Path(path) if path else None, content=content, etag=f'"{digest}"',
            last_modified=last_modified if last_modified is not None else (Path(path).stat().st_mtime if path else time.time()),
            content_type=content_type,
        )
        resource = {
            "id": resource_id, "package_id": package, "name": name, "format": format,
            "url": f"{self.url}/dataset/{package}/resource/{resource_id}/download/{quote(file_name, safe='')}",
            "created": created, "last_modified": created, "hash": digest if ckan_hash == "md5" else ckan_hash,
            "mimetype": content_type, "size": len(content) if content is not None else Path(path).stat().st_size,
            "state": "active",
        }
        self.add_package(package)["resources"].append(resource)
        return resource

    def replace_file(self, resource: dict, *, content: bytes, ckan_hash: str | None = "md5",
                     etag: str | None = None) -> None:
        """The publisher uploads new bytes under the same resource (same URL); ``etag`` overrides
        the content's (a server that re-stamps an identical upload)."""
        url_path = unquote(urlparse(resource["url"]).path)
        served = self.state.files[url_path]
        served.path, served.content = None, content
        digest = _md5(None, content)
        served.etag = etag or f'"{digest}"'
        served.last_modified = time.time() + 1
        resource["hash"] = digest if ckan_hash == "md5" else ckan_hash
        resource["size"] = len(content)
        resource["last_modified"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(served.last_modified))

    def redirect(self, resource: dict, *, to_host: str | None = None) -> str:
        """Publish the resource under a URL that answers 302 to its file (as the portal's
        dados.pbh.gov.br links lead to ckan.pbh.gov.br); returns the new URL. ``to_host``: the
        302 names this host instead of the server's (``localhost`` reaches the same server)."""
        path = f"/redirect/{resource['id']}"
        target = resource["url"]
        if to_host:
            parts = urlparse(target)
            target = parts._replace(netloc=f"{to_host}:{parts.port}").geturl()
        self.state.redirects[path] = target
        resource["url"] = f"{self.url}{path}/{resource['url'].rsplit('/', 1)[-1]}"
        self.state.redirects[urlparse(resource["url"]).path] = self.state.redirects.pop(path)
        return resource["url"]

    def fault(self, target: str, fault: Fault) -> Fault:
        """Misbehave on ``"api"`` (package_show) or on a resource id's download."""
        self.state.faults.setdefault(target, []).append(fault)
        return fault

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def serve_assets(self, assets, snapshot_dir: Path) -> dict[str, dict]:
        """Publish each raw CKAN asset's snapshot files as resources its declaration selects; returns
        the last published resource of each asset (``published_all`` keeps every one)."""
        from landing.sources.snapshot import snapshot_files

        published = {}
        self.published_all: dict[str, list[tuple[dict, Path]]] = {}
        for asset in assets:
            selector = asset.source.ckan
            if selector is None:
                continue
            for path in snapshot_files(Path(snapshot_dir), asset).values():
                published[asset.name] = self.add_resource(
                    selector.package, name=path.name, path=path, resource_id=selector.resource_id,
                    format=selector.formats[0],
                    content_type="application/geo+json" if path.suffix == ".geojson" else "text/csv",
                )
                self.published_all.setdefault(asset.name, []).append((published[asset.name], path))
        return published


def _md5(path: Path | None, content: bytes | None) -> str:
    digest = hashlib.md5()
    if content is not None:
        digest.update(content)
    else:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()
