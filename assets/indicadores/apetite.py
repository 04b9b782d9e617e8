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
        "apetite = w_mobilidade·mobility + w_renda·income + w_saturacao·(1 − saturation), each term min-max "
        "scaled over the official bairros. mobility = (bus stops + stations) per km²; income proxy = the "
        "bairro's IQVU (see iqvu_bairro); saturation = restaurants and bars per km². Class SATURADO for the "
        "bairros at or above the saturation quantile, OURO for apetite ≥ the gold threshold, PRATA otherwise. "
        "A bairro lacking an input gets a null score and the reason in 'motivo', never a constant."
    ),
    deps=("bairro_indicadores",),
    freshness=FreshnessPolicy.monthly(),
    params={
        "peso_mobilidade": 0.4,
        "peso_renda": 0.3,
        "peso_saturacao": 0.3,
        "limiar_ouro": 0.78,
        "quantil_saturado": 0.9,
    },
    schema=Schema(columns=(
        col("codigo_bairro", "int", "Official bairro code."),
        col("nome_bairro", "string", "Official bairro name."),
        col("mobilidade", "double", "Bus stops and stations per km²."),
        col("renda_proxy", "double", "Income proxy: the bairro's IQVU."),
        col("saturacao", "double", "Restaurants and bars per km²."),
        col("mobilidade_norm", "double", "Mobility min-max scaled to 0-1."),
        col("renda_norm", "double", "Income proxy min-max scaled to 0-1."),
        col("saturacao_norm", "double", "Saturation min-max scaled to 0-1."),
        col("apetite", "double", "The score, 0-1; null when an input is missing."),
        col("classe", "string", "OURO, PRATA or SATURADO; null when the score is null."),
        col("motivo", "string", "Why the score is null (which input is missing); null when scored."),
    )),
    checks=(
        Check.unique("codigo_bairro"),
        Check.accepted_values("classe", CLASSES),
        Check.range("apetite", min=0, max=1),
        Check.expression("classe_ou_motivo", "classe IS NOT NULL OR motivo IS NOT NULL"),
    ),
    transform=Transform.python("spark.transforms.apetite:build"),
)
