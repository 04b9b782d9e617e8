"""Indicators per official bairro, and the IQVU mapped onto the bairros."""

from assets.asset import Asset
from assets.checks import Check
from assets.freshness import FreshnessPolicy
from assets.mobilidade.acidentes import REGIONAIS
from assets.schema import Schema, col
from assets.transform import Transform

IQVU_BAIRRO = Asset(
    name="iqvu_bairro",
    zone="analytics",
    domain="territorio",
    owner="smpu",
    description=(
        "The newest IQVU of the planning unit (UP) each official bairro belongs to. The IQVU has no "
        "geometry, so the mapping is by name, accents, case and punctuation folded: 'nome_exato' when the "
        "names are equal; else 'nome_contido' when exactly one UP's name contains the bairro's name as whole "
        "words, as one of its '/'-separated parts ('Sion' in 'Anchieta/Sion') or, for names of two words or "
        "more, anywhere ('São João' in 'Sao Joao Batista'); a one-word name inside a longer part ('Maria' in "
        "'Santa Maria') is another place. Bairros that match no UP, or several, keep a null IQVU rather than "
        "a guess ('sem_correspondencia'). Each UP contributes its newest year; where that year has two series, "
        "'NOVA SERIE' wins."
    ),
    deps=("bairros", "iqvu"),
    freshness=FreshnessPolicy.static(),
    schema=Schema(columns=(
        col("codigo_bairro", "int", "Official bairro code."),
        col("nome_bairro", "string", "Official bairro name."),
        col("codigo_up", "int", "Planning unit code the bairro maps to; null if none."),
        col("nome_up", "string", "Planning unit name."),
        col("ano_referencia", "int", "Year of the IQVU used (the newest)."),
        col("iqvu", "double", "IQVU of the planning unit (0-1)."),
        col("metodo", "string", "How the bairro was mapped: 'nome_exato', 'nome_contido' or 'sem_correspondencia'."),
    )),
    checks=(
        Check.unique("codigo_bairro"),
        Check.accepted_values("metodo", ("nome_exato", "nome_contido", "sem_correspondencia")),
        Check.range("iqvu", min=0, max=1),
    ),
    transform=Transform.python("spark.transforms.indicadores:iqvu_bairro"),
)

BAIRRO_INDICADORES = Asset(
    name="bairro_indicadores",
    zone="analytics",
    domain="territorio",
    owner="navigator",
    description=(
        "One row per official bairro: area, population (census polygons apportioned by area overlap), "
        "density, bus stops and stations, restaurants and bars, health centres, parks, accidents with "
        "victims (total and per 10,000 residents), the IQVU where it maps, and the regional (the nine "
        "administrative regions): the health district (DISTRITO_SANITARIO of centros_saude) whose coverage "
        "polygons overlap the bairro most by area. Points are placed in bairros by a point-in-polygon join "
        "in UTM; points outside every bairro are counted, not dropped silently."
    ),
    deps=("bairros", "populacao_2022", "paradas_onibus", "estacoes_onibus", "empresas", "centros_saude",
          "parques", "acidentes", "iqvu_bairro"),
    freshness=FreshnessPolicy.monthly(),
    schema=Schema(columns=(
        col("codigo_bairro", "int", "Official bairro code."),
        col("nome_bairro", "string", "Official bairro name."),
        col("regional", "string", "Administrative region: the health district overlapping the bairro most by area."),
        col("area_km2", "double", "Area in km²."),
        col("populacao", "double", "Residents in 2022, apportioned from census polygons by overlap area."),
        col("densidade_hab_km2", "double", "Residents per km²."),
        col("paradas_onibus", "int", "GTFS bus stops inside the bairro."),
        col("estacoes_onibus", "int", "BHBUS/MOVE stations inside the bairro."),
        col("restaurantes_bares", "int", "Restaurants and bars inside the bairro."),
        col("centros_saude", "int", "Health centres whose representative point is inside the bairro."),
        col("parques", "int", "Parks whose representative point is inside the bairro."),
        col("acidentes_com_vitima", "int", "Accidents with victims located inside the bairro."),
        col("acidentes_por_10k_hab", "double", "Accidents with victims per 10,000 residents; null without residents."),
        col("iqvu", "double", "IQVU of the bairro's planning unit, where it maps."),
    )),
    checks=(
        Check.unique("codigo_bairro"),
        Check.not_null("codigo_bairro", "area_km2", "regional"),
        Check.accepted_values("regional", REGIONAIS),
        Check.range("populacao", min=0),
        Check.row_count(min=300),
    ),
    transform=Transform.python("spark.transforms.indicadores:bairro_indicadores"),
)
