"""The investment score per official bairro (see the asset's description for the formula).

Computed on the driver: it needs city-wide statistics (ranks, quantiles) over 323 rows, and the
rules read best as plain arithmetic. Nothing is filled with a constant: a bairro without an input
keeps a null score and says which input it lacks.

``score`` builds the table from the indicators; ``classify`` is the part that depends on the
weights and thresholds (apetite, posicao, classe), so the Navigator's what-if panel re-scores with
the very same rule from the stored *_norm columns, without touching the lake. Neither imports
Spark: the app calls them.
"""

from __future__ import annotations

from typing import Any, Mapping

from spark.context import TransformOutput
from spark.parsing.frames import ddl, output_columns

TERMS = ("mobilidade", "renda", "saturacao")
RAW_TERM = {"mobilidade": "mobilidade", "renda": "renda_media_responsavel", "saturacao": "saturacao"}
WEIGHTS = {"mobilidade": "peso_mobilidade", "renda": "peso_renda", "saturacao": "peso_saturacao"}
NO_AREA = "sem área para calcular paradas, estações, restaurantes e bares por km²"
NO_INCOME = "sem renda do Censo 2022 (renda_bairro)"


def percentile_rank(values):
    """(average rank − 1) / (n − 1) over the present values: 0 the lowest, 1 the highest, ties
    sharing their average rank; missing values stay missing; a single value is 0.5."""
    present = values.notna()
    n = int(present.sum())
    out = values.astype("float64") * float("nan")
    if n == 0:
        return out
    if n == 1:
        return out.where(~present, 0.5)
    ranks = values[present].rank(method="average")
    out[present] = (ranks - 1.0) / (n - 1.0)
    return out


def score(frame, params: Mapping[str, Any]):
    """The score table from per-bairro inputs (a pandas frame with codigo_bairro, nome_bairro,
    regional, area_km2, paradas_onibus, estacoes_onibus, restaurantes_bares,
    renda_media_responsavel and motivo_renda); pure, for tests and the build."""
    out = frame[["codigo_bairro", "nome_bairro", "regional"]].copy()
    area = frame["area_km2"].where(frame["area_km2"] > 0)
    out["mobilidade"] = ((frame["paradas_onibus"] + frame["estacoes_onibus"]) / area).astype("float64")
    out["renda_media_responsavel"] = frame["renda_media_responsavel"].astype("float64")
    out["saturacao"] = (frame["restaurantes_bares"] / area).astype("float64")
    complete = out[[RAW_TERM[t] for t in TERMS]].notna().all(axis=1)
    for term in TERMS:
        out[f"{term}_norm"] = percentile_rank(out[RAW_TERM[term]].where(complete))
    out["motivo"] = [_reason(has_area, income, why) for has_area, income, why in
                     zip(area.notna(), out["renda_media_responsavel"].notna(), frame["motivo_renda"])]
    return classify(out, params)


def _reason(has_area: bool, has_income: bool, why_no_income) -> str | None:
    reasons = []
    if not has_area:
        reasons.append(NO_AREA)
    if not has_income:
        reasons.append(f"{NO_INCOME}: {why_no_income}" if isinstance(why_no_income, str) and why_no_income
                       else NO_INCOME)
    return "; ".join(reasons) or None


def classify(table, params: Mapping[str, Any]):
    """apetite, posicao and classe from the *_norm columns and saturacao, with these weights and
    quantiles; a copy of ``table``. Weights are relative: the score divides by their sum."""
    import numpy as np

    out = table.copy()
    weights = {term: float(params[WEIGHTS[term]]) for term in TERMS}
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("the three weights add up to zero: give at least one a positive weight")
    out["apetite"] = (
        weights["mobilidade"] * out["mobilidade_norm"]
        + weights["renda"] * out["renda_norm"]
        + weights["saturacao"] * (1.0 - out["saturacao_norm"])
    ) / total
    scored = out["apetite"].notna()
    out["posicao"] = out["apetite"].where(scored).rank(method="min", ascending=False).astype("Int64")
    saturated_from = out.loc[scored, "saturacao"].quantile(float(params["quantil_saturado"]))
    saturated = scored & (out["saturacao"] >= saturated_from)
    rest = scored & ~saturated
    gold_from = out.loc[rest, "apetite"].quantile(float(params["quantil_ouro"]))
    gold = rest & (out["apetite"] >= gold_from)
    out["classe"] = np.where(saturated, "SATURADO", np.where(gold, "OURO", np.where(scored, "PRATA", None)))
    out["classe"] = out["classe"].astype("object").where(scored, None)
    out.attrs["limiar_saturado"] = None if saturated_from != saturated_from else float(saturated_from)
    out.attrs["limiar_ouro"] = None if gold_from != gold_from else float(gold_from)
    return out


def _plain(value):
    """A cell as Spark takes it: None for every kind of missing, numpy scalars as Python ones."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def build(ctx) -> TransformOutput:
    indicators = ctx.table("bairro_indicadores").select(
        "codigo_bairro", "nome_bairro", "regional", "area_km2", "paradas_onibus", "estacoes_onibus",
        "restaurantes_bares",
    ).toPandas()
    renda = ctx.table("renda_bairro").select(
        "codigo_bairro", "renda_media_responsavel", "motivo").toPandas().rename(columns={"motivo": "motivo_renda"})
    inputs = indicators.merge(renda, on="codigo_bairro", how="left").sort_values("codigo_bairro")
    inputs["motivo_renda"] = inputs["motivo_renda"].where(
        inputs["codigo_bairro"].isin(renda["codigo_bairro"]), "o bairro não está em renda_bairro")
    table = score(inputs, ctx.params)
    columns = output_columns(ctx.asset)
    records = [
        {name: _plain(value) for name, value in row.items()}
        for row in table[[name for name, _ in columns]].astype(object).to_dict("records")
    ]
    data = ctx.spark.createDataFrame(records, ddl(columns))
    return TransformOutput(data=data, notes={
        "classes": {str(k): int(v) for k, v in table["classe"].value_counts().items()},
        "com_score": int(table["apetite"].notna().sum()),
        "sem_score": int(table["apetite"].isna().sum()),
        "limiar_saturado_por_km2": None if table.attrs["limiar_saturado"] is None
        else round(table.attrs["limiar_saturado"], 3),
        "limiar_ouro": None if table.attrs["limiar_ouro"] is None else round(table.attrs["limiar_ouro"], 4),
    })
