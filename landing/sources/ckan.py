"""CKAN (the city's portal): package_show, pick the resource, stream its download.

The API calls go through requests; the download through landing.http_download (its reasons).

Skips without downloading when the resource's ``hash`` (or, lacking one, ``last_modified``)
matches the previous landing, or when the server answers 304 to a conditional request.
"""

from __future__ import annotations

import re

from assets.asset import Asset
from landing.errors import LandingError
from landing.http_download import NotModified, download
from landing.manifests import Manifest
from landing.names import file_name_from_url
from landing.retry import with_retries
from landing.sources.base import Fetched, LandingSource, Resource, Unchanged
from landing.staging import StagedFile
from lake.settings import Settings

RETRIABLE_STATUS = {429, 500, 502, 503, 504}


class CkanSource(LandingSource):
    kind = "ckan"

    def __init__(self, settings: Settings):
        import requests

        self.settings = settings
        self.chunk = settings.landing_chunk_kb * 1024
        self.session = requests.Session()
        # The portal answers 403 to clients that do not look like a browser. ``identity``: we
        # land the bytes as published, and Content-Length then counts exactly those bytes.
        self.session.headers.update({"User-Agent": settings.user_agent, "Accept-Encoding": "identity"})

    # --- package_show and the choice of resource

    def package(self, asset: Asset) -> dict:
        package = asset.source.ckan.package
        url = f"{self.settings.ckan_url}/api/3/action/package_show"

        def attempt(_: int) -> dict:
            response = self._get(asset, url, params={"id": package})
            with response:
                if response.status_code in RETRIABLE_STATUS:
                    raise _status_error(asset, response, f"package_show?id={package}", retriable=True)
                try:
                    body = response.json()
                except ValueError:
                    if response.status_code >= 400:
                        raise _status_error(asset, response, f"package_show?id={package}") from None
                    raise LandingError(asset.name, f"package_show?id={package} did not answer JSON") from None
            if not isinstance(body, dict) or not body.get("success"):
                error = body.get("error") if isinstance(body, dict) else None
                message = error.get("message") if isinstance(error, dict) else error
                raise LandingError(
                    asset.name, f"CKAN package_show for {package!r} failed (success: false): {message or 'no reason given'}"
                )
            if not isinstance(body.get("result"), dict):
                raise LandingError(asset.name, f"CKAN package_show for {package!r} answered no package")
            return body["result"]

        return with_retries(self.settings, attempt)

    def resources(self, asset: Asset) -> list[Resource]:
        """The package's resources the selector matches: every one (``selection="every"``,
        oldest first) or the newest."""
        chosen = self.choose_resources(asset, self.package(asset))
        return [Resource(key=r.get("id") or r.get("url") or "", name=r.get("name") or "", detail=r) for r in chosen]

    def choose_resource(self, asset: Asset, package: dict) -> dict:
        return self.choose_resources(asset, package)[-1]

    def choose_resources(self, asset: Asset, package: dict) -> list[dict]:
        selector = asset.source.ckan
        resources = [r for r in package.get("resources") or [] if isinstance(r, dict)]
        if selector.resource_id:
            for resource in resources:
                if resource.get("id") == selector.resource_id and asset.source.selection == "newest":
                    return [resource]
            if selector.name_pattern is None:
                raise LandingError(asset.name, f"CKAN package {selector.package!r} has no resource {selector.resource_id}")
            # The portal republishes under new ids; the declared pattern still finds the file.
        candidates = [r for r in resources if (r.get("format") or "").upper() in selector.formats]
        if selector.name_pattern:
            pattern = re.compile(selector.name_pattern)
            candidates = [r for r in candidates if pattern.search(r.get("name") or "")]
        if not candidates:
            wanted = f"name matching {selector.name_pattern!r} and " if selector.name_pattern else ""
            raise LandingError(
                asset.name,
                f"CKAN package {selector.package!r} has no resource with {wanted}format {'/'.join(selector.formats)}",
            )
        ordered = sorted(candidates, key=lambda r: (r.get("created") or "", r.get("name") or ""))
        return ordered if asset.source.selection == "every" else ordered[-1:]

    # --- the download

    def fetch(self, asset: Asset, previous: Manifest | None, staged: StagedFile,
              chosen: Resource | None = None) -> Fetched | Unchanged:
        resource = chosen.detail if chosen is not None else self.choose_resource(asset, self.package(asset))
        url = resource.get("url")
        if not url:
            raise LandingError(asset.name, f"CKAN resource {resource.get('id')} has no download url")
        ckan_hash = resource.get("hash") or None
        ckan_modified = resource.get("last_modified") or None
        same_resource = previous is not None and previous.resource_id == resource.get("id")
        if same_resource and ckan_hash and previous.ckan_hash == ckan_hash:
            return Unchanged(reason=f"unchanged at the source (CKAN hash {ckan_hash})", source_url=url)
        if same_resource and not ckan_hash and ckan_modified and previous.ckan_last_modified == ckan_modified:
            return Unchanged(reason=f"unchanged at the source (CKAN last_modified {ckan_modified})", source_url=url)
        file_name = file_name_from_url(asset.name, url, fallback=resource.get("name") or asset.name)
        conditional = {}
        if previous is not None and previous.source_url == url:
            if previous.etag:
                conditional["If-None-Match"] = previous.etag
            if previous.last_modified:
                conditional["If-Modified-Since"] = previous.last_modified
        headers = {"User-Agent": self.settings.user_agent, "Accept-Encoding": "identity", **conditional}
        try:
            got = with_retries(self.settings, lambda _: download(
                asset.name, url, headers, staged, timeout=self.settings.http_timeout_s, chunk=self.chunk,
                retriable_status=RETRIABLE_STATUS,
            ))
        except NotModified:
            return Unchanged(reason="not modified since the last landing (HTTP 304)", source_url=url)
        return Fetched(
            file_name=file_name, source_url=url, resource_id=resource.get("id"),
            etag=got.etag, last_modified=got.last_modified,
            ckan_last_modified=ckan_modified, ckan_hash=ckan_hash,
            content_type=got.content_type, expected_bytes=got.content_length,
        )

    def _get(self, asset: Asset, url: str, **kwargs):
        import requests

        timeout = self.settings.http_timeout_s
        try:
            return self.session.get(url, timeout=(timeout, timeout), **kwargs)
        except requests.Timeout:
            raise LandingError(asset.name, f"timed out after {timeout:g}s waiting for {url}", retriable=True) from None
        except requests.RequestException as exc:
            raise LandingError(asset.name, f"connection to {url} failed ({_short(exc)})", retriable=True) from None


def _status_error(asset: Asset, response, what: str, *, retriable: bool = False) -> LandingError:
    return LandingError(asset.name, f"HTTP {response.status_code} {response.reason or ''} from {what}".replace("  ", " "),
                        retriable=retriable)


_REASONS = (
    ("IncompleteRead", "stream cut short"),
    ("reset by peer", "connection reset by the server"),
    ("timed out", "read timed out"),
    ("Connection refused", "connection refused"),
    ("Name or service not known", "unknown host"),
    ("RemoteDisconnected", "server closed the connection without answering"),
)


def _short(exc: BaseException) -> str:
    """A reason people can read; urllib3 nests it deep in a repr of reprs."""
    text = str(exc)
    for needle, reason in _REASONS:
        if needle in text:
            return reason
    return type(exc).__name__
