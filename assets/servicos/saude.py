"""PBH Área de Abrangência Saúde: health centres and the areas they serve."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import polygon_columns
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

SAUDE_RAW = raw_asset(
    name="area_abrangencia_saude_raw",
    domain="servicos",
    owner="smsa",
    description="Área de Abrangência Saúde: each health centre with the polygon it serves, as published.",
    freshness=FreshnessPolicy.yearly(),
    source=Source(
        kind="ckan",
        name="pbh",
        snapshot_file="pbh/area_abrangencia_saude.csv",
        ckan=CkanResource(package="area-de-abrangencia-saude", name_pattern=r"(?i)abrangencia.*saude"),
        parser=ParserOptions(encoding="utf-8", delimiter=";"),
        expected_columns=(
            "ID_AREA_ABRANGENCIA_SAUDE", "COD_SMSA", "NOME_AREA_ABRANGENCIA", "DISTRITO_SANITARIO",
            "NOME_CENTRO_SAUDE", "TIPO_LOGRADOURO_CS", "NOME_LOGRADOURO_CS", "NUMERO_IMOVEL_CS",
            "NOME_BAIRRO_POPULAR_CS", "TELEFONE_CENTRO_SAUDE", "DATA_ULTIMA_ATUALIZACAO", "GEOMETRIA",
        ),
    ),
)

SAUDE = Asset(
    name="centros_saude",
    zone="curated",
    domain="servicos",
    owner="smsa",
    description=(
        "Health centres (centros de saúde) with the area each one serves; the centre is placed at its "
        "area's representative point, as the source has no point for the building."
    ),
    deps=(SAUDE_RAW,),
    freshness=FreshnessPolicy.yearly(),
    schema=Schema(columns=(
        col("id_area", "int", "Coverage area id.", source="ID_AREA_ABRANGENCIA_SAUDE", nullable=False),
        col("codigo_smsa", "int", "Health secretariat code of the centre.", source="COD_SMSA"),
        col("nome_area", "string", "Coverage area name.", source="NOME_AREA_ABRANGENCIA"),
        col("distrito_sanitario", "string", "Health district.", source="DISTRITO_SANITARIO"),
        col("nome_centro_saude", "string", "Health centre name.", source="NOME_CENTRO_SAUDE"),
        col("tipo_logradouro", "string", "Street type of the centre.", source="TIPO_LOGRADOURO_CS"),
        col("logradouro", "string", "Street of the centre.", source="NOME_LOGRADOURO_CS"),
        col("numero_imovel", "string", "Street number of the centre.", source="NUMERO_IMOVEL_CS"),
        col("bairro_popular", "string", "Popular bairro of the centre.", source="NOME_BAIRRO_POPULAR_CS"),
        col("telefones", "string", "Phone numbers, comma-separated as published.", source="TELEFONE_CENTRO_SAUDE",
            rule="text_list"),
        col("data_ultima_atualizacao", "date", "Last update (dd-mm-yyyy in the source).",
            source="DATA_ULTIMA_ATUALIZACAO"),
        *polygon_columns("Coverage area", wkt="GEOMETRIA"),
    )),
    checks=(Check.unique("id_area"), Check.not_null("nome_centro_saude", "geometria_wkt"), Check.row_count(min=100)),
    transform=Transform.python("spark.transforms.servicos:centros_saude"),
)
