"""FTP: passive mode, retry with resume (REST) of an interrupted transfer.

Credentials come from the secrets resource (lake.secrets), never from code, arguments or logs:
errors name the secret and the server, never the user's password.
"""

from __future__ import annotations

import ftplib

from assets.asset import Asset
from landing.errors import LandingError
from landing.manifests import Manifest
from landing.names import safe_file_name
from landing.retry import with_retries
from landing.sources.base import Fetched, LandingSource, Resource, Unchanged
from landing.staging import StagedFile
from lake.secrets import SecretError, get_secret
from lake.settings import Settings

class _StagingFailed(Exception):
    """Writing the staged file failed: a local problem (disk full), not a network one to retry."""

    def __init__(self, error: OSError):
        self.error = error


class FtpSource(LandingSource):
    kind = "ftp"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.chunk = settings.landing_chunk_kb * 1024

    def _credentials(self, asset: Asset) -> tuple[str, str]:
        location = asset.source.ftp
        # A logical name; the secrets resource maps it to its store (an environment variable
        # locally, a Secrets Manager id in AWS). A source with its own mapping uses its name.
        name = location.secret or (asset.source.name if asset.source.name in self.settings.secret_ids else "ftp")
        try:
            secret = get_secret(name, self.settings)
        except SecretError as exc:
            raise LandingError(asset.name, f"FTP credentials: {exc}") from None
        user = secret.get("username") or secret.get("user")
        if not user:
            raise LandingError(asset.name, f"FTP credentials: secret {name!r} has no 'username'")
        return user, secret.get("password") or ""

    def fetch(self, asset: Asset, previous: Manifest | None, staged: StagedFile,
              resource: Resource | None = None) -> Fetched | Unchanged:
        location = asset.source.ftp
        path = location.path if location.path.startswith("/") else f"/{location.path}"
        url = f"ftp://{location.host}:{location.port}{path}"
        user, password = self._credentials(asset)
        facts: dict = {}
        staged.reset()

        def write(block: bytes) -> None:
            try:
                staged.write(block)
            except OSError as exc:
                raise _StagingFailed(exc) from None

        def attempt(_: int):
            ftp = self._login(asset, location, user, password, url)
            try:
                if not facts:
                    facts["size"] = ftp.size(path)
                    facts["mdtm"] = _mdtm(ftp, path)
                    if (previous is not None and previous.source_url == url and facts["mdtm"]
                            and previous.last_modified == facts["mdtm"] and previous.bytes == facts["size"]):
                        return Unchanged(reason=f"not modified since the last landing (MDTM {facts['mdtm']})",
                                         source_url=url)
                # Resume where the last attempt stopped: REST with the bytes already staged.
                rest = staged.bytes or None
                ftp.retrbinary(f"RETR {path}", write, blocksize=self.chunk, rest=rest)
                ftp.quit()
            except _StagingFailed as exc:
                raise exc.error from None
            except ftplib.error_perm as exc:
                raise LandingError(asset.name, f"FTP server refused {path}: {_one_line(exc)}") from None
            except (ftplib.error_temp, ftplib.error_reply, ftplib.error_proto, EOFError, OSError) as exc:
                raise LandingError(asset.name, f"FTP transfer of {url} interrupted after {staged.bytes} bytes "
                                               f"({_one_line(exc)})", retriable=True) from None
            finally:
                ftp.close()
            size = facts.get("size")
            if size is not None and staged.bytes < size:
                raise LandingError(asset.name, f"FTP transfer of {url} ended after {staged.bytes} of {size} bytes",
                                   retriable=True)
            return None

        unchanged = with_retries(self.settings, attempt)
        if unchanged is not None:
            return unchanged
        return Fetched(
            file_name=safe_file_name(asset.name, path.rsplit("/", 1)[-1]),
            source_url=url, last_modified=facts.get("mdtm"), expected_bytes=facts.get("size"),
        )

    def _login(self, asset: Asset, location, user: str, password: str, url: str) -> ftplib.FTP:
        ftp = ftplib.FTP(timeout=self.settings.http_timeout_s)
        try:
            ftp.connect(location.host, location.port)
            ftp.login(user, password)
            ftp.set_pasv(self.settings.ftp_passive)
            ftp.voidcmd("TYPE I")  # binary: SIZE and REST count bytes
            return ftp
        except ftplib.error_perm as exc:
            ftp.close()
            if str(exc).startswith("530"):
                raise LandingError(asset.name, f"FTP login to {url} refused (530): check the credentials' secret") from None
            raise LandingError(asset.name, f"FTP server {url} refused the session: {_one_line(exc)}") from None
        except (ftplib.Error, EOFError, OSError) as exc:
            ftp.close()
            raise LandingError(asset.name, f"cannot reach FTP server {url} ({_one_line(exc)})", retriable=True) from None


def _mdtm(ftp: ftplib.FTP, path: str) -> str | None:
    try:
        reply = ftp.sendcmd(f"MDTM {path}")
    except ftplib.error_perm:
        return None  # MDTM is optional in FTP
    return reply[4:].strip() if reply.startswith("213") else None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
