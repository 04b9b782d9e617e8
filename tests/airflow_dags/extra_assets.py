"""Extra asset declarations written into a BHNAV_EXTRA_ASSETS_DIR for the Airflow tests."""

from __future__ import annotations

from pathlib import Path

# A raw asset whose file is not in the snapshot folder: its landing fails on every try.
FAILING = '''
from assets.declare import raw_asset
from assets.source import CkanResource, Source

FALHA_RAW = raw_asset(
    name="falha_raw", domain="teste", owner="qa",
    description="A raw asset whose file is missing from the snapshot folder: landing it always fails.",
    source=Source(kind="ckan", name="teste", snapshot_file="teste/nao_existe.csv",
                  ckan=CkanResource(package="nao-existe"), expected_columns=("ID",)),
).replace(retries={retries}, retry_delay_s={delay})
'''

# A derived asset that runs when ANY of two upstream tables changes.
ANY_OF_TWO = '''
from assets.asset import Asset
from assets.schema import Schema, col
from assets.transform import Transform

QUALQUER = Asset(
    name="qualquer_estacao", zone="analytics", domain="teste", owner="qa",
    description="Rebuilt when either the stations or the stops change.",
    deps=("estacoes_onibus", "paradas_onibus"), schedule_on="any",
    schema=Schema(columns=(col("id", "int", "Id."),)),
    transform=Transform.python("spark.transforms.transporte:estacoes"),
)
'''


def write_extra_assets(folder: Path, **modules: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in modules.items():
        (folder / f"{name}.py").write_text(text)
    return folder


# A curated asset whose transform raises: its materialise task fails on every try.
BROKEN_TRANSFORM = '''
from assets.asset import Asset
from assets.schema import Schema, col
from assets.transform import Transform

QUEBRADO = Asset(
    name="estacoes_quebradas", zone="curated", domain="teste", owner="qa",
    description="Stations through a transform that always raises.",
    deps=("estacoes_onibus_raw",),
    schema=Schema(columns=(col("id", "int", "Id."),)),
    transform=Transform.python("bhnav_extra_assets.quebrado:build"),
).replace(retries={retries}, retry_delay_s={delay})


def build(ctx):
    raise ValueError("the stations transform fails on purpose")
'''


# A yearly source (one small file per year) and a table partitioned by year read from it: the
# smallest time-partitioned chain, for backfilling periods through the real scheduler.
YEARLY = '''
from assets.asset import Asset
from assets.common_columns import time_partition_columns
from assets.declare import raw_asset
from assets.partitioning import Partitioning
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

CONTAGENS_RAW = raw_asset(
    name="contagens_raw", domain="teste", owner="qa",
    description="Yearly counts, one small file per year, written by the Airflow tests.",
    source=Source(kind="ckan", name="teste", snapshot_file="teste/contagens-*.csv",
                  ckan=CkanResource(package="teste-contagens", name_pattern=r"contagens-\\d{4}"),
                  selection="every", period_pattern=r"(?P<year>\\d{4})",
                  parser=ParserOptions(encoding="utf-8", delimiter=";"), expected_columns=("DATA", "QUANTIDADE")),
)

CONTAGENS = Asset(
    name="contagens", zone="curated", domain="teste", owner="qa",
    description="The yearly counts, typed, one partition per year.",
    deps=(CONTAGENS_RAW,),
    schema=Schema(columns=(
        col("data", "date", "Day counted.", source="DATA"),
        col("quantidade", "int", "How many.", source="QUANTIDADE"),
        *time_partition_columns("year"),
    )),
    partitioning=Partitioning.by_date("data", "year"),
    transform=Transform.python("bhnav_extra_assets.anual:build"),
)


def build(ctx):
    from spark.context import TransformOutput

    return TransformOutput(data=ctx.read("contagens_raw"))
'''


def write_yearly_files(folder: Path, *years: int) -> None:
    """``teste/contagens-<year>.csv``: three days of each year (as the city writes dates), counts year*10 + day."""
    (folder / "teste").mkdir(parents=True, exist_ok=True)
    for year in years:
        rows = "".join(f"0{d}/03/{year};{year * 10 + d}\n" for d in (1, 2, 3))
        (folder / "teste" / f"contagens-{year}.csv").write_text("DATA;QUANTIDADE\n" + rows)
