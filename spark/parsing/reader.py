"""Reading a raw delimited file in Spark: bytes in, typed rows and a quarantine out.

The file is read as bytes (``binaryFile``, which works for ``file://`` and ``s3a://`` alike),
decoded line by line in Python as the asset declares (never by a reader that guesses), split
with the asset's ParserOptions and typed by the transform's row function. The header is checked
on the driver first, so a changed header fails with a SchemaDriftError before any work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from spark.parsing.decode import LineDecodeError, decode_line, raw_text_for_quarantine, split_lines
from spark.parsing.fields import check_header, header_names, keyed, split_fields
from spark.parsing.frames import ddl, typed_frame
from spark.parsing.record import Record, RowError

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

    from spark.context import RawInput

HEADER_PEEK_BYTES = 1 << 16
# Files above this are re-split after decoding so both cores parse; the city's files are far below.
SPLIT_ABOVE_BYTES = 64 << 20
_LINES_SCHEMA = "_file string, _line bigint, _text string, _error string"
_TRACE_SCHEMA = [("_file", "string"), ("_line", "bigint"), ("_reason", "string"), ("_raw", "string")]
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class Parsed:
    data: "DataFrame"
    quarantine: "DataFrame"
    combined: "DataFrame"  # persisted: both come from it, so the file is decoded once


def file_name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def read_bytes(spark: "SparkSession", uri: str) -> "DataFrame":
    from lake.locations import spark_path

    return spark.read.format("binaryFile").load(spark_path(uri))


def check_headers(asset: str, files: "DataFrame", raw: "RawInput") -> dict[str, list[str]]:
    """Each file's header (renames applied, repeated names made unique), checked against the declaration."""
    source = raw.asset.source
    parser = source.parser
    headers: dict[str, list[str]] = {}
    peeks = files.selectExpr("path", f"substring(content, 1, {HEADER_PEEK_BYTES}) AS head").collect()
    if not peeks:
        raise ValueError(f"Asset {asset!r}: no file to read at {raw.uri}; land {raw.asset.name} first.")
    for peek in peeks:
        head = bytes(peek.head)
        first = next(split_lines(head, parser.encoding), None)
        if first is None or (b"\n" not in head and len(head) == HEADER_PEEK_BYTES):
            raise ValueError(f"Asset {asset!r}: {file_name(peek.path)} has no readable header line.")
        names = header_names(decode_line(first[1], parser.encoding), parser)
        headers[peek.path] = keyed(check_header(asset, file_name(peek.path), names, source.header, parser.header_rename))
    return headers


def _lines_of(encoding: str):
    """mapInPandas function: whole files → one row per data line (header skipped), decoded."""

    def explode(batches):
        import pandas as pd

        for batch in batches:
            for path, content in zip(batch["path"], batch["content"]):
                name = file_name(path)
                rows: list[tuple] = []
                lines = split_lines(bytes(content), encoding)
                next(lines, None)  # the header, checked on the driver
                for number, data in lines:
                    try:
                        rows.append((name, number, decode_line(data, encoding), None))
                    except LineDecodeError as exc:
                        rows.append((name, number, raw_text_for_quarantine(data), str(exc)))
                    if len(rows) >= BATCH_ROWS:
                        yield pd.DataFrame.from_records(rows, columns=["_file", "_line", "_text", "_error"])
                        rows = []
                if rows:
                    yield pd.DataFrame.from_records(rows, columns=["_file", "_line", "_text", "_error"])

    return explode


def _parser_of(headers_by_name, parser, columns, parse_row, finish):
    """mapInPandas function: decoded lines → typed rows, or the line with the reason it failed."""
    trace_names = [name for name, _ in _TRACE_SCHEMA]

    def parse(batches):
        import pandas as pd

        for batch in batches:
            good, good_trace, bad = [], [], []
            for name, number, text, error in zip(batch["_file"], batch["_line"], batch["_text"], batch["_error"]):
                if error is not None:
                    bad.append((name, number, f"encoding: {error}", text))
                    continue
                keys = headers_by_name[name]
                try:
                    fields = split_fields(text, parser)
                except Exception as exc:  # csv.Error on a broken quote
                    bad.append((name, number, f"split: {exc}", text))
                    continue
                if len(fields) != len(keys):
                    bad.append((name, number, f"{len(fields)} fields where the header has {len(keys)}", text))
                    continue
                try:
                    good.append(parse_row(Record(dict(zip(keys, fields)), parser.decimal_comma)))
                except RowError as exc:
                    bad.append((name, number, str(exc), text))
                    continue
                good_trace.append((name, number, None, None))
            frame = typed_frame(good, columns)
            if finish is not None and len(frame):
                frame = finish(frame)
            for index, trace in enumerate(trace_names):
                frame[trace] = pd.Series([t[index] for t in good_trace], dtype="object")
            if bad:
                quarantined = typed_frame([], columns).reindex(range(len(bad)))
                for index, trace in enumerate(trace_names):
                    quarantined[trace] = pd.Series([t[index] for t in bad], dtype="object")
                frame = pd.concat([frame, quarantined], ignore_index=True)
            yield frame

    return parse


def read_delimited(
    spark: "SparkSession",
    raw: "RawInput",
    asset: str,
    columns: list[tuple[str, str]],
    parse_row: Callable[[Record], dict],
    finish: Callable[["pd.DataFrame"], "pd.DataFrame"] | None = None,
) -> Parsed:
    """Typed rows (``columns``, as Glue types) and the quarantine of a landed delimited file."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    parser = raw.asset.source.parser
    files = read_bytes(spark, raw.uri)
    headers = {file_name(path): keys for path, keys in check_headers(asset, files, raw).items()}
    explode = _lines_of(parser.encoding)
    parse = _parser_of(headers, parser, columns, parse_row, finish)
    schema = ddl(columns + _TRACE_SCHEMA)
    files = files.select("path", "content")
    if raw.size > SPLIT_ABOVE_BYTES:
        # One task reads a file; spreading its decoded lines lets every core parse.
        lines = files.mapInPandas(explode, _LINES_SCHEMA).repartition(max(2, raw.size // SPLIT_ABOVE_BYTES))
        combined = lines.mapInPandas(parse, schema)
    else:
        # Small files: decode and parse in the same Python worker, no second Arrow round trip.
        combined = files.mapInPandas(lambda batches: parse(explode(batches)), schema)
    combined = combined.persist(StorageLevel.MEMORY_AND_DISK)
    names = [name for name, _ in columns]
    data = combined.where(F.col("_reason").isNull()).select(*names)
    quarantine = combined.where(F.col("_reason").isNotNull()).select(
        "_file", "_line", F.col("_reason").alias("reason"), F.col("_raw").alias("raw_line")
    )
    return Parsed(data=data, quarantine=quarantine, combined=combined)
