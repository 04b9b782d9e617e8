"""PBH IQVU: Índice de Qualidade de Vida Urbana by planning unit (UP), 1994-2016."""

from assets.asset import Asset
from assets.checks import Check
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.names import unique_snake_names
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

IQVU_KEYS = ("SERIE", "ANO", "CODUP", "NOMEUP")
IQVU_INDICATORS = (
    "Hiper_e_Supermercados_M2_hab", "Hiper_e_Supermercados_estabelecimentos_hab", "Mercearias_e_similares_M2_hab",
    "Mercearias_e_similares_estabelecimentos_hab", "Restaurantes_e_similares", "Abrangencia_tiragem_de_publicacões_locais",
    "Bens_Tombados", "Distribuicao_de_equipamentos_culturais", "Livrarias_e_papelarias_M2_hab", "Locadoras",
    "Banca_de_revista", "Matricula_na_Educacao_Infantil", "Matricula_no_Ensino_Fundamental",
    "Tamanho_das_turmas_no_Ensino_Fundamental", "indice_de_Aproveitamento_no_Ensino_Fundamental",
    "Matricula_no_Ensino_Medio", "Tamanho_das_turmas_no_ensino_medio", "indice_de_Aproveitamento_no_Ensino_Medio",
    "Quadras_campos_e_pistas_de_cooper", "area_residencial_adequada", "Padrao_de_acabamento",
    "Seguranca_do_Terreno_indice_de_risco_geologico_efetivo", "indice_de_Salubridade_Ambiental", "agua_tratada",
    "Rede_de_Esgoto", "Fornecimento_de_Energia_Eletrica", "Possibilidade_de_acesso_Pavimentacao",
    "Numero_de_veiculos_por_habitante", "Frequencia_das_linhas_por_UP", "Conforto_idade_media_da_frota",
    "Tranquilidade_sonora", "Ausencia_de_coletivos_poluidores", "area_de_verde__por_habitante",
    "Disponibilidade_de_leitos", "Centros_de_saude", "Outros_equipamentos_de_assistencia_medica_m2_habitante",
    "Equipamentos_odontologicos_m2_habitante", "Outros_equipamentos_de_assistencia_medica_estabelecimento_hab",
    "Equipamentos_odontologicos_estabelecimento_habitante", "APVP", "Agencias_bancarias", "Postos_de_gasolina",
    "Farmacias", "Espacos_publicos_para_inclusao_digital", "Correios", "Telefones_Publicos", "Bancas_de_revista",
    "Ausencia_de_criminalidade_homicidios", "Ausencia_de_tentativas_de_homicidio",
    "Ausencia_de_crimes_contra_a_pessoa_tentados_e_consumados", "Ausencia_de_crimes_contra_o_patrimônio_roubo_e_furto",
    "Ausencia_de_furto_de_veiculos", "Ausencia_de_acidentes_de_trânsito", "IOL_1_Abastecimento", "IOL_2_Cultura",
    "IOL_3_Educacao", "IOL_4_Esportes", "IOL_5_Habitacao", "IOL_6_Infra-estrutura_urbana", "IOL_7_Meio_Ambiente",
    "IOL_8_Saude", "IOL_9_Servicos_Urbanos", "IOL_10_Seguranca_urbana", "IQVU_1_Abastecimento", "IQVU_2_Cultura",
    "IQVU_3_Educacao", "IQVU_4_Esportes", "IQVU_5_Habitacao", "IQVU_6_Infra-estrutura_urbana", "IQVU_7_Meio_Ambiente",
    "IQVU_8_Saude", "IQVU_9_Servicos_Urbanos", "IQVU_10_Seguranca_urbana", "IOL", "IQVU",
)

IQVU_RAW = raw_asset(
    name="iqvu_raw",
    domain="territorio",
    owner="smpu",
    description="IQVU by planning unit and year, as published: a UTF-8 BOM followed by Latin-1 bytes, decimal commas.",
    freshness=FreshnessPolicy.static(),
    source=Source(
        kind="ckan",
        name="pbh",
        snapshot_file="pbh/iqvu_por_up.csv",
        ckan=CkanResource(package="indice-de-qualidade-de-vida-urbana-iqvu", name_pattern=r"(?i)iqvu.*up"),
        parser=ParserOptions(encoding="bom+iso-8859-1", delimiter=";", decimal_comma=True, line_terminator="\r\n"),
        expected_columns=IQVU_KEYS + IQVU_INDICATORS,
    ),
)

_INDICATOR_NAMES = unique_snake_names(IQVU_INDICATORS)

IQVU = Asset(
    name="iqvu",
    zone="curated",
    domain="territorio",
    owner="smpu",
    description=(
        "IQVU (urban quality of life index, 0-1) and its 75 component indicators by planning unit (UP) and "
        "year. UP names are not bairro names; see iqvu_bairro for the mapping."
    ),
    deps=(IQVU_RAW,),
    freshness=FreshnessPolicy.static(),
    schema=Schema(columns=(
        col("serie", "string", "Series label as published.", source="SERIE"),
        col("ano_referencia", "int", "Reference year of the index.", source="ANO", nullable=False),
        col("codigo_up", "int", "Planning unit code (CODUP).", source="CODUP", nullable=False),
        col("nome_up", "string", "Planning unit name (e.g. ANCHIETA SION).", source="NOMEUP"),
        *(col(name, "double", f"Indicator '{header}' (decimal comma in the source; empty = missing).", source=header)
          for name, header in zip(_INDICATOR_NAMES, IQVU_INDICATORS)),
    )),
    checks=(
        Check.not_null("codigo_up", "ano_referencia"),
        Check.unique("serie", "codigo_up", "ano_referencia"),  # 2006-2016 appear in both series
        Check.range("iqvu", min=0, max=1),
        Check.row_count(min=500),
    ),
    transform=Transform.python("spark.transforms.territorio:iqvu"),
)
