"""Trends: accidents per month and regional; bus demand per line and day."""

from __future__ import annotations

from spark.context import TransformOutput

REGIONAL_UNKNOWN = "NAO INFORMADA"  # 501 reports of 2019 name no regional; they still count


def acidentes_mensal_regional(ctx) -> TransformOutput:
    from pyspark.sql import functions as F

    monthly = (
        ctx.table("acidentes")
        .where(F.col("data_boletim").isNotNull())
        .groupBy(F.trunc("data_boletim", "month").alias("mes_referencia"),
                 F.coalesce(F.col("regional"), F.lit(REGIONAL_UNKNOWN)).alias("regional"))
        .agg(F.count(F.lit(1)).cast("int").alias("acidentes"),
             F.sum(F.when(F.col("fatal"), 1).otherwise(0)).cast("int").alias("acidentes_fatais"))
        .withColumn("proporcao_fatais", F.col("acidentes_fatais") / F.col("acidentes"))
    )
    return TransformOutput(data=monthly)


def mco_linhas_diario(ctx) -> TransformOutput:
    from pyspark.sql import functions as F

    daily = (
        ctx.table("mco_viagens")
        .groupBy("data_viagem", "codigo_externo_linha")
        .agg(F.max("nome_linha").alias("nome_linha"),
             F.count(F.lit(1)).cast("int").alias("viagens"),
             F.sum("passageiros").cast("bigint").alias("passageiros"),
             (F.sum("distancia") / 1000.0).alias("distancia_km"))
    )
    return TransformOutput(data=daily)
