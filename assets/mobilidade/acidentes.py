"""BHTRANS si-bol: traffic accidents with victims."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import time_partition_columns, utm_point_columns
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.partitioning import Partitioning
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

REGIONAIS = ("BARREIRO", "CENTRO-SUL", "LESTE", "NORDESTE", "NOROESTE", "NORTE", "OESTE", "PAMPULHA", "VENDA NOVA")

ACIDENTES_RAW = raw_asset(
    name="acidentes_raw",
    domain="mobilidade",
    owner="bhtrans",
    description="Relação de ocorrências de acidentes de trânsito com vítima (si-bol), as BHTRANS publishes it.",
    freshness=FreshnessPolicy.yearly(deadline="03-31"),  # one si-bol file per year; last year's by March 31
    source=Source(
        kind="ckan",
        name="pbh",
        snapshot_file="pbh/si-bol-2019.csv",
        ckan=CkanResource(
            package="6511cb66-3635-4560-95cc-d0c39aafb547",
            resource_id="ab6db535-b706-4e7b-9fdc-3bc1e823401e",
            name_pattern=r"(?i)si[-_]bol.*2019",
        ),
        parser=ParserOptions(encoding="iso-8859-1", delimiter=";", header_padded=True, values_padded=True),
        expected_columns=(
            "NUMERO_BOLETIM", "DATA HORA_BOLETIM", "DATA_INCLUSAO", "TIPO_ACIDENTE", "DESC_TIPO_ACIDENTE",
            "COD_TEMPO", "DESC_TEMPO", "COD_PAVIMENTO", "PAVIMENTO", "COD_REGIONAL", "DESC_REGIONAL",
            "ORIGEM_BOLETIM", "LOCAL_SINALIZADO", "VELOCIDADE_PERMITIDA", "COORDENADA_X", "COORDENADA_Y",
            "HORA_INFORMADA", "INDICADOR_FATALIDADE", "VALOR_UPS", "DESCRIÇÃO_UPS", "DATA_ALTERACAO_SMSA",
            "VALOR_UPS_ANTIGA", "DESCRIÇÃO_UPS_ANTIGA",
        ),
    ),
)

ACIDENTES = Asset(
    name="acidentes",
    zone="curated",
    domain="mobilidade",
    owner="bhtrans",
    description=(
        "Traffic accidents with victims in Belo Horizonte (BHTRANS si-bol), one row per police report, "
        "typed, with coordinates reprojected to WGS84."
    ),
    deps=(ACIDENTES_RAW,),
    schema=Schema(columns=(
        col("numero_boletim", "string", "Police report number (NUMERO_BOLETIM)."),
        col("data_hora_boletim", "timestamp", "Date and time of the report (local time)."),
        col("data_boletim", "date", "Date of the report; drives the time partitions."),
        col("data_inclusao", "timestamp", "When the report was entered in the system."),
        col("tipo_acidente", "string", "Accident type code (e.g. H01002)."),
        col("desc_tipo_acidente", "string", "Accident type description."),
        col("cod_tempo", "int", "Weather code."),
        col("desc_tempo", "string", "Weather description."),
        col("cod_pavimento", "int", "Pavement code."),
        col("pavimento", "string", "Pavement description."),
        col("cod_regional", "int", "Administrative region code."),
        col("regional", "string", "Administrative region (regional) of the accident."),
        col("origem_boletim", "string", "Who filed the report."),
        col("local_sinalizado", "boolean", "Whether the place had traffic signs."),
        col("velocidade_permitida", "int", "Speed limit in km/h (0 when not informed)."),
        *utm_point_columns(),
        col("hora_informada", "boolean", "Whether the time of day was informed."),
        col("fatal", "boolean", "Whether the accident was fatal (INDICADOR_FATALIDADE)."),
        col("valor_ups", "int", "UPS severity weight."),
        col("descricao_ups", "string", "UPS severity description."),
        col("data_alteracao_smsa", "date", "When the health secretariat changed the record; null for 00/00/0000."),
        col("valor_ups_antiga", "int", "Former UPS severity weight."),
        col("descricao_ups_antiga", "string", "Former UPS severity description."),
        *time_partition_columns("month"),
    )),
    partitioning=Partitioning.by_date("data_boletim", "month"),
    freshness=FreshnessPolicy.monthly(),
    checks=(
        Check.not_null("numero_boletim", "data_boletim"),
        Check.unique("numero_boletim", severity="warn"),
        Check.accepted_values("regional", REGIONAIS, severity="warn"),
        Check.range("latitude", min=-20.1, max=-19.7, severity="warn"),
        Check.row_count(min=1000),
    ),
    transform=Transform.python("spark.transforms.acidentes:build"),
)
