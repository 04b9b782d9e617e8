"""PBH Parques Municipais, from the CKAN datastore dump."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import polygon_columns
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

PARQUES_RAW = raw_asset(
    name="parques_raw",
    domain="servicos",
    owner="fpmzb",
    description="Parques Municipais as the CKAN datastore dump: UTF-8 with BOM, comma-separated, quoted WKT.",
    freshness=FreshnessPolicy.yearly(),
    source=Source(
        kind="ckan",
        name="pbh",
        snapshot_file="pbh/parques_municipais_datastore_dump.csv",
        ckan=CkanResource(package="parques-municipais", resource_id="7381ed01-48f9-4e52-a378-6afe947a7842"),
        parser=ParserOptions(encoding="utf-8-sig", delimiter=","),
        expected_columns=(
            "_id", "ID_UNIDADE_FPMZB", "NOME_UNIDADE_FPMZB", "IND_ABERTO_PUBLICO", "LEGISLACAO", "TIPO_LOGRADOURO",
            "LOGRADOURO", "NUMERO", "BAIRRO", "TELEFONE_PRINCIPAL", "GEOMETRIA",
        ),
    ),
)

PARQUES = Asset(
    name="parques",
    zone="curated",
    domain="servicos",
    owner="fpmzb",
    description="Municipal parks with their polygon, area and representative point.",
    deps=(PARQUES_RAW,),
    freshness=FreshnessPolicy.yearly(),
    schema=Schema(columns=(
        col("id_parque", "int", "Park id (ID_UNIDADE_FPMZB).", source="ID_UNIDADE_FPMZB", nullable=False),
        col("nome", "string", "Park name.", source="NOME_UNIDADE_FPMZB"),
        col("aberto_publico", "boolean", "Open to the public.", source="IND_ABERTO_PUBLICO"),
        col("legislacao", "string", "Founding legislation.", source="LEGISLACAO"),
        col("tipo_logradouro", "string", "Street type.", source="TIPO_LOGRADOURO"),
        col("logradouro", "string", "Street.", source="LOGRADOURO"),
        col("numero", "string", "Street number.", source="NUMERO"),
        col("bairro", "string", "Bairro as written by the source.", source="BAIRRO"),
        col("telefone", "string", "Main phone.", source="TELEFONE_PRINCIPAL"),
        col("area_m2", "double", "Polygon area in m² (computed in UTM)."),
        *polygon_columns("Park polygon", wkt="GEOMETRIA"),
    )),
    checks=(Check.unique("id_parque"), Check.not_null("nome", "geometria_wkt"), Check.row_count(min=50)),
    transform=Transform.python("spark.transforms.servicos:parques"),
)
