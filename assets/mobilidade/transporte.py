"""Public transport infrastructure: BHBUS/MOVE stations and the GTFS stops."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import utm_point_columns, wgs84_point_columns
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

ESTACOES_RAW = raw_asset(
    name="estacoes_onibus_raw",
    domain="mobilidade",
    owner="bhtrans",
    description="Estações de ônibus (BHBUS/MOVE), as published by PBH/BHTRANS.",
    freshness=FreshnessPolicy.yearly(),
    source=Source(
        kind="ckan",
        name="pbh",
        snapshot_file="pbh/estacao_onibus.csv",
        ckan=CkanResource(package="estacao-de-onibus", name_pattern=r"(?i)esta[cç][aã]o.*onibus.*\.csv$"),
        parser=ParserOptions(encoding="utf-8", delimiter=";"),
        expected_columns=(
            "ID_ESTPB", "NOME", "TIPO", "CORREDOR_MOVE", "EIXO_MOVE", "SISTEMA_TRONCAL",
            "INTEGRACAO_FISICA_METRO", "SITUACAO", "GESTOR", "GEOMETRIA",
        ),
    ),
)

ESTACOES = Asset(
    name="estacoes_onibus",
    zone="curated",
    domain="mobilidade",
    owner="bhtrans",
    description="Bus stations of the BHBUS/MOVE system with their location in UTM and WGS84.",
    deps=(ESTACOES_RAW,),
    freshness=FreshnessPolicy.yearly(),
    schema=Schema(columns=(
        col("id_estacao", "int", "Station id (ID_ESTPB).", source="ID_ESTPB", nullable=False),
        col("nome", "string", "Station name.", source="NOME"),
        col("tipo", "string", "Station type.", source="TIPO"),
        col("corredor_move", "string", "MOVE corridor.", source="CORREDOR_MOVE"),
        col("eixo_move", "string", "MOVE axis.", source="EIXO_MOVE"),
        col("sistema_troncal", "string", "Trunk system.", source="SISTEMA_TRONCAL"),
        col("integracao_fisica_metro", "boolean", "Physical integration with the metro.",
            source="INTEGRACAO_FISICA_METRO"),
        col("situacao", "string", "Operating status.", source="SITUACAO"),
        col("gestor", "string", "Managing body.", source="GESTOR"),
        *utm_point_columns(point="GEOMETRIA", required=True),
    )),
    checks=(Check.unique("id_estacao"), Check.not_null("latitude", "longitude"), Check.row_count(min=10)),
    transform=Transform.python("spark.transforms.transporte:estacoes"),
)

GTFS_STOPS_RAW = raw_asset(
    name="gtfs_paradas_raw",
    domain="mobilidade",
    owner="bhtrans",
    description="BHTRANS GTFS feed, stops.txt, as published.",
    freshness=FreshnessPolicy.yearly(),
    source=Source(
        kind="ckan",
        name="bhtrans",
        snapshot_file="bhtrans/gtfs_bhtransit_stops.txt",
        ckan=CkanResource(package="gtfs-estatico-do-sistema-convencional", name_pattern=r"(?i)stops", formats=("TXT", "CSV")),
        parser=ParserOptions(encoding="utf-8-sig", delimiter=",", line_terminator="\r\n", values_padded=True),
        expected_columns=("stop_id", "stop_name", "stop_desc", "stop_lon", "stop_lat", "location_type", "parent_station"),
    ),
)

GTFS_STOPS = Asset(
    name="paradas_onibus",
    zone="curated",
    domain="mobilidade",
    owner="bhtrans",
    description="Bus stops of the GTFS feed with WGS84 and UTM coordinates (UTM for spatial joins with the bairros).",
    deps=(GTFS_STOPS_RAW,),
    freshness=FreshnessPolicy.yearly(),
    schema=Schema(columns=(
        col("stop_id", "string", "GTFS stop id (kept as text: leading zeros matter).", source="stop_id",
            nullable=False),
        col("stop_name", "string", "Stop name.", source="stop_name"),
        col("stop_desc", "string", "Stop description (address).", source="stop_desc"),
        col("location_type", "int", "GTFS location type (null = stop).", source="location_type"),
        col("parent_station", "string", "GTFS parent station.", source="parent_station"),
        *wgs84_point_columns(latitude="stop_lat", longitude="stop_lon"),
    )),
    checks=(
        Check.unique("stop_id"),
        Check.not_null("latitude", "longitude"),
        Check.range("latitude", min=-20.2, max=-19.6),
        Check.range("longitude", min=-44.3, max=-43.7),
    ),
    transform=Transform.python("spark.transforms.transporte:paradas"),
)
