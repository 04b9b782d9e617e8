"""The documented mapping of official bairros to IQVU planning units (UP), by name.

The IQVU has no geometry, so a bairro maps to a UP by name, accents, case and punctuation folded:
'nome_exato' when the names are equal; else 'nome_contido' when exactly one UP's name contains the
bairro's name as whole words: as one of its '/'-separated parts ('Sion' in 'Anchieta/Sion'), or,
for names of two words or more, anywhere ('São João' in 'Sao Joao Batista'). A one-word name
inside a longer part ('Maria' in 'Santa Maria', 'Oeste' in 'Pilar Oeste') is a different place,
not a match. Otherwise 'sem_correspondencia' (no UP, or several, which would be a guess) and the
IQVU stays null. Each UP contributes its newest year;
where that year has two series, 'NOVA SERIE' (the current methodology, all 79 UPs) wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from spark.parsing.names import contains_words, fold

PREFERRED_SERIES = "NOVA SERIE"


@dataclass(frozen=True)
class UpIndex:
    codigo_up: int
    nome_up: str
    ano_referencia: int
    iqvu: float | None
    serie: str | None = None


def newest_per_up(rows: list[UpIndex]) -> dict[int, UpIndex]:
    """Each UP's newest year (the preferred series first when a year has two)."""
    newest: dict[int, UpIndex] = {}
    for row in rows:
        current = newest.get(row.codigo_up)
        rank = (row.ano_referencia, row.serie == PREFERRED_SERIES, row.iqvu is not None)
        if current is None or rank > (current.ano_referencia, current.serie == PREFERRED_SERIES, current.iqvu is not None):
            newest[row.codigo_up] = row
    return newest


def map_bairro(nome_bairro: str, ups: list[UpIndex]) -> tuple[UpIndex | None, str]:
    """(the UP, metodo) for one bairro name."""
    name = fold(nome_bairro)
    if not name:
        return None, "sem_correspondencia"
    exact = [up for up in ups if fold(up.nome_up) == name]
    if len(exact) == 1:
        return exact[0], "nome_exato"
    contained = [up for up in ups if _contains(up.nome_up, name)]
    if len(contained) == 1:
        return contained[0], "nome_contido"
    return None, "sem_correspondencia"


def _contains(nome_up: str, name: str) -> bool:
    parts = [fold(part) for part in nome_up.split("/")]
    if name in parts:
        return True
    return len(name.split()) >= 2 and contains_words(fold(nome_up), name)


def map_bairros(bairros: list[tuple[int, str]], rows: list[UpIndex]) -> list[dict]:
    ups = sorted(newest_per_up(rows).values(), key=lambda up: up.codigo_up)
    result = []
    for codigo, nome in bairros:
        up, metodo = map_bairro(nome, ups)
        result.append({
            "codigo_bairro": codigo,
            "nome_bairro": nome,
            "codigo_up": up.codigo_up if up else None,
            "nome_up": up.nome_up if up else None,
            "ano_referencia": up.ano_referencia if up else None,
            "iqvu": up.iqvu if up else None,
            "metodo": metodo,
        })
    return result
