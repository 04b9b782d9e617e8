"""PBH Bairro Oficial: the 323 official bairros and their polygons."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import polygon_columns
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

BAIRROS_RAW = raw_asset(
    name="bairro_oficial_raw",
    domain="territorio",
    owner="prodabel",
    description="Bairro Oficial as GeoJSON (converted from the published shapefile), CRS EPSG:31983.",
    freshness=FreshnessPolicy.static(),
    source=Source(
        kind="ckan",
        name="pbh",
        snapshot_file="pbh/bairro_oficial.geojson",
        ckan=CkanResource(package="d1432f63-6515-43ec-a6bb-ba548af00026", name_pattern=r"(?i)bairro.*json", formats=("GEOJSON", "JSON")),
        parser=ParserOptions(format="geojson", encoding="utf-8"),
        expected_columns=("ID_BAC", "CODIGO", "TIPO", "NOME", "AREA_KM2", "PERIMETR_M", "geometry"),
    ),
)

BAIRROS = Asset(
    name="bairros",
    zone="curated",
    domain="territorio",
    owner="prodabel",
    description=(
        "The official bairros of Belo Horizonte: code, name (not unique: 'São Pedro' twice), area and the "
        "polygon in UTM and WGS84. Every per-bairro figure in the lake is keyed by codigo_bairro."
    ),
    deps=(BAIRROS_RAW,),
    freshness=FreshnessPolicy.static(),
    schema=Schema(columns=(
        col("codigo_bairro", "int", "Official bairro code (CODIGO), unique."),
        col("id_bac", "int", "ID_BAC of the source."),
        col("nome", "string", "Bairro name."),
        col("tipo", "string", "Feature type (Bairro)."),
        col("area_km2", "double", "Area in km² as published."),
        col("perimetro_m", "double", "Perimeter in metres."),
        *polygon_columns("Bairro polygon"),
    )),
    checks=(
        Check.unique("codigo_bairro"),
        Check.not_null("codigo_bairro", "nome", "geometria_wkt"),
        Check.row_count(min=300, max=400),
        Check.range("area_km2", min=0, max=50),
    ),
    transform=Transform.python("spark.transforms.territorio:bairros"),
)
