"""The Navigator's investment score, city-wide, from lake tables only."""

from assets.asset import Asset
from assets.checks import Check
from assets.freshness import FreshnessPolicy
from assets.schema import Schema, col
from assets.transform import Transform

CLASSES = ("OURO", "PRATA", "SATURADO")

APETITE_INVESTIDOR = Asset(
    name="apetite_investidor",
    zone="analytics",
    domain="economia",
    owner="navigator",
    description=(
        "apetite = (w_mobilidade·mobilidade_norm + w_renda·renda_norm + w_saturacao·(1 − saturacao_norm)) / "
        "(w_mobilidade + w_renda + w_saturacao), weights in params. Terms: mobilidade = (bus stops + "
        "stations) per km² (bairro_indicadores); renda = the Census 2022 average income of the persons "
        "responsible for the households (renda_bairro; the IQVU stays an indicator of bairro_indicadores); "
        "saturacao = restaurants and bars per km². Each term is scaled by percentile rank among the bairros "
        "that have all three: (average rank − 1) / (n − 1), ties sharing their average rank, 0 the lowest "
        "and 1 the highest, so one outlier (Senhor dos Passos' R$ 38,322 from one bad census tract) moves "
        "nothing but itself. Classes, from declared quantiles of the scored bairros: SATURADO where "
        "saturacao is at or above its params.quantil_saturado quantile; among the others, OURO where "
        "apetite is at or above their params.quantil_ouro quantile; PRATA the rest (quantiles by linear "
        "interpolation). posicao ranks the scored bairros by apetite, 1 the highest. A bairro lacking an "
        "input gets a null score and the reason in 'motivo', never a constant. The regional comes from "
        "bairro_indicadores."
    ),
    deps=("bairro_indicadores", "renda_bairro"),
    freshness=FreshnessPolicy.monthly(),
    params={
        "peso_mobilidade": 0.4,
        "peso_renda": 0.3,
        "peso_saturacao": 0.3,
        "quantil_saturado": 0.9,
        "quantil_ouro": 0.8,
    },
    schema=Schema(columns=(
        col("codigo_bairro", "int", "Official bairro code."),
        col("nome_bairro", "string", "Official bairro name."),
        col("regional", "string", "Administrative region (bairro_indicadores)."),
        col("mobilidade", "double", "Bus stops and stations per km²."),
        col("renda_media_responsavel", "double",
            "Census 2022 average monthly income of the persons responsible for the households, R$ (renda_bairro)."),
        col("saturacao", "double", "Restaurants and bars per km²."),
        col("mobilidade_norm", "double", "Mobility as a percentile rank, 0-1."),
        col("renda_norm", "double", "Income as a percentile rank, 0-1."),
        col("saturacao_norm", "double", "Saturation as a percentile rank, 0-1."),
        col("apetite", "double", "The score, 0-1; null when an input is missing."),
        col("posicao", "int", "Rank by apetite among the scored bairros, 1 the highest; null without a score."),
        col("classe", "string", "OURO, PRATA or SATURADO; null when the score is null."),
        col("motivo", "string", "Why the score is null (which input is missing); null when scored."),
    )),
    checks=(
        Check.unique("codigo_bairro"),
        Check.accepted_values("classe", CLASSES),
        Check.range("apetite", min=0, max=1),
        Check.range("renda_norm", min=0, max=1),
        Check.expression("classe_ou_motivo", "classe IS NOT NULL OR motivo IS NOT NULL"),
        Check.expression("posicao_com_nota", "(posicao IS NULL) = (apetite IS NULL)"),
    ),
    transform=Transform.python("spark.transforms.apetite:build"),
)
