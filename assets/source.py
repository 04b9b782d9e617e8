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
class Layout:
    """One header a source has published, and how files with that header read.

    A landed file is matched to the layout whose ``columns`` equal its header (as a multiset,
    after trimming and ``parser.header_rename``). ``ignored`` columns are published and kept raw
    but never mapped to a curated column (``note`` says why). ``constants`` give a curated
    column a fixed value for every row of this layout (a SQL literal, e.g. ``"true"``).
    """

    name: str
    columns: tuple[str, ...]
    parser: ParserOptions = field(default_factory=ParserOptions)
    ignored: tuple[str, ...] = ()
    constants: tuple[tuple[str, str], ...] = ()
    note: str = ""

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "ignored", tuple(self.ignored))
        constants = self.constants.items() if isinstance(self.constants, dict) else self.constants
        object.__setattr__(self, "constants", tuple(tuple(p) for p in constants))

    def validated(self, asset: str | None) -> "Layout":
        if not re.match(r"^[a-z0-9_]+$", self.name):
            raise AssetDefinitionError(asset, f"layout name {self.name!r} is not snake_case", "Use [a-z0-9_].")
        if not self.columns:
            raise AssetDefinitionError(asset, f"layout {self.name!r} declares no columns", "Give the published header.")
        unknown = sorted(set(self.ignored) - set(self.columns))
        if unknown:
            raise AssetDefinitionError(
                asset, f"layout {self.name!r} ignores {', '.join(unknown)}, which its header does not have",
                "Ignore only published columns.")
        self.parser.validated(asset)
        return self


@dataclass(frozen=True, kw_only=True)
class CkanResource:
    """A resource of a CKAN package: by exact id, by a name pattern, or else the newest ``created``.

    With the source's ``selection="every"``, every resource matching ``name_pattern`` (and the
    formats) is landed, each once per content."""

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


SELECTIONS = ("newest", "every")
_PERIOD_GROUPS = ("year", "month", "day")


@dataclass(frozen=True, kw_only=True)
class Source:
    """A raw asset's origin. ``kind`` picks how it lands online; ``snapshot_file`` names the file
    in a snapshot folder (a relative path or glob pattern, or a tuple of them), used offline
    whatever the kind.

    ``selection`` is ``newest`` (one current file) or ``every`` (every matching resource or
    snapshot file: each year's file, each periodic snapshot). ``period_pattern`` finds the period
    a file covers in its name, with named groups ``year`` (and ``month``, ``day``): ``si-bol-2019``
    covers 2019, ``20250401_atividade...`` the day 2025-04-01. ``periodic_snapshot`` says each file
    is the whole dataset as of its period's day: the curated table keeps every snapshot.
    ``layouts`` are the headers the source has published; without them, ``parser`` and
    ``expected_columns`` make the one layout ``published``.
    """

    kind: str  # "ckan" | "ftp"
    name: str  # the source system, first level of raw/<source>/<dataset>/
    snapshot_file: str | tuple[str, ...]
    ckan: CkanResource | None = None
    ftp: FtpLocation | None = None
    parser: ParserOptions = field(default_factory=ParserOptions)
    schedule: str | None = None  # cron; monthly when None
    retention_days: int | None = None  # raw retention; the settings' default when None
    expected_columns: tuple[str, ...] = ()  # the header as published (after trimming)
    layouts: tuple[Layout, ...] = ()
    selection: str = "newest"
    period_pattern: str | None = None
    periodic_snapshot: bool = False
    max_bytes: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "expected_columns", tuple(self.expected_columns))
        object.__setattr__(self, "layouts", tuple(self.layouts))
        if isinstance(self.snapshot_file, (list, tuple)):
            object.__setattr__(self, "snapshot_file", tuple(self.snapshot_file))
        if self.layouts and self.parser == ParserOptions():
            # Code that needs one parser (the raw table's registration) reads the first layout's.
            object.__setattr__(self, "parser", self.layouts[0].parser)

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
        for pattern in self.snapshot_patterns or ("",):
            if not pattern or pattern.startswith("/") or ".." in pattern.split("/"):
                raise AssetDefinitionError(
                    asset,
                    f"snapshot_file {pattern!r} is not a relative path inside the snapshot folder",
                    "Give the path (or glob pattern) relative to the folder, e.g. 'pbh/si-bol-*.csv'.",
                )
        if self.selection not in SELECTIONS:
            raise AssetDefinitionError(asset, f"selection {self.selection!r} is unknown", f"Use one of {', '.join(SELECTIONS)}.")
        if self.period_pattern is not None:
            try:
                groups = set(re.compile(self.period_pattern).groupindex)
            except re.error as exc:
                raise AssetDefinitionError(asset, f"period_pattern {self.period_pattern!r} is not a regular expression ({exc})",
                                           "Fix the pattern.") from exc
            if "year" not in groups or not groups <= set(_PERIOD_GROUPS):
                raise AssetDefinitionError(asset, f"period_pattern {self.period_pattern!r} has groups {sorted(groups)}",
                                           "Name a group 'year' (and optionally 'month', 'day'), e.g. r'(?P<year>20\\d\\d)'.")
        if self.periodic_snapshot and self.period_pattern is None:
            raise AssetDefinitionError(asset, "a periodic snapshot source has no period_pattern",
                                       "Say where the snapshot's date is, e.g. r'^(?P<year>\\d{4})(?P<month>\\d\\d)(?P<day>\\d\\d)_'.")
        names = [layout.validated(asset).name for layout in self.layouts]
        if len(set(names)) != len(names):
            raise AssetDefinitionError(asset, f"layout names {names} repeat", "Name each layout once.")
        if self.layouts and self.expected_columns:
            raise AssetDefinitionError(asset, "the source declares both layouts and expected_columns",
                                       "Keep the header in the layouts only.")
        if self.retention_days is not None and self.retention_days < 1:
            raise AssetDefinitionError(
                asset, f"retention_days={self.retention_days} keeps nothing", "Use at least 1 day."
            )
        if self.ckan:
            self.ckan.validated(asset)
        self.parser.validated(asset)
        return self

    @property
    def snapshot_patterns(self) -> tuple[str, ...]:
        return self.snapshot_file if isinstance(self.snapshot_file, tuple) else (self.snapshot_file,)

    @property
    def file_name(self) -> str:
        return self.snapshot_patterns[0].rsplit("/", 1)[-1]

    @property
    def all_layouts(self) -> tuple[Layout, ...]:
        """The declared layouts, or the one ``published`` layout of ``parser``/``expected_columns``."""
        if self.layouts:
            return self.layouts
        return (Layout(name="published", columns=self.expected_columns, parser=self.parser),)

    def layout(self, name: str) -> Layout:
        found = next((layout for layout in self.all_layouts if layout.name == name), None)
        if found is None:
            raise KeyError(f"no layout {name!r}; the source declares {[l.name for l in self.all_layouts]}")
        return found

    @property
    def header(self) -> tuple[str, ...]:
        """The first layout's header: the raw table's columns."""
        return self.all_layouts[0].columns

    def period_of(self, name: str):
        """The Period a file or resource named ``name`` covers, from ``period_pattern``; None without one."""
        from assets.period import Period

        if self.period_pattern is None:
            return None
        match = re.search(self.period_pattern, name)
        if match is None:
            return None
        parts = match.groupdict()
        year = int(parts["year"])
        if parts.get("day"):
            from datetime import date

            return Period.day(date(year, int(parts["month"]), int(parts["day"])))
        if parts.get("month"):
            return Period.month(year, int(parts["month"]))
        return Period.year(year)
