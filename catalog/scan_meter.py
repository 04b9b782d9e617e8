"""What a local query scans: the stand-in for Athena's "data scanned" figure.

DuckDB asks a registered pyarrow dataset for a scanner with the columns it needs and the filter
it pushed down (``dataset.scanner(columns=..., filter=...)``). ``MeteredDataset`` answers that
call as usual and, on the way, works out what the scan must read with the same pruning Arrow
applies: the files whose partition values can match the filter, inside them the row groups whose
statistics can match, inside those the chunks of the requested columns, plus each file's footer.
``bytes_scanned`` is the compressed size of that; files pruned by partition never count.

It is a count of what the scan needs, computed from the Parquet metadata, not a tap on the
reads: counting reads through a Python filesystem leaves Arrow's read-ahead threads calling into
Python after a LIMIT stops the scan, which crashes the interpreter at exit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pyarrow.dataset as pads


@dataclass
class ScanMeter:
    """Totals over every table scan of one query (thread-safe)."""

    bytes_scanned: int = 0  # footers + needed column chunks of the row groups that may match
    file_bytes: int = 0  # whole size of the files the scans open
    scans: int = 0
    _files: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, files: dict[str, int], nbytes: int) -> None:
        with self._lock:
            self.scans += 1
            self.bytes_scanned += nbytes
            for path, size in files.items():
                if path not in self._files:
                    self._files.add(path)
                    self.file_bytes += size

    @property
    def files(self) -> list[str]:
        return sorted(self._files)

    @property
    def files_read(self) -> int:
        return len(self._files)


class MeteredDataset(pads.FileSystemDataset):
    """A Delta snapshot's Parquet files; every scanner built on it is reported to ``meter``."""

    meter: ScanMeter
    label: str

    @classmethod
    def wrap(cls, dataset: pads.FileSystemDataset, meter: ScanMeter, label: str) -> "MeteredDataset":
        metered = cls(list(dataset.get_fragments()), dataset.schema, dataset.format, dataset.filesystem)
        metered.meter, metered.label = meter, label
        return metered

    def scanner(self, *args, **kwargs):
        scanner = super().scanner(*args, **kwargs)
        self._measure(kwargs.get("filter"), kwargs.get("columns"))
        return scanner

    def _measure(self, filter_expression, columns) -> None:
        wanted = set(self.schema.names if columns is None else columns)
        files: dict[str, int] = {}
        nbytes = 0
        fragments = self.get_fragments(filter=filter_expression) if filter_expression is not None else self.get_fragments()
        for fragment in fragments:
            metadata = fragment.metadata
            if filter_expression is not None:
                fragment = fragment.subset(filter=filter_expression, schema=self.schema)  # row groups kept by statistics
            kept = [rg.id for rg in fragment.row_groups]
            files[f"{self.label}/{fragment.path}"] = self.filesystem.get_file_info(fragment.path).size
            nbytes += metadata.serialized_size + 8  # footer, its length and the magic bytes
            for index in kept:
                row_group = metadata.row_group(index)
                for c in range(row_group.num_columns):
                    chunk = row_group.column(c)
                    if chunk.path_in_schema.split(".")[0] in wanted:
                        nbytes += chunk.total_compressed_size
        self.meter.add(files, nbytes)
