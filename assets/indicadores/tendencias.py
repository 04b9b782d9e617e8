"""Trends: accidents per month and regional; bus demand per line and day."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import time_partition_columns
from assets.freshness import FreshnessPolicy
from assets.partitioning import Partitioning
from assets.schema import Schema, col
from assets.transform import Transform

ACIDENTES_MENSAL_REGIONAL = Asset(
    name="acidentes_mensal_regional",
    zone="analytics",
    domain="mobilidade",
    owner="bhtrans",
    description="Accidents with victims per month and regional, with the fatal ones and their share.",
    deps=("acidentes",),
    freshness=FreshnessPolicy.monthly(),
    schema=Schema(columns=(
        col("mes_referencia", "date", "First day of the month."),
        col("regional", "string", "Administrative region."),
        col("acidentes", "int", "Accidents with victims."),
        col("acidentes_fatais", "int", "Fatal accidents."),
        col("proporcao_fatais", "double", "Fatal share (0-1)."),
        *time_partition_columns("year"),
    )),
    partitioning=Partitioning.by_date("mes_referencia", "year"),
    checks=(
        Check.not_null("mes_referencia", "regional"),
        Check.unique("mes_referencia", "regional"),
        Check.range("proporcao_fatais", min=0, max=1),
        Check.expression("fatais_dentro_do_total", "acidentes_fatais <= acidentes"),
    ),
    transform=Transform.python("spark.transforms.tendencias:acidentes_mensal_regional"),
)

MCO_LINHAS_DIARIO = Asset(
    name="mco_linhas_diario",
    zone="analytics",
    domain="mobilidade",
    owner="bhtrans",
    description="Bus demand per line and day from the MCO trips: trips, passengers, distance.",
    deps=("mco_viagens",),
    freshness=FreshnessPolicy.time_window(days=7),
    schema=Schema(columns=(
        col("data_viagem", "date", "Day of the trips."),
        col("codigo_externo_linha", "string", "Public line code."),
        col("nome_linha", "string", "Line name."),
        col("viagens", "int", "Trips."),
        col("passageiros", "bigint", "Passengers."),
        col("distancia_km", "double", "Distance travelled, km."),
        *time_partition_columns("month"),
    )),
    partitioning=Partitioning.by_date("data_viagem", "month"),
    checks=(Check.unique("data_viagem", "codigo_externo_linha"), Check.range("passageiros", min=0)),
    transform=Transform.python("spark.transforms.tendencias:mco_linhas_diario"),
)
