"""Write real Delta tables the way the runtime lays them out (Hive-style ano=/mes= folders) and
register them, so catalog and query tests run over real files."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Any

from assets.asset import Asset
from catalog.arrow_types import arrow_table
from catalog.records import MaterializationRecord

REGIONAIS = ("BARREIRO", "CENTRO-SUL", "LESTE", "NORDESTE", "NOROESTE", "NORTE", "OESTE", "PAMPULHA", "VENDA NOVA")


def write_delta(asset: Asset, rows: list[dict[str, Any]], settings, *, mode: str = "overwrite") -> int:
    """Write the rows as the asset's Delta table; returns the new Delta version."""
    from deltalake import DeltaTable, write_deltalake

    from lake.locations import local_path, table_uri

    path = local_path(table_uri(asset, settings))
    path.mkdir(parents=True, exist_ok=True)
    write_deltalake(str(path), arrow_table(asset, rows), partition_by=list(asset.partitioning.columns) or None,
                    mode=mode)
    return DeltaTable(str(path)).version()


def success_record(asset: Asset, rows: list[dict[str, Any]], delta_version: int, *,
                   finished_at: datetime | None = None, **extra) -> MaterializationRecord:
    finished = finished_at or datetime.now(timezone.utc)
    date_column = asset.partitioning.date_column
    newest = max((r[date_column] for r in rows if r.get(date_column)), default=None) if date_column else None
    return MaterializationRecord(
        asset=asset.name, status="success", started_at=finished - timedelta(seconds=5), finished_at=finished,
        code_version="test", rows=len(rows), delta_version=delta_version, newest_data_date=newest, **extra,
    )


def publish(asset: Asset, rows: list[dict[str, Any]], settings, catalog, **record_fields):
    """Write and register, as the runtime does after a materialisation."""
    version = write_delta(asset, rows, settings)
    return catalog.register(asset, success_record(asset, rows, version, **record_fields))


def accident_rows(seed: int = 7, per_month: int = 400) -> list[dict[str, Any]]:
    """Synthetic accidents over 2019 with an uneven count per month and regional."""
    rng = random.Random(seed)
    rows = []
    for month in range(1, 13):
        for i in range(per_month + month * 13):
            day = date(2019, month, rng.randint(1, 28))
            rows.append({
                "numero_boletim": f"2019-{month:02d}-{i:05d}",
                "data_hora_boletim": datetime(day.year, day.month, day.day, rng.randint(0, 23), tzinfo=timezone.utc),
                "data_boletim": day,
                "regional": rng.choice(REGIONAIS),
                "cod_regional": rng.randint(1, 9),
                "fatal": rng.random() < 0.03,
                "valor_ups": rng.choice((1, 5, 13)),
                "descricao_ups": "texto " * rng.randint(1, 6),
                "latitude": -19.9 + rng.random() / 10,
                "longitude": -43.9 + rng.random() / 10,
            })
    return rows
