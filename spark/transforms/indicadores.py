"""Analytics per official bairro: the IQVU mapped by name, and the indicators from spatial joins."""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.frames import ddl, output_columns
from spark.transforms.iqvu_mapping import UpIndex, map_bairros

# Point layers placed in bairros, with where their UTM point comes from.
POINT_LAYERS = {
    "paradas_onibus": ("paradas_onibus", "coordenada_x", "coordenada_y"),
    "estacoes_onibus": ("estacoes_onibus", "coordenada_x", "coordenada_y"),
    "restaurantes_bares": ("empresas", "coordenada_x", "coordenada_y"),
    "acidentes_com_vitima": ("acidentes", "coordenada_x", "coordenada_y"),
    # Polygons are placed by their representative point (inside the polygon), stored in WGS84.
    "centros_saude": ("centros_saude", "centroide_lon", "centroide_lat"),
    "parques": ("parques", "centroide_lon", "centroide_lat"),
}


def iqvu_bairro(ctx) -> TransformOutput:
    bairros = [(r.codigo_bairro, r.nome) for r in ctx.table("bairros").select("codigo_bairro", "nome").collect()]
    rows = [
        UpIndex(r.codigo_up, r.nome_up, r.ano_referencia, r.iqvu, r.serie)
        for r in ctx.table("iqvu").select("codigo_up", "nome_up", "ano_referencia", "iqvu", "serie").collect()
    ]
    mapped = map_bairros(sorted(bairros), rows)
    data = ctx.spark.createDataFrame(mapped, ddl(output_columns(ctx.asset)))
    counts = {m: sum(1 for r in mapped if r["metodo"] == m) for m in ("nome_exato", "nome_contido", "sem_correspondencia")}
    return TransformOutput(data=data, notes={"bairros_por_metodo": counts})


def _layer_points(ctx):
    """One DataFrame (layer, x, y) in UTM for every point layer, so one spatial pass places them all."""
    from functools import reduce

    from pyspark.sql import functions as F

    frames = []
    for layer, (table, x, y) in POINT_LAYERS.items():
        frames.append(ctx.table(table).select(
            F.lit(layer).alias("layer"), F.col(x).cast("double").alias("x"), F.col(y).cast("double").alias("y"),
            F.lit(x.startswith("centroide")).alias("wgs84"),
        ))
    return reduce(lambda a, b: a.unionByName(b), frames)


def _located(points, polygons):
    """(layer, x, codigo_bairro) in one Python pass: WGS84 points to UTM, then the STRtree lookup."""
    from spark.parsing.geo import wgs84_to_utm
    from spark.spatial import locate

    def place(batches):
        import pandas as pd

        for batch in batches:
            wgs = batch["wgs84"].astype(bool)
            if wgs.any():
                ux, uy = wgs84_to_utm(batch.loc[wgs, "x"], batch.loc[wgs, "y"])
                batch.loc[wgs, "x"], batch.loc[wgs, "y"] = ux, uy
            batch["codigo_bairro"] = pd.array(locate(batch["x"], batch["y"], polygons), dtype="Int64")
            yield batch[["layer", "x", "codigo_bairro"]]

    return points.mapInPandas(place, "layer string, x double, codigo_bairro int")


def bairro_indicadores(ctx) -> TransformOutput:
    import pandas as pd

    from pyspark.sql import functions as F

    from spark.spatial import apportion, broadcast_polygons, overlaps

    bairros = ctx.table("bairros").select("codigo_bairro", "nome", "area_km2", "geometria_wkt").toPandas()
    polygons = broadcast_polygons(ctx.spark, list(zip(bairros["codigo_bairro"].astype(int), bairros["geometria_wkt"])))

    located = _located(_layer_points(ctx), polygons)
    counts = (located.groupBy("layer", "codigo_bairro")
              .agg(F.count(F.lit(1)).alias("n"), F.count("x").alias("with_xy")).toPandas())
    population = (apportion(ctx.table("populacao_2022"), polygons, "codigo_bairro", "geometria_wkt", "populacao")
                  .groupBy("codigo_bairro").agg(F.sum("share").alias("populacao")).toPandas())
    iqvu = ctx.table("iqvu_bairro").select("codigo_bairro", "iqvu").toPandas()
    health = ctx.table("centros_saude").select("id_area", "distrito_sanitario", "geometria_wkt")
    districts = overlaps(health, polygons, "id_area", "geometria_wkt", "codigo_bairro").toPandas().merge(
        health.select("id_area", "distrito_sanitario").toPandas(), on="id_area")

    inside = counts[counts["codigo_bairro"].notna()]
    table = bairros[["codigo_bairro", "nome", "area_km2"]].rename(columns={"nome": "nome_bairro"})
    for layer in POINT_LAYERS:
        per = inside[inside["layer"] == layer].set_index("codigo_bairro")["n"]
        table[layer] = table["codigo_bairro"].map(per).fillna(0).astype("int64")
    pop = population[population["codigo_bairro"].notna()].set_index("codigo_bairro")["populacao"]
    table["populacao"] = table["codigo_bairro"].map(pop).fillna(0.0)
    table["densidade_hab_km2"] = (table["populacao"] / table["area_km2"]).where(table["area_km2"] > 0)
    table["acidentes_por_10k_hab"] = (table["acidentes_com_vitima"] * 10_000 / table["populacao"]).where(table["populacao"] > 0)
    table["iqvu"] = table["codigo_bairro"].map(iqvu.set_index("codigo_bairro")["iqvu"])
    regional = largest_overlap(districts, "codigo_bairro", "distrito_sanitario")
    table["regional"] = table["codigo_bairro"].map(regional["distrito_sanitario"])

    columns = output_columns(ctx.asset)
    table = table[[name for name, _ in columns]].astype({"populacao": "float64"})
    data = ctx.spark.createDataFrame(table.where(pd.notna(table), None), ddl(columns))
    notes = _notes(counts, population)
    notes["bairros_sem_regional"] = int(table["regional"].isna().sum())
    return TransformOutput(data=data, notes=notes)


def largest_overlap(pairs, key: str, label: str):
    """Per ``key``: the ``label`` with the largest summed overlap area, and that area's share of the
    labelled overlaps (ties: the label first in order). ``pairs`` holds area_sobreposta_m2."""
    placed = pairs[pairs[key].notna() & pairs[label].notna()]
    if placed.empty:
        import pandas as pd

        return pd.DataFrame(columns=[label, "share"])
    summed = placed.groupby([key, label], as_index=False)["area_sobreposta_m2"].sum()
    summed["share"] = summed["area_sobreposta_m2"] / summed.groupby(key)["area_sobreposta_m2"].transform("sum")
    summed = summed.sort_values([key, "area_sobreposta_m2", label], ascending=[True, False, True])
    best = summed.drop_duplicates(key).astype({key: "int64"})
    return best.set_index(key)[[label, "share"]]


def _notes(counts, population) -> dict:
    """Points outside every bairro and points without coordinates, per layer; population outside."""
    outside = counts[counts["codigo_bairro"].isna()]
    notes = {
        "points_outside_bairros": {
            layer: int(outside.loc[outside["layer"] == layer, "with_xy"].sum()) for layer in POINT_LAYERS
        },
        "points_without_coordinates": {
            layer: int((outside.loc[outside["layer"] == layer, "n"] - outside.loc[outside["layer"] == layer, "with_xy"]).sum())
            for layer in POINT_LAYERS
        },
        "populacao_fora_de_bairros": round(float(population.loc[population["codigo_bairro"].isna(), "populacao"].sum()), 1),
    }
    notes["points_outside_bairros_total"] = sum(notes["points_outside_bairros"].values())
    return notes
