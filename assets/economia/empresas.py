"""PBH Atividade Econômica: the register of establishments (filtered to restaurants and bars)."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import snapshot_date_column, utm_point_columns
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
        snapshot_file="pbh/*_atividade_economica*.csv",
        ckan=CkanResource(package="atividade-economica", name_pattern=r"^\d{8}_atividade_economica.*\.csv$"),
        selection="every",
        period_pattern=r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})_",
        periodic_snapshot=True,
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
        "Establishments of the companies register (restaurants and bars), typed, located in UTM and WGS84, "
        "one set of rows per periodic snapshot (data_snapshot; readers get the newest unless they ask for history). "
        "Names and CNPJ identify people for individual micro-entrepreneurs (LGPD): they are salted-hashed."
    ),
    deps=(EMPRESAS_RAW,),
    schema=Schema(columns=(
        col("id_estabelecimento", "bigint", "Establishment id (ID_ATIV_ECON_ESTABELECIMENTO).",
            source="ID_ATIV_ECON_ESTABELECIMENTO", nullable=False),
        col("cnae_principal", "string", "Main CNAE code, seven digits (the source writes 5611201.0).",
            source="CNAE_PRINCIPAL", rule="cnae"),
        col("descricao_cnae_principal", "string", "Main CNAE description.", source="DESCRICAO_CNAE_PRINCIPAL"),
        col("cnae", "string", "CNAE codes as published.", source="CNAE"),
        col("data_inicio_atividade", "date", "Start of activity (dd-mm-yyyy in the source).",
            source="DATA_INICIO_ATIVIDADE"),
        col("natureza_juridica", "string", "Legal nature.", source="NATUREZA_JURIDICA"),
        col("porte_empresa", "string", "Company size.", source="PORTE_EMPRESA"),
        col("area_utilizada", "double", "Area used, m².", source="AREA_UTILIZADA"),
        col("ind_simples", "boolean", "Opted into the Simples tax regime.", source="IND_SIMPLES"),
        col("ind_mei", "boolean", "Individual micro-entrepreneur (MEI).", source="IND_MEI"),
        col("ind_possui_alvara", "boolean", "Has an operating licence.", source="IND_POSSUI_ALVARA"),
        col("tipo_unidade", "string", "Unit type.", source="TIPO_UNIDADE"),
        col("forma_atuacao", "string", "Form of operation.", source="FORMA_ATUACAO"),
        col("desc_logradouro", "string", "Street type.", source="DESC_LOGRADOURO"),
        col("nome_logradouro", "string", "Street name.", source="NOME_LOGRADOURO"),
        col("numero_imovel", "string", "Street number.", source="NUMERO_IMOVEL"),
        col("complemento", "string", "Address complement.", source="COMPLEMENTO"),
        col("nome_bairro", "string", "Bairro name as the register writes it (not the official one).",
            source="NOME_BAIRRO"),
        col("nome", "string", "Legal name; a person's name for individual entrepreneurs.", pii=True, pii_handling="hash",
            source="NOME"),
        col("nome_fantasia", "string", "Trade name; may be a person's name.", pii=True, pii_handling="hash",
            source="NOME_FANTASIA"),
        col("cnpj", "string", "CNPJ; identifies the owner of an individual business.", pii=True, pii_handling="hash",
            source="CNPJ"),
        # a business without a point keeps null coordinates (a warning check)
        *utm_point_columns(point="GEOMETRIA"),
        snapshot_date_column(),
    )),
    checks=(
        Check.unique("id_estabelecimento", "data_snapshot"),
        Check.not_null("cnae_principal"),
        Check.accepted_values("cnae_principal", ("5611201", "5611203", "5611204", "5611205"), severity="warn"),
        Check.not_null("latitude", severity="warn", max_fraction=0.05),
        Check.row_count(min=1000),
    ),
    transform=Transform.python("spark.transforms.empresas:build"),
)
