"""Bytes scanned by a one-month query against a full scan of the partitioned accidents table.

    python bench/query_pruning.py                # a temporary lake built from the real 2019 file
    python bench/query_pruning.py --lake .lake   # the lake `bhnav materialize` built

Without --lake, the curated accidents table is written from the snapshot's si-bol-2019.csv
(BHNAV_SNAPSHOT_DIR) with deltalake, partitioned ano=/mes= as the runtime writes it, and
registered in a temporary local catalog. Both queries go through the same engine as
`bhnav query`; "bytes scanned" is the compressed size of the footers and column chunks the scan
needs after partition and statistics pruning (catalog/scan_meter.py). Target: ratio <= 1/10.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SELECT = ("SELECT regional, count(*) AS acidentes, count_if(fatal) AS fatais, sum(valor_ups) AS ups "
          "FROM bhnav_curated.acidentes {where} GROUP BY regional")
MONTH = "WHERE ano = 2019 AND mes = 3"


def _date(text: str) -> date | None:
    text = text.strip()
    if not text or text.startswith("00/00/0000"):
        return None
    return datetime.strptime(text[:10], "%d/%m/%Y").date()


def real_accident_rows(snapshot: Path) -> list[dict]:
    """The 2019 accidents, lightly typed (the runtime's parser does this fully; here only what the
    queries read and enough columns to give the files a realistic width)."""
    rows = []
    with open(snapshot / "pbh" / "si-bol-2019.csv", encoding="iso-8859-1", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [h.strip() for h in next(reader)]
        for values in reader:
            raw = dict(zip(header, (v.strip() for v in values)))
            day = _date(raw["DATA HORA_BOLETIM"])
            if day is None:
                continue
            stamp = datetime.strptime(raw["DATA HORA_BOLETIM"][:16], "%d/%m/%Y %H:%M").replace(tzinfo=timezone.utc)
            rows.append({
                "numero_boletim": raw["NUMERO_BOLETIM"], "data_hora_boletim": stamp, "data_boletim": day,
                "tipo_acidente": raw["TIPO_ACIDENTE"], "desc_tipo_acidente": raw["DESC_TIPO_ACIDENTE"],
                "desc_tempo": raw["DESC_TEMPO"], "pavimento": raw["PAVIMENTO"],
                "cod_regional": int(raw["COD_REGIONAL"] or 0), "regional": raw["DESC_REGIONAL"],
                "origem_boletim": raw["ORIGEM_BOLETIM"],
                "velocidade_permitida": int(raw["VELOCIDADE_PERMITIDA"] or 0),
                "coordenada_x": float(raw["COORDENADA_X"] or 0) or None,
                "coordenada_y": float(raw["COORDENADA_Y"] or 0) or None,
                "fatal": raw["INDICADOR_FATALIDADE"].upper() == "SIM",
                "valor_ups": int(raw["VALOR_UPS"] or 0), "descricao_ups": raw.get("DESCRIÇÃO_UPS"),
            })
    return rows


def build_lake(lake_dir: Path, snapshot: Path):
    from deltalake import DeltaTable, write_deltalake

    from assets.definitions import load_graph
    from catalog.arrow_types import arrow_table
    from catalog.base import get_catalog
    from catalog.records import MaterializationRecord
    from lake.locations import local_path, table_uri
    from lake.settings import get_settings

    settings = get_settings(env="local", lake_dir=lake_dir)
    asset = load_graph()["acidentes"]
    rows = real_accident_rows(snapshot)
    path = local_path(table_uri(asset, settings))
    path.mkdir(parents=True)
    write_deltalake(str(path), arrow_table(asset, rows), partition_by=list(asset.partitioning.columns))
    now = datetime.now(timezone.utc)
    get_catalog(settings).register(asset, MaterializationRecord(
        asset=asset.name, status="success", started_at=now, finished_at=now, rows=len(rows),
        delta_version=DeltaTable(str(path)).version()))
    return settings, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lake", type=Path, help="an existing lake folder (default: build a temporary one)")
    args = parser.parse_args()

    from catalog.query import get_query_engine
    from lake.settings import get_settings

    with tempfile.TemporaryDirectory(prefix="bhnav-bench-") as tmp:
        if args.lake:
            settings, source = get_settings(env="local", lake_dir=args.lake.absolute()), f"lake {args.lake}"
        else:
            snapshot = get_settings().snapshot_dir
            if snapshot is None:
                print("set BHNAV_SNAPSHOT_DIR to the folder of the city's files (or pass --lake)", file=sys.stderr)
                return 2
            settings, rows = build_lake(Path(tmp) / "lake", snapshot)
            source = f"real si-bol-2019.csv, {rows} rows, written with deltalake"
        engine = get_query_engine(settings)
        full = engine.run(SELECT.format(where=""))
        month = engine.run(SELECT.format(where=MONTH))

    ratio = month.bytes_scanned / full.bytes_scanned
    print(f"table: bhnav_curated.acidentes ({source})")
    print(f"full scan : {full.bytes_scanned:>10,} bytes scanned, {full.files_scanned:>3} files "
          f"({full.details['file_bytes']:,} bytes of files), {sum(r['acidentes'] for r in full.records()):,} rows")
    print(f"one month : {month.bytes_scanned:>10,} bytes scanned, {month.files_scanned:>3} files "
          f"({month.details['file_bytes']:,} bytes of files), {sum(r['acidentes'] for r in month.records()):,} rows")
    print(f"ratio     : {ratio:.4f} (1/{1 / ratio:.1f}); target <= 0.1000 -> {'met' if ratio <= 0.1 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
