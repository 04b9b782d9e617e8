"""The generic typed copy: landed delimited files → the curated columns their declarations name.

Each file's header is read from its first bytes (never the whole file) and matched to one of the
raw source's layouts; a header matching none fails by name before any Spark work. The files of a
layout are read by Spark's own CSV reader in the layout's encoding, every field as text, and each
curated column with a ``source`` is computed from its source column with its parse rule
(``spark/parsing/rules.py``), in the JVM. The result keeps every row: a row whose values a rule
cannot read carries its reason in ``_reason`` and its text in ``_raw`` (personal data masked), and
the schema enforcement sends it to quarantine. Columns without a source are the transform's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assets.common_columns import SNAPSHOT_COLUMN
from spark.context import SchemaDriftError
from spark.parsing.decode import decode_line, split_lines
from spark.parsing.fields import check_header, header_names
from spark.parsing.rules import rule_sql, trimmed

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from assets.asset import Asset
    from assets.source import Layout
    from lake.storage import Storage
    from spark.context import RawInput

HEADER_PEEK_BYTES = 1 << 16
# Java's names for the encodings we read natively; a mixed encoding has none (decoded in Python).
JAVA_CHARSETS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "iso-8859-1": "ISO-8859-1",
                 "windows-1252": "windows-1252", "bom+iso-8859-1": "ISO-8859-1"}
CORRUPT = "_corrupt"
PROVENANCE = ("_file", "_line", "_reason", "_raw")


class UnknownLayoutError(SchemaDriftError):
    """A landed file's header matches none of the source's layouts; nothing is published."""

    def __init__(self, asset: str, file: str, tried: dict[str, str]):
        self.asset, self.file, self.missing, self.extra = asset, file, [], []
        detail = "; ".join(f"{name}: {why}" for name, why in tried.items())
        ValueError.__init__(
            self, f"Asset {asset!r}: the header of {file} matches none of the declared layouts ({detail}). "
            "The raw file is kept and the table is untouched; declare its layout in the raw asset's Source.layouts.")


@dataclass(frozen=True)
class FileLayout:
    raw: "RawInput"
    layout: "Layout"
    header: tuple[str, ...]  # the file's names in file order, renames applied


def peek_header(storage: "Storage", raw: "RawInput", layout: "Layout") -> list[str] | None:
    with storage.open(raw.key) as stream:
        head = stream.read(HEADER_PEEK_BYTES)
    first = next(split_lines(head, layout.parser.encoding), None)
    if first is None:
        return None
    return header_names(decode_line(first[1], layout.parser.encoding), layout.parser)


def match_layout(asset: str, raw: "RawInput", storage: "Storage") -> FileLayout:
    """The layout whose header this file has; UnknownLayoutError naming each layout's difference."""
    tried: dict[str, str] = {}
    for layout in raw.asset.source.all_layouts:
        try:
            names = peek_header(storage, raw, layout)
        except ValueError as exc:  # not decodable in this layout's encoding
            tried[layout.name] = str(exc)
            continue
        if names is None:
            tried[layout.name] = "no header line"
            continue
        try:
            header = check_header(asset, raw.file_name, names, layout.columns, layout.parser.header_rename)
        except SchemaDriftError as drift:
            parts = ([f"missing {', '.join(drift.missing[:5])}"] if drift.missing else []) + (
                [f"unexpected {', '.join(drift.extra[:5])}"] if drift.extra else [])
            tried[layout.name] = " and ".join(parts)
            continue
        return FileLayout(raw=raw, layout=layout, header=tuple(header))
    raise UnknownLayoutError(asset, raw.file_name, tried)


def _read_group(spark: "SparkSession", files: list[FileLayout]) -> "DataFrame":
    """Spark's CSV reader over files of one layout and header order: positional text columns."""
    from pyspark.sql import functions as F

    layout, parser = files[0].layout, files[0].layout.parser
    charset = JAVA_CHARSETS.get(parser.encoding)
    if charset is None:
        raise ValueError(f"encoding {parser.encoding!r} has no native reader; read it with spark.parsing.reader")
    schema = ", ".join([f"c{i} string" for i in range(len(files[0].header))] + [f"{CORRUPT} string"])
    frame = (spark.read.schema(schema)
             .option("header", True).option("sep", parser.delimiter).option("encoding", charset)
             .option("quote", parser.quote).option("escape", parser.quote)
             .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT)
             .option("enforceSchema", True)
             .csv([f.raw.uri for f in files]))
    return frame.withColumn("_file", F.col("_metadata.file_name"))


@dataclass(frozen=True)
class CopyPlan:
    """The typed copy of one layout as three selects, so Spark keeps each stage (a wide table's
    rules, written once each, stay within the JVM's generated-code limits):
    ``texts`` trims the source fields (and keeps the raw text), ``values`` applies the rules,
    ``checks`` says which present text a rule could not read."""

    texts: list[str]
    values: list[str]
    problems: list[str]


def _field_count(parser) -> str:
    """How many fields a malformed line has: its delimiters outside quotes, plus one."""
    delimiter = parser.delimiter.replace("'", "\\'")
    pattern = ("\\\\" + delimiter) if delimiter in ".|*+?^$()[]{}" else delimiter
    line = CORRUPT
    if parser.quote:
        quote = parser.quote.replace("'", "\\'")
        line = f"regexp_replace({CORRUPT}, '{quote}[^{quote}]*{quote}', '')"
    return f"size(split({line}, '{pattern}'))"


def _copy_plan(asset: "Asset", fl: FileLayout) -> CopyPlan:
    position = {name: i for i, name in reversed(list(enumerate(fl.header)))}
    constants = dict(fl.layout.constants)
    parser = fl.layout.parser
    values, problems, used = [], [], {}
    pii_positions = set()
    for column in asset.schema.copied:
        published = column.source_in(fl.layout.name)
        if column.name in constants:
            values.append(f"CAST({constants[column.name]} AS {column.type}) AS `{column.name}`")
            continue
        if published is None or published not in position:
            if published is not None:
                raise SchemaDriftError(asset.name, fl.raw.file_name, [published], [])
            values.append(f"CAST(NULL AS {column.type}) AS `{column.name}`")
            continue
        if published in fl.layout.ignored:
            raise ValueError(f"Asset {asset.name!r}: column {column.name!r} reads {published!r}, which layout "
                             f"{fl.layout.name!r} declares ignored; read another column or stop ignoring it.")
        index = position[published]
        if column.pii:
            pii_positions.add(index)
        text = used.setdefault(index, f"_t{index}")
        sql = rule_sql(column.parse_rule, text, column.type, parser)
        values.append(f"{sql.value} AS `{column.name}`")
        tokens = f" AND {text} NOT IN ({', '.join(repr(t) for t in sql.null_tokens)})" if sql.null_tokens else ""
        problems.append(
            f"CASE WHEN {text} IS NOT NULL{tokens} AND `{column.name}` IS NULL THEN "
            f"concat('{column.name}: ', substring({text}, 1, 80), ' is not {column.parse_rule}') END")
    width = len(fl.header)
    delimiter = parser.delimiter.replace("'", "\\'")
    problems.insert(0, f"CASE WHEN {CORRUPT} IS NOT NULL THEN "
                       f"concat({_field_count(parser)}, ' fields where the header has {width}') END")
    masked = [f"'<pii>'" if i in pii_positions else f"coalesce(c{i}, '')" for i in range(width)]
    raw = f"CASE WHEN {CORRUPT} IS NOT NULL THEN '<unparsed line>' ELSE concat_ws('{delimiter}', {', '.join(masked)}) END"
    if not pii_positions:
        raw = f"coalesce({CORRUPT}, concat_ws('{delimiter}', {', '.join(masked)}))"
    texts = [f"{trimmed(f'c{i}')} AS {name}" for i, name in used.items()] + [f"{raw} AS _raw"]
    return CopyPlan(texts=texts, values=values, problems=problems)


def _copied(frame: "DataFrame", plan: CopyPlan, snapshot: list[str]) -> "DataFrame":
    """The stages over one group's frame: typed columns and provenance, texts dropped. The line's
    text is one expression used once (by the schema enforcement, for rejected rows only), so Spark
    builds it only for the rows the quarantine keeps."""
    fields = [c for c in frame.columns if c.startswith("c") and c[1:].isdigit()]
    carried = ["_file", CORRUPT, *fields]
    texts = [t.rsplit(" AS ", 1)[1] for t in plan.texts[:-1]]
    raw = plan.texts[-1].rsplit(" AS ", 1)[0]
    snapshots = [s.rsplit(" AS ", 1)[1] for s in snapshot]
    staged = frame.selectExpr(*plan.texts[:-1], *snapshot, *carried)
    typed = staged.selectExpr(*plan.values, *texts, *snapshots, *carried)
    names = [v.rsplit(" AS ", 1)[1] for v in plan.values] + snapshots
    reason = f"nullif(concat_ws('; ', {', '.join(plan.problems)}), '')"
    checked = typed.selectExpr(*names, "CAST(NULL AS BIGINT) AS _line", f"{reason} AS _reason", *carried)
    return checked.selectExpr(*names, "_file", "_line", "_reason",
                              f"{raw} AS _raw")


def _snapshot_date(asset: "Asset", files: list[FileLayout]) -> list[str]:
    """A periodic snapshot's date column, from each file's period (its name)."""
    if not files[0].raw.asset.source.periodic_snapshot or SNAPSHOT_COLUMN not in asset.schema:
        return []
    cases = " ".join(f"WHEN '{f.raw.file_name}' THEN DATE '{f.raw.period.start.isoformat()}'"
                     for f in files if f.raw.period is not None)
    return [f"CASE _file {cases} END AS {SNAPSHOT_COLUMN}" if cases else f"CAST(NULL AS DATE) AS {SNAPSHOT_COLUMN}"]


def typed_copy(spark: "SparkSession", asset: "Asset", raws: list["RawInput"], storage: "Storage") -> "DataFrame":
    """Every row of ``raws`` with ``asset``'s copied columns typed, plus ``_file``, ``_line``,
    ``_reason`` (null when the row is good) and ``_raw``."""
    if not raws:
        raise ValueError(f"Asset {asset.name!r}: no landed file to read; land its raw input first.")
    matched = [match_layout(asset.name, raw, storage) for raw in raws]
    groups: dict[tuple, list[FileLayout]] = {}
    for fl in matched:
        groups.setdefault((fl.layout.name, fl.header), []).append(fl)
    frames = []
    for files in groups.values():
        frames.append(_copied(_read_group(spark, files), _copy_plan(asset, files[0]), _snapshot_date(asset, files)))
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame)
    return result


def layouts_read(asset: str, raws: list["RawInput"], storage: "Storage") -> dict[str, int]:
    """How many files of each layout ``raws`` holds (for the record's notes)."""
    return dict(Counter(match_layout(asset, raw, storage).layout.name for raw in raws))
