"""PBH Censo 2022: population and households per 'popular' bairro."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import polygon_columns
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

POPULACAO_RAW = raw_asset(
    name="populacao_bairro_2022_raw",
    domain="territorio",
    owner="smpu",
    description="População e domicílios por bairro – Censo 2022, as published (CRLF, MULTIPOLYGON WKT).",
    freshness=FreshnessPolicy.static(),
    source=Source(
        kind="ckan",
        name="pbh",
        snapshot_file="pbh/populacao_domicilios_bairro_2022.csv",
        ckan=CkanResource(package="populacao-e-domicilios-por-bairro-censo-2022", name_pattern=r"(?i)popula.*2022"),
        parser=ParserOptions(encoding="utf-8", delimiter=";", line_terminator="\r\n"),
        expected_columns=(
            "ID_POP_DOMIC_BAIRRO_2022", "NUM_BAIRRO", "BAIRRO", "AREA_KM", "POPULACAO", "DOMICILIOS",
            "GEOMETRIA", "DENSIDADE_DEMOGRAFICA",
        ),
    ),
)

POPULACAO = Asset(
    name="populacao_2022",
    zone="curated",
    domain="territorio",
    owner="smpu",
    description=(
        "Census 2022 population and households for the 493 'popular' bairros. Their names rarely match the "
        "official bairros, so figures per official bairro come from polygon overlap (bairro_indicadores)."
    ),
    deps=(POPULACAO_RAW,),
    freshness=FreshnessPolicy.static(),
    schema=Schema(columns=(
        col("id", "int", "Row id (ID_POP_DOMIC_BAIRRO_2022).", source="ID_POP_DOMIC_BAIRRO_2022", nullable=False),
        col("num_bairro", "int", "Popular bairro number.", source="NUM_BAIRRO"),
        col("bairro", "string", "Popular bairro name.", source="BAIRRO"),
        col("area_km2", "double", "Area in km².", source="AREA_KM"),
        col("populacao", "int", "Residents in 2022.", source="POPULACAO", nullable=False),
        col("domicilios", "int", "Households in 2022.", source="DOMICILIOS"),
        col("densidade_demografica", "double", "Residents per km² as published.", source="DENSIDADE_DEMOGRAFICA"),
        *polygon_columns("Popular bairro polygon", wkt="GEOMETRIA"),
    )),
    checks=(
        Check.unique("id"),
        Check.not_null("populacao", "geometria_wkt"),
        Check.range("populacao", min=0),
        Check.row_count(min=400),
    ),
    transform=Transform.python("spark.transforms.territorio:populacao"),
)
