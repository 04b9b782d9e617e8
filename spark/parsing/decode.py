"""Deliberate decoding of raw bytes, line by line, as the asset's ``ParserOptions.encoding`` names.

Lines are split on the byte ``\\n`` before decoding: every encoding we read is ASCII-compatible,
so the split is exact, a trailing ``\\r`` is dropped whatever the file mixes (the parks dump has a
CRLF header and LF rows), and one undecodable line goes to quarantine instead of failing the file.
"""

from __future__ import annotations

from typing import Iterator

UTF8_BOM = b"\xef\xbb\xbf"


class LineDecodeError(ValueError):
    """A line's bytes are not valid in the declared encoding."""


def _strict_utf8(data: bytes) -> str:
    return data.decode("utf-8")


def _mixed_cp1252_utf8(data: bytes) -> str:
    # The MCO export writes its header in Windows-1252 and names in the body as UTF-8: a line
    # that is valid UTF-8 is (almost surely) UTF-8, since cp1252 text with accents rarely is.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


_DECODERS = {
    "utf-8": _strict_utf8,
    "utf-8-sig": _strict_utf8,  # the BOM is removed from the first line before decoding
    "iso-8859-1": lambda data: data.decode("iso-8859-1"),
    "windows-1252": lambda data: data.decode("cp1252"),
    "bom+iso-8859-1": lambda data: data.decode("iso-8859-1"),
    "mixed-cp1252-utf8": _mixed_cp1252_utf8,
}


def decode_line(data: bytes, encoding: str) -> str:
    """One line's text; raises LineDecodeError naming the encoding and the bad byte's offset."""
    try:
        decoder = _DECODERS[encoding]
    except KeyError:
        raise ValueError(f"encoding {encoding!r} is not one we decode deliberately") from None
    try:
        return decoder(data)
    except UnicodeDecodeError as exc:
        raise LineDecodeError(f"not valid {encoding}: byte 0x{data[exc.start]:02x} at offset {exc.start}") from exc


def strip_bom(data: bytes) -> bytes:
    return data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data


def split_lines(data: bytes, encoding: str) -> Iterator[tuple[int, bytes]]:
    """(1-based line number, the line's bytes without terminator); blank lines are skipped.

    A UTF-8 BOM at the start is removed for every encoding: ``utf-8-sig`` and ``bom+iso-8859-1``
    declare it, and a stray BOM in front of a Latin-1 header would otherwise become 'ï»¿'.
    """
    data = strip_bom(data)
    start, number, size = 0, 0, len(data)
    while start < size:
        end = data.find(b"\n", start)
        if end == -1:
            end = size
        number += 1
        line = data[start:end]
        if line.endswith(b"\r"):
            line = line[:-1]
        if line.strip():
            yield number, line
        start = end + 1


def decode_text(data: bytes, encoding: str) -> str:
    """A whole small file (a header peek, a GeoJSON document) decoded as declared."""
    data = strip_bom(data)
    if encoding == "mixed-cp1252-utf8":
        return "\n".join(decode_line(line, encoding) for line in data.split(b"\n"))
    return decode_line(data, encoding)


def raw_text_for_quarantine(data: bytes) -> str:
    """A line that could not be decoded, kept readable and lossless for a person (Latin-1 never fails)."""
    return data.decode("iso-8859-1")
