"""IBGE Censo 2022: households and the income of the person responsible, per IBGE bairro."""

from assets.asset import Asset
from assets.checks import Check
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.schema import Schema, col
from assets.source import FtpLocation, ParserOptions, Source
from assets.transform import Transform

# IBGE's FTP folder of the income aggregates; the file name carries IBGE's publication date and
# changes when IBGE republishes the table.
IBGE_FTP_FOLDER = "/Censos/Censo_Demografico_2022/Agregados_por_Setores_Censitarios_Rendimento_do_Responsavel"
IBGE_FTP_FILE = "Agregados_por_bairros_renda_responsavel_BR_20260508_csv.zip"

RENDA_RAW = raw_asset(
    name="renda_responsavel_bairro_2022_raw",
    domain="territorio",
    owner="ibge",
    description=(
        "IBGE, Censo Demográfico 2022, 'Agregados por bairros – rendimento do responsável': per IBGE bairro "
        "the responsible persons (V06001), residents (V06002) and the average monthly income of the "
        "responsible persons in R$ (V06004), with variances (V06003, V06005). Online it lands from IBGE's FTP "
        "server as IBGE publishes it, the national file zipped (every municipality's bairros): the raw zone "
        "keeps a source's bytes as published, so the landed file is IBGE's own and checks against it, and "
        "the curated step keeps Belo Horizonte's rows (CD_BAIRRO 3106200xxx). Offline the snapshot holds "
        "an extract of the national file's Belo Horizonte rows. Fonte: IBGE, Censo Demográfico 2022."
    ),
    freshness=FreshnessPolicy.static(),
    source=Source(
        kind="ftp",
        name="ibge",
        snapshot_file="ibge/agregados_bairros_renda_responsavel_2022_bh.csv",
        # IBGE's server takes anonymous logins: the secret holds {"username": "anonymous", "password": ""}.
        ftp=FtpLocation(host="ftp.ibge.gov.br", path=f"{IBGE_FTP_FOLDER}/{IBGE_FTP_FILE}", secret="ibge_ftp"),
        parser=ParserOptions(encoding="utf-8", delimiter=";", decimal_comma=True),
        expected_columns=("CD_BAIRRO", "NM_BAIRRO", "V06001", "V06002", "V06003", "V06004", "V06005"),
    ),
)

RENDA_RESPONSAVEL = Asset(
    name="renda_responsavel_2022",
    zone="curated",
    domain="territorio",
    owner="ibge",
    description=(
        "Census 2022 per IBGE bairro of Belo Horizonte: households (responsible persons), residents and the "
        "average monthly income of the person responsible for the household (R$), as IBGE publishes them "
        "(decimal commas; 'X', IBGE's mark for a value withheld for confidentiality, read as null). Only "
        "Belo Horizonte's rows are kept (municipality 3106200). IBGE's bairros are PBH's 'popular' bairros "
        "of populacao_2022, not the official ones; renda_bairro carries the income onto the official "
        "bairros. One bad census tract makes Senhor dos Passos read R$ 38,322."
    ),
    deps=(RENDA_RAW,),
    freshness=FreshnessPolicy.static(),
    schema=Schema(columns=(
        col("codigo_bairro_ibge", "bigint", "IBGE bairro code (CD_BAIRRO): the municipality code and three digits."),
        col("codigo_municipio", "int", "IBGE municipality code (3106200, Belo Horizonte)."),
        col("nome_bairro", "string", "IBGE bairro name (NM_BAIRRO), a PBH 'popular' bairro name."),
        col("responsaveis", "int", "Persons responsible for a household (V06001): one per occupied household."),
        col("moradores", "int", "Residents of those households (V06002)."),
        col("variancia_moradores", "double", "Variance of the residents per household (V06003)."),
        col("renda_media_responsavel", "double", "Average monthly income of the responsible persons, R$ (V06004)."),
        col("variancia_renda", "double", "Variance of that income (V06005)."),
    )),
    checks=(
        Check.unique("codigo_bairro_ibge"),
        Check.not_null("codigo_bairro_ibge", "nome_bairro"),
        Check.expression("so_belo_horizonte", "codigo_municipio = 3106200"),
        Check.range("renda_media_responsavel", min=0),
        Check.range("responsaveis", min=0),
        Check.row_count(min=400, max=600),
    ),
    transform=Transform.python("spark.transforms.renda:renda_responsavel"),
)
