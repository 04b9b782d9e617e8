"""PBH Atividade Econômica: the register of establishments (filtered to restaurants and bars)."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import utm_point_columns
from assets.declare import raw_asset
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

EMPRESAS_RAW = raw_asset(
    name="atividade_economica_raw",
    domain="economia",
    owner="smfaz",
    description=(
        "Atividade Econômica (companies register), the periodic snapshot YYYYMMDD_atividade_economica*.csv; "
        "the snapshot we hold is filtered to CNAE 5611201/5611204 (restaurants, bars)."
    ),
    source=Source(
        kind="ckan",
        name="pbh",
        snapshot_file="pbh/20250401_atividade_economica_restaurantes_bares.csv",
        ckan=CkanResource(package="atividade-economica", name_pattern=r"^\d{8}_atividade_economica.*\.csv$"),
        parser=ParserOptions(encoding="utf-8", delimiter=";"),
        expected_columns=(
            "ID_ATIV_ECON_ESTABELECIMENTO", "CNAE_PRINCIPAL", "DESCRICAO_CNAE_PRINCIPAL", "CNAE",
            "DATA_INICIO_ATIVIDADE", "NATUREZA_JURIDICA", "PORTE_EMPRESA", "AREA_UTILIZADA", "IND_SIMPLES",
            "IND_MEI", "IND_POSSUI_ALVARA", "TIPO_UNIDADE", "FORMA_ATUACAO", "DESC_LOGRADOURO", "NOME_LOGRADOURO",
            "NUMERO_IMOVEL", "COMPLEMENTO", "NOME_BAIRRO", "NOME", "NOME_FANTASIA", "CNPJ", "GEOMETRIA",
        ),
    ),
)

EMPRESAS = Asset(
    name="empresas",
    zone="curated",
    domain="economia",
    owner="smfaz",
    description=(
        "Establishments of the companies register (restaurants and bars), typed, located in UTM and WGS84. "
        "Names and CNPJ identify people for individual micro-entrepreneurs (LGPD): they are salted-hashed."
    ),
    deps=(EMPRESAS_RAW,),
    schema=Schema(columns=(
        col("id_estabelecimento", "bigint", "Establishment id (ID_ATIV_ECON_ESTABELECIMENTO)."),
        col("cnae_principal", "string", "Main CNAE code, seven digits (the source writes 5611201.0)."),
        col("descricao_cnae_principal", "string", "Main CNAE description."),
        col("cnae", "string", "CNAE codes as published."),
        col("data_inicio_atividade", "date", "Start of activity."),
        col("natureza_juridica", "string", "Legal nature."),
        col("porte_empresa", "string", "Company size."),
        col("area_utilizada", "double", "Area used, m²."),
        col("ind_simples", "boolean", "Opted into the Simples tax regime."),
        col("ind_mei", "boolean", "Individual micro-entrepreneur (MEI)."),
        col("ind_possui_alvara", "boolean", "Has an operating licence."),
        col("tipo_unidade", "string", "Unit type."),
        col("forma_atuacao", "string", "Form of operation."),
        col("desc_logradouro", "string", "Street type."),
        col("nome_logradouro", "string", "Street name."),
        col("numero_imovel", "string", "Street number."),
        col("complemento", "string", "Address complement."),
        col("nome_bairro", "string", "Bairro name as the register writes it (not the official one)."),
        col("nome", "string", "Legal name; a person's name for individual entrepreneurs.", pii=True, pii_handling="hash"),
        col("nome_fantasia", "string", "Trade name; may be a person's name.", pii=True, pii_handling="hash"),
        col("cnpj", "string", "CNPJ; identifies the owner of an individual business.", pii=True, pii_handling="hash"),
        *utm_point_columns(),
    )),
    checks=(
        Check.unique("id_estabelecimento"),
        Check.not_null("cnae_principal"),
        Check.accepted_values("cnae_principal", ("5611201", "5611203", "5611204", "5611205"), severity="warn"),
        Check.not_null("latitude", severity="warn", max_fraction=0.05),
        Check.row_count(min=1000),
    ),
    transform=Transform.python("spark.transforms.empresas:build"),
)
