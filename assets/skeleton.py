"""Writes the skeleton declaration of a new asset (``bhnav assets new``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from assets.graph import AssetGraph
from assets.names import check_name, unique_snake_names

_RAW = '''"""{description}"""

from assets.declare import raw_asset
from assets.source import CkanResource, ParserOptions, Source

{const} = raw_asset(
    name={name!r},
    domain={domain!r},
    owner={owner!r},
    description={description!r},
    source=Source(
        kind="ckan",
        name={system!r},
        snapshot_file={snapshot_file!r},
        ckan=CkanResource(package={package!r}, name_pattern={pattern!r}),
        parser=ParserOptions(encoding={encoding!r}, delimiter={delimiter!r}),
        expected_columns={header!r},
    ),
)
'''

_DERIVED = '''"""{description}"""

from assets.asset import Asset
from assets.checks import Check
from assets.schema import Schema, col
from assets.transform import Transform

{const} = Asset(
    name={name!r},
    zone={zone!r},
    domain={domain!r},
    owner={owner!r},
    description={description!r},
    deps=({upstream!r},),
    schema=Schema(columns=(
{columns}    )),
    checks=(Check.row_count(min=1),),
    transform=Transform.python({transform!r}),
)
'''


def sniff_header(path: Path) -> tuple[tuple[str, ...], str, str]:
    """The header, delimiter and encoding of a CSV file (UTF-8 with or without BOM, else Latin-1)."""
    head = path.read_bytes()[:65536]
    bom = head.startswith(b"\xef\xbb\xbf")
    if bom:  # a BOM may precede Latin-1 bytes (the IQVU file does)
        head = head[3:]
    try:
        text, encoding = head.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        text, encoding = head.decode("iso-8859-1"), "bom+iso-8859-1" if bom else "iso-8859-1"
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    header = tuple(h.strip() for h in next(csv.reader(io.StringIO(first), delimiter=delimiter)))
    return header, delimiter, encoding


def render(*, name: str, zone: str, source: str, graph: AssetGraph, domain: str, owner: str,
           description: str | None = None) -> str:
    check_name(None, "asset", name)
    const = name.upper()
    if zone == "raw":
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"--from {source!r}: a raw asset starts from a sample file of the source")
        header, delimiter, encoding = sniff_header(path)
        return _RAW.format(
            const=const, name=name, domain=domain, owner=owner, system="pbh",
            description=description or f"{path.name} as published.",
            snapshot_file=f"pbh/{path.name}", package=path.stem.replace("_", "-"),
            pattern=rf"(?i){path.stem}", encoding=encoding,
            delimiter=delimiter, header=header,
        )
    upstream = graph[source]
    names = unique_snake_names(c.description.split("'")[1] if c.description.count("'") >= 2 else c.name
                               for c in upstream.schema)
    columns = "".join(f"        col({n!r}, 'string', 'TODO: describe and type {n}.'),\n" for n in names)
    return _DERIVED.format(
        const=const, name=name, zone=zone, domain=domain, owner=owner, upstream=source, columns=columns,
        description=description or f"{name}: typed from {source}.",
        transform=f"spark.transforms.{name}:build",
    )
