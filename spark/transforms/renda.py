"""Census income: IBGE's table per IBGE bairro (curated), and the income per official bairro.

IBGE's bairros are PBH's 493 *popular* bairros, whose polygons we hold (populacao_2022), not the
323 official ones. So the income reaches an official bairro in two steps, both plain arithmetic
over a few hundred rows, computed on the driver:

1. **Names.** Each IBGE bairro finds its popular bairro by name, one to one: first the names
   equal once accents, case and punctuation are folded ('nome_exato'); then, among those left on
   both sides, equal once a leading 'Vila ' is also dropped ('sem_vila'); then the asset's declared
   mapping ('mapeamento', several IBGE bairros may feed one popular bairro, as 'Vila Santa Monica
   1ª Seção' and '2ª Seção' both feed 'Vila Santa Mônica'). Whatever is left has no polygon and
   is counted in the notes, never guessed.
2. **Polygons.** Each popular bairro's households (IBGE's responsible persons) are spread over
   the official bairros by the share of its area inside each (households assumed even over the
   polygon); an official bairro's income is the household-weighted mean of the incomes reaching
   it, and its coverage is the share of its area under popular bairros that carry census figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from spark.context import TransformOutput
from spark.parsing.frames import ddl, output_columns
from spark.parsing.names import fold
from spark.parsing.reader import read_delimited
from spark.parsing.record import Record, RowError

BELO_HORIZONTE = 3106200  # IBGE's municipality code; CD_BAIRRO is it followed by three digits
METHODS = ("nome_exato", "sem_vila", "mapeamento", "sem_correspondencia")


# -- curated: IBGE's table, one row per IBGE bairro -------------------------------------------

WITHHELD = "X"  # IBGE's mark for a value withheld for confidentiality


def _count(r: Record, name: str) -> int | None:
    return None if (r.text(name) or "").upper() == WITHHELD else r.int(name)


def _number(r: Record, name: str) -> float | None:
    return None if (r.text(name) or "").upper() == WITHHELD else r.float(name)


def ibge_row(r: Record) -> dict:
    codigo = r.require("CD_BAIRRO", r.int("CD_BAIRRO"))
    if codigo < 1_000_000_000:
        raise RowError(f"CD_BAIRRO: {codigo} is not a 10-digit IBGE bairro code")
    return {
        "codigo_bairro_ibge": codigo,
        "codigo_municipio": codigo // 1000,
        "nome_bairro": r.require("NM_BAIRRO", r.text("NM_BAIRRO")),
        "responsaveis": _count(r, "V06001"),
        "moradores": _count(r, "V06002"),
        "variancia_moradores": _number(r, "V06003"),
        "renda_media_responsavel": _number(r, "V06004"),
        "variancia_renda": _number(r, "V06005"),
    }


def renda_responsavel(ctx) -> TransformOutput:
    """IBGE's rows, typed; only Belo Horizonte's (the national file holds every municipality's)."""
    from pyspark.sql import functions as F

    parsed = read_delimited(ctx.spark, ctx.raw("renda_responsavel_bairro_2022_raw"), ctx.asset.name,
                            output_columns(ctx.asset), ibge_row)
    elsewhere = parsed.data.where(F.col("codigo_municipio") != BELO_HORIZONTE).count()
    data = parsed.data.where(F.col("codigo_municipio") == BELO_HORIZONTE)
    return TransformOutput(data=data, quarantine=parsed.quarantine,
                           notes={"linhas_de_outros_municipios": int(elsewhere)})


# -- step 1: IBGE bairro -> popular bairro, by name --------------------------------------------

def without_vila(name: str) -> str:
    folded = fold(name)
    return folded[5:] if folded.startswith("VILA ") else folded


@dataclass(frozen=True)
class NameMatch:
    codigo_bairro_ibge: int
    nome_ibge: str
    num_bairro: int | None
    nome_popular: str | None
    metodo: str


def match_names(ibge: Iterable[tuple[int, str]], popular: Iterable[tuple[int, str]],
                mapping: Mapping[str, str]) -> tuple[list[NameMatch], list[str]]:
    """Each IBGE bairro's popular bairro (see the module's docstring), and the mapping entries
    that matched nothing (an IBGE or popular name the files no longer hold)."""
    ibge = sorted(ibge)
    popular = sorted(popular)
    by_fold = {}
    for num, name in popular:
        by_fold.setdefault(fold(name), []).append((num, name))
    found: dict[int, tuple[tuple[int, str], str]] = {}
    for codigo, name in ibge:
        candidates = by_fold.get(fold(name), [])
        if len(candidates) == 1:
            found[codigo] = (candidates[0], "nome_exato")
    taken = {match[0][0] for match in found.values()}
    left_popular: dict[str, list[tuple[int, str]]] = {}
    for num, name in popular:
        if num not in taken:
            left_popular.setdefault(without_vila(name), []).append((num, name))
    left_ibge: dict[str, list[int]] = {}
    for codigo, name in ibge:
        if codigo not in found:
            left_ibge.setdefault(without_vila(name), []).append(codigo)
    for key, codes in left_ibge.items():
        candidates = left_popular.get(key, [])
        if len(codes) == 1 and len(candidates) == 1:
            found[codes[0]] = (candidates[0], "sem_vila")
    popular_by_fold = {fold(name): (num, name) for num, name in popular}
    unused = []
    for ibge_name, popular_name in sorted(mapping.items()):
        target = popular_by_fold.get(fold(popular_name))
        codes = [codigo for codigo, name in ibge if fold(name) == fold(ibge_name)]
        if target is None or not codes:
            unused.append(f"{ibge_name} → {popular_name}")
            continue
        for codigo in codes:
            if codigo not in found:
                found[codigo] = (target, "mapeamento")
    matches = []
    for codigo, name in ibge:
        if codigo in found:
            (num, popular_name), method = found[codigo]
            matches.append(NameMatch(codigo, name, num, popular_name, method))
        else:
            matches.append(NameMatch(codigo, name, None, None, "sem_correspondencia"))
    return matches, unused


def popular_income(matches: list[NameMatch], ibge_rows: Mapping[int, tuple[int | None, float | None]]
                   ) -> dict[int, tuple[float, float | None]]:
    """Per popular bairro: (households, their mean income), pooling the IBGE bairros it received.

    ``ibge_rows`` is IBGE code → (responsible persons, their mean income). A bairro with
    households but no income keeps its households and a null income; one IBGE counts with no
    households is census-covered ground with nobody to weigh."""
    pooled: dict[int, list[float]] = {}
    for match in matches:
        if match.num_bairro is None:
            continue
        households, income = ibge_rows.get(match.codigo_bairro_ibge, (None, None))
        if households is None:
            continue
        total = pooled.setdefault(match.num_bairro, [0.0, 0.0, 0.0])
        total[0] += households
        if income is not None:
            total[1] += households * income
            total[2] += households
    return {num: (h, (s / w) if w > 0 else None) for num, (h, s, w) in pooled.items()}


# -- step 2: popular bairros over the official ones, by area -----------------------------------

def overlay(pairs, popular_areas: Mapping[int, float], official_areas: Mapping[int, float],
            census: Mapping[int, tuple[float, float | None]], names: Mapping[int, str],
            official_names: Mapping[int, str], min_coverage: float) -> list[dict]:
    """renda_bairro's rows, one per official bairro.

    ``pairs``: (popular num, official code, overlap m²) for every overlapping pair;
    ``popular_areas``/``official_areas``: polygon areas in m²; ``census``: popular_income's
    result; ``names``: popular bairro names (for the list of contributors)."""
    sums: dict[int, dict] = {code: {"h": 0.0, "hr": 0.0, "hw": 0.0, "covered": 0.0, "from": {}}
                             for code in official_areas}
    for num, code, overlap in pairs:
        if code not in sums or num not in census or overlap <= 0:
            continue
        area = popular_areas.get(num) or 0.0
        if area <= 0:
            continue
        households, income = census[num]
        share = households * min(overlap / area, 1.0)
        entry = sums[code]
        entry["covered"] += overlap
        entry["h"] += share
        if income is not None:
            entry["hr"] += share * income
            entry["hw"] += share
        entry["from"][num] = entry["from"].get(num, 0.0) + share
    rows = []
    for code in sorted(official_areas):
        entry = sums[code]
        area = official_areas[code]
        coverage = min(entry["covered"] / area, 1.0) if area > 0 else 0.0
        income = entry["hr"] / entry["hw"] if entry["hw"] > 0 else None
        reason = None
        if coverage < min_coverage:
            reason = (f"cobertura de {coverage:.0%} da área por bairros populares com dados do Censo, "
                      f"abaixo do mínimo de {min_coverage:.0%}")
        elif entry["h"] <= 0:
            reason = "nenhum domicílio recenseado nos bairros populares que o cobrem"
        elif income is None:
            reason = "os bairros populares que o cobrem não têm renda publicada"
        rows.append({
            "codigo_bairro": code,
            "nome_bairro": official_names.get(code),
            "renda_media_responsavel": None if reason else income,
            "domicilios": entry["h"],
            "cobertura_area": coverage,
            "bairros_populares": contributors(entry["from"], names),
            "motivo": reason,
        })
    return rows


def contributors(shares: Mapping[int, float], names: Mapping[int, str], min_share: float = 0.01) -> str | None:
    """'Belvedere 93%; Sion 4%': the popular bairros an official one's households come from."""
    total = sum(shares.values())
    if total <= 0:
        return None
    ranked = sorted(shares.items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))
    parts = [f"{names.get(num, num)} {share / total:.0%}" for num, share in ranked if share / total >= min_share]
    return "; ".join(parts) or None


def renda_bairro(ctx) -> TransformOutput:
    import shapely

    from spark.spatial import broadcast_polygons, overlaps

    bairros = ctx.table("bairros").select("codigo_bairro", "nome", "geometria_wkt").toPandas()
    official = {int(c): (n, w) for c, n, w in zip(bairros["codigo_bairro"], bairros["nome"], bairros["geometria_wkt"])}
    official_areas = {c: float(shapely.make_valid(shapely.from_wkt(w)).area) for c, (_, w) in official.items()}
    polygons = broadcast_polygons(ctx.spark, [(c, w) for c, (_, w) in official.items()])

    popular = ctx.table("populacao_2022").select("num_bairro", "bairro", "geometria_wkt")
    popular_names = {int(r.num_bairro): r.bairro for r in popular.select("num_bairro", "bairro").collect()}
    pairs = overlaps(popular, polygons, "num_bairro", "geometria_wkt", "codigo_bairro").toPandas()

    ibge = ctx.table("renda_responsavel_2022").select(
        "codigo_bairro_ibge", "nome_bairro", "responsaveis", "renda_media_responsavel").collect()
    matches, unused = match_names(((r.codigo_bairro_ibge, r.nome_bairro) for r in ibge), popular_names.items(),
                                  ctx.params["mapeamento_nomes"])
    census = popular_income(matches, {r.codigo_bairro_ibge: (r.responsaveis, r.renda_media_responsavel) for r in ibge})

    inside = pairs[pairs["codigo_bairro"].notna()]
    rows = overlay(
        ((int(n), int(c), float(a)) for n, c, a in zip(inside["num_bairro"], inside["codigo_bairro"],
                                                        inside["area_sobreposta_m2"])),
        {int(n): float(a) for n, a in zip(pairs["num_bairro"], pairs["area_origem_m2"])},
        official_areas, census, popular_names, {c: n for c, (n, _) in official.items()},
        float(ctx.params["cobertura_minima"]),
    )
    data = ctx.spark.createDataFrame(rows, ddl(output_columns(ctx.asset)))
    return TransformOutput(data=data, notes=_notes(matches, unused, ibge, census, pairs, rows))


def _notes(matches, unused, ibge, census, pairs, rows) -> dict:
    households = {r.codigo_bairro_ibge: r.responsaveis or 0 for r in ibge}
    unmatched = [m for m in matches if m.num_bairro is None]
    outside = pairs[pairs["codigo_bairro"].isna()]
    lost = sum(census[int(n)][0] * float(a) / float(t)
               for n, a, t in zip(outside["num_bairro"], outside["area_sobreposta_m2"], outside["area_origem_m2"])
               if int(n) in census and float(t) > 0)
    return {
        "bairros_ibge_por_metodo": {m: sum(1 for x in matches if x.metodo == m) for m in METHODS},
        "bairros_ibge_sem_poligono": {m.nome_ibge: households.get(m.codigo_bairro_ibge, 0) for m in unmatched},
        "mapeamento_sem_uso": unused,
        "domicilios_ibge": int(sum(households.values())),
        "domicilios_nos_bairros_oficiais": round(sum(r["domicilios"] for r in rows), 1),
        "domicilios_fora_dos_bairros_oficiais": round(lost, 1),
        "bairros_oficiais_sem_renda": {f"{r['nome_bairro']} ({r['codigo_bairro']})": r["motivo"]
                                       for r in rows if r["motivo"]},
    }
