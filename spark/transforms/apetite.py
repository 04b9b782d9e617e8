"""The investment score per official bairro (see the asset's description for the formula).

Computed on the driver: it needs city-wide statistics (min, max, a quantile) over 323 rows, and
the rules read best as plain arithmetic. Nothing is filled with a constant: a bairro without an
input keeps a null score and says which input it lacks.
"""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.frames import ddl, output_columns

MISSING_REASONS = {
    "mobilidade": "sem área para calcular paradas e estações por km²",
    "renda_proxy": "sem IQVU: o nome do bairro não corresponde a uma unidade de planejamento (iqvu_bairro)",
    "saturacao": "sem área para calcular restaurantes e bares por km²",
}


def min_max(values):
    """Scale to 0-1 over the present values; a constant column scales to 0 (no bairro stands out)."""
    present = values.dropna()
    if present.empty:
        return values
    low, high = present.min(), present.max()
    if high == low:
        return values.where(values.isna(), 0.0)
    return (values - low) / (high - low)


def score(frame, params) -> "object":
    """The score table from bairro_indicadores rows (a pandas frame); pure, for tests and the build."""
    import numpy as np

    out = frame[["codigo_bairro", "nome_bairro"]].copy()
    area = frame["area_km2"].where(frame["area_km2"] > 0)
    out["mobilidade"] = (frame["paradas_onibus"] + frame["estacoes_onibus"]) / area
    out["renda_proxy"] = frame["iqvu"]
    out["saturacao"] = frame["restaurantes_bares"] / area
    for term in ("mobilidade", "renda_proxy", "saturacao"):
        out[f"{term.split('_')[0]}_norm"] = min_max(out[term].astype("float64"))
    out["apetite"] = (
        params["peso_mobilidade"] * out["mobilidade_norm"]
        + params["peso_renda"] * out["renda_norm"]
        + params["peso_saturacao"] * (1.0 - out["saturacao_norm"])
    )
    saturated_from = out["saturacao"].dropna().quantile(params["quantil_saturado"])
    scored = out["apetite"].notna()
    out["classe"] = np.where(
        ~scored, None,
        np.where(out["saturacao"] >= saturated_from, "SATURADO",
                 np.where(out["apetite"] >= params["limiar_ouro"], "OURO", "PRATA")),
    )
    out["motivo"] = [
        "; ".join(MISSING_REASONS[t] for t in MISSING_REASONS if _missing(row[t])) or None
        for _, row in out.iterrows()
    ]
    out.attrs["limiar_saturado"] = float(saturated_from)
    return out


def _missing(value) -> bool:
    import math

    return value is None or (isinstance(value, float) and math.isnan(value))


def build(ctx) -> TransformOutput:
    indicators = ctx.table("bairro_indicadores").select(
        "codigo_bairro", "nome_bairro", "area_km2", "paradas_onibus", "estacoes_onibus", "restaurantes_bares", "iqvu"
    ).toPandas().sort_values("codigo_bairro")
    table = score(indicators, ctx.params)
    columns = output_columns(ctx.asset)
    records = [
        {name: None if _missing(value) else value for name, value in row.items()}
        for row in table[[name for name, _ in columns]].to_dict("records")
    ]
    data = ctx.spark.createDataFrame(records, ddl(columns))
    return TransformOutput(data=data, notes={
        "classes": {str(k): int(v) for k, v in table["classe"].value_counts().items()},
        "sem_score": int(table["apetite"].isna().sum()),
        "limiar_saturado_por_km2": round(table.attrs["limiar_saturado"], 3),
    })
