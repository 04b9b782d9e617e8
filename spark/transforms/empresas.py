"""Curated companies register (restaurants and bars): every periodic snapshot through the typed
copy (CNAE '5611201.0', dd-mm-yyyy, POINT WKT; the snapshot's date from its file name), then
WGS84 from the UTM point."""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.utm import with_wgs84

RAW = "atividade_economica_raw"


def build(ctx) -> TransformOutput:
    files = ctx.raw_files(RAW)
    return TransformOutput(data=with_wgs84(ctx.read(RAW)), notes={"raw_files_read": [r.file_name for r in files]})
