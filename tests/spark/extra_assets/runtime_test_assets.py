"""Small assets for the Spark runtime's tests (loaded through BHNAV_EXTRA_ASSETS_DIR).

The raw files are written by each test into its own snapshot folder under ``teste/``.
"""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import time_partition_columns
from assets.declare import raw_asset
from assets.partitioning import Partitioning
from assets.schema import Schema, col
from assets.source import CkanResource, Layout, ParserOptions, Source
from assets.transform import Transform

VISITAS_RAW = raw_asset(
    name="visitas_raw",
    domain="teste",
    description="Visits to a test venue, a small CSV written by the runtime tests.",
    source=Source(
        kind="ckan", name="teste", snapshot_file="teste/visitas.csv",
        ckan=CkanResource(package="teste-visitas"),
        parser=ParserOptions(encoding="utf-8", delimiter=";"),
        expected_columns=("ID", "DATA", "BAIRRO", "VISITANTES", "EMAIL", "TELEFONE"),
    ),
)

VISITAS = Asset(
    name="visitas",
    zone="curated",
    domain="teste",
    description="Visits, typed, partitioned by month, e-mail hashed and phone dropped.",
    deps=(VISITAS_RAW,),
    schema=Schema(columns=(
        col("id", "int", "Visit id."),
        col("data", "date", "Day of the visit."),
        col("bairro", "string", "Bairro of the venue."),
        col("visitantes", "int", "Visitors."),
        col("email", "string", "Contact e-mail (a person).", pii=True, pii_handling="hash"),
        col("telefone", "string", "Contact phone (a person).", pii=True, pii_handling="drop"),
        *time_partition_columns("month"),
    )),
    partitioning=Partitioning.by_date("data", "month"),
    checks=(
        Check.not_null("id"),
        Check.unique("id", severity="warn"),
        Check.expression("sem_negativos", "visitantes >= 0"),
        Check.row_count(min=1),
    ),
    transform=Transform.python("tests.spark.lake_transforms:build_visitas"),
)

VISITAS_POR_BAIRRO = Asset(
    name="visitas_por_bairro",
    zone="analytics",
    domain="teste",
    description="Visitors per bairro, in SQL over the curated visits.",
    deps=(VISITAS,),
    schema=Schema(columns=(
        col("bairro", "string", "Bairro."),
        col("visitantes", "bigint", "Visitors."),
    )),
    checks=(Check.referential("bairro", "visitas", "bairro", severity="block"),),
    transform=Transform.from_sql("SELECT bairro, SUM(visitantes) AS visitantes FROM visitas GROUP BY bairro"),
)

VOLUME_RAW = raw_asset(
    name="volume_raw",
    domain="teste",
    description="How many rows the volume test asset generates, and a tag telling runs apart.",
    source=Source(
        kind="ckan", name="teste", snapshot_file="teste/volume.csv",
        ckan=CkanResource(package="teste-volume"),
        parser=ParserOptions(encoding="utf-8", delimiter=";"),
        expected_columns=("ROWS", "TAG"),
    ),
)

VOLUME = Asset(
    name="volume",
    zone="curated",
    domain="teste",
    description="Generated rows over 1,000 daily partitions: a write long enough to interrupt.",
    deps=(VOLUME_RAW,),
    schema=Schema(columns=(
        col("id", "bigint", "Row id."),
        col("dia_ref", "date", "Day."),
        col("tag", "string", "Which run wrote the row."),
        col("payload", "string", "Filler."),
        *time_partition_columns("day"),
    )),
    partitioning=Partitioning.by_date("dia_ref", "day"),
    checks=(Check.unique("id"),),
    transform=Transform.python("tests.spark.lake_transforms:build_volume"),
)

# A yearly source that changed its layout: the older years in Latin-1 with padded upper-case
# names, the newer in UTF-8, lower case, with a column the table never reads.
OCORRENCIAS_RAW = raw_asset(
    name="ocorrencias_raw",
    domain="teste",
    description="Yearly occurrence files in two layouts, written by the history tests.",
    source=Source(
        kind="ckan", name="teste", snapshot_file="teste/ocorrencias-*.csv",
        ckan=CkanResource(package="teste-ocorrencias", name_pattern=r"ocorrencias-\d{4}"),
        selection="every", period_pattern=r"(?P<year>\d{4})",
        layouts=(
            Layout(name="antigo", columns=("NUMERO", "DATA HORA", "QUANTIDADE", "FATAL"),
                   parser=ParserOptions(encoding="iso-8859-1", delimiter=";", header_padded=True)),
            Layout(name="novo", columns=("numero", "data_hora", "quantidade", "fatal", "apelido"),
                   parser=ParserOptions(encoding="utf-8", delimiter=";"), ignored=("apelido",)),
        ),
    ),
)

OCORRENCIAS = Asset(
    name="ocorrencias",
    zone="curated",
    domain="teste",
    description="Occurrences of every year, each column read from its layout's column once.",
    deps=(OCORRENCIAS_RAW,),
    schema=Schema(columns=(
        col("numero", "string", "Occurrence number.", source={"antigo": "NUMERO", "novo": "numero"}),
        col("data_hora", "timestamp", "When.", source={"antigo": "DATA HORA", "novo": "data_hora"}),
        col("quantidade", "int", "How many.", source={"antigo": "QUANTIDADE", "novo": "quantidade"}),
        col("fatal", "boolean", "Fatal.", source={"antigo": "FATAL", "novo": "fatal"}),
        col("data", "date", "Day of the occurrence."),
        *time_partition_columns("month"),
    )),
    partitioning=Partitioning.by_date("data", "month"),
    # its tests replace a year by a smaller file, and quarantine most rows, on purpose
    checks=(Check.not_null("numero"), Check.row_count(min=1), Check.volume(max_drop=0.9),
            Check.quarantine_share(max_share=0.9)),
    transform=Transform.python("tests.spark.lake_transforms:build_ocorrencias"),
)
