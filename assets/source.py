"""Where a raw asset comes from and how its bytes are to be read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assets.errors import AssetDefinitionError

ENCODINGS = ("utf-8", "utf-8-sig", "iso-8859-1", "windows-1252", "bom+iso-8859-1", "mixed-cp1252-utf8")
FORMATS = ("csv", "geojson")


@dataclass(frozen=True, kw_only=True)
class ParserOptions:
    """How the raw bytes decode and split. ``encoding`` names the quirk, not a guess.

    ``bom+iso-8859-1`` is a UTF-8 BOM followed by Latin-1 bytes; ``mixed-cp1252-utf8`` is a
    file whose lines mix Windows-1252 and UTF-8 (each line decoded as UTF-8 first, else cp1252).
    """

    format: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ";"
    decimal_comma: bool = False
    header_padded: bool = False  # header names carry leading/trailing spaces
    values_padded: bool = False
    quote: str = '"'
    line_terminator: str = "\n"  # "\r\n" where the file uses CRLF
    header_rename: tuple[tuple[str, str], ...] = ()  # declared renames: (old, new)

    def __post_init__(self):
        object.__setattr__(self, "header_rename", tuple(tuple(p) for p in self.header_rename))

    def validated(self, asset: str | None) -> "ParserOptions":
        if self.format not in FORMATS:
            raise AssetDefinitionError(asset, f"format {self.format!r} is unknown", f"Use one of {', '.join(FORMATS)}.")
        if self.encoding not in ENCODINGS:
            raise AssetDefinitionError(
                asset, f"encoding {self.encoding!r} is not one we decode deliberately", f"Use one of {', '.join(ENCODINGS)}."
            )
        if len(self.delimiter) != 1:
            raise AssetDefinitionError(asset, f"delimiter {self.delimiter!r} is not one character", "Use ';' or ','.")
        return self

    @property
    def python_encoding(self) -> str:
        """The codec for a file that is valid in one encoding (the lenient reading of the mixed ones)."""
        return {"bom+iso-8859-1": "iso-8859-1", "mixed-cp1252-utf8": "windows-1252"}.get(self.encoding, self.encoding)


@dataclass(frozen=True, kw_only=True)
class CkanResource:
    """A resource of a CKAN package: by exact id, by a name pattern, or else the newest ``created``."""

    package: str
    resource_id: str | None = None
    name_pattern: str | None = None
    formats: tuple[str, ...] = ("CSV",)

    def __post_init__(self):
        object.__setattr__(self, "formats", tuple(f.upper() for f in self.formats))

    def validated(self, asset: str | None) -> "CkanResource":
        if not self.package:
            raise AssetDefinitionError(asset, "the CKAN source has no package", "Give the package name or id.")
        if self.name_pattern is not None:
            try:
                re.compile(self.name_pattern)
            except re.error as exc:
                raise AssetDefinitionError(
                    asset, f"name_pattern {self.name_pattern!r} is not a regular expression ({exc})", "Fix the pattern."
                ) from exc
        return self


@dataclass(frozen=True, kw_only=True)
class FtpLocation:
    """A file on an FTP server. Credentials come from the environment or the secrets resource."""

    host: str
    path: str
    port: int = 21
    secret: str | None = None  # key of the secret holding {"username": ..., "password": ...}


@dataclass(frozen=True, kw_only=True)
class Source:
    """A raw asset's origin. ``kind`` picks how it lands online; ``snapshot_file`` names the file
    in a snapshot folder (relative path), used offline whatever the kind."""

    kind: str  # "ckan" | "ftp"
    name: str  # the source system, first level of raw/<source>/<dataset>/
    snapshot_file: str
    ckan: CkanResource | None = None
    ftp: FtpLocation | None = None
    parser: ParserOptions = field(default_factory=ParserOptions)
    schedule: str | None = None  # cron; monthly when None
    retention_days: int | None = None  # raw retention; the settings' default when None
    expected_columns: tuple[str, ...] = ()  # the header as published (after trimming)
    max_mb: float | None = None  # the largest download accepted; the settings' default when None
    hosts: tuple[str, ...] = ()  # hosts a download may be redirected to, besides the URL's own

    def __post_init__(self):
        object.__setattr__(self, "expected_columns", tuple(self.expected_columns))
        object.__setattr__(self, "hosts", tuple(h.lower() for h in self.hosts))

    def validated(self, asset: str | None) -> "Source":
        if self.kind not in ("ckan", "ftp"):
            raise AssetDefinitionError(asset, f"source kind {self.kind!r} is unknown", "Use 'ckan' or 'ftp'.")
        if self.kind == "ckan" and self.ckan is None:
            raise AssetDefinitionError(asset, "a ckan source has no CkanResource", "Pass ckan=CkanResource(...).")
        if self.kind == "ftp" and self.ftp is None:
            raise AssetDefinitionError(asset, "an ftp source has no FtpLocation", "Pass ftp=FtpLocation(...).")
        if not re.match(r"^[a-z0-9_]+$", self.name):
            raise AssetDefinitionError(
                asset, f"source name {self.name!r} is not a folder-safe name", "Use lower-case letters, digits, '_'."
            )
        if not self.snapshot_file or self.snapshot_file.startswith("/") or ".." in self.snapshot_file.split("/"):
            raise AssetDefinitionError(
                asset,
                f"snapshot_file {self.snapshot_file!r} is not a relative path inside the snapshot folder",
                "Give the path relative to the folder, e.g. 'pbh/si-bol-2019.csv'.",
            )
        if self.retention_days is not None and self.retention_days < 1:
            raise AssetDefinitionError(
                asset, f"retention_days={self.retention_days} keeps nothing", "Use at least 1 day."
            )
        if self.max_mb is not None and self.max_mb <= 0:
            raise AssetDefinitionError(asset, f"max_mb={self.max_mb} accepts no file", "Use a positive size in MB.")
        if self.ckan:
            self.ckan.validated(asset)
        self.parser.validated(asset)
        return self

    @property
    def file_name(self) -> str:
        return self.snapshot_file.rsplit("/", 1)[-1]
