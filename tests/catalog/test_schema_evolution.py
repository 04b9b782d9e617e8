"""A compatible schema change updates the table; an incompatible one fails with the diff."""

from __future__ import annotations

import pytest

from assets.partitioning import Partitioning
from assets.schema import Schema, col
from catalog.schema_diff import SchemaChangeError, is_widening


def _retyped(asset, name: str, new_type: str):
    columns = tuple(c if c.name != name else c.__class__(**{**c.__dict__, "type": new_type}) for c in asset.schema)
    return asset.replace(schema=Schema(columns=columns))


def _plus(asset, *columns):
    return asset.replace(schema=Schema(columns=asset.schema.columns + tuple(columns)))


def _without(asset, name: str):
    return asset.replace(schema=Schema(columns=tuple(c for c in asset.schema if c.name != name)))


def _recommented(asset, name: str, text: str):
    columns = tuple(c if c.name != name else c.__class__(**{**c.__dict__, "description": text}) for c in asset.schema)
    return asset.replace(schema=Schema(columns=columns))


COMPATIBLE = [
    pytest.param(lambda a: a, lambda a: _plus(a, col("gravidade", "string", "Severity class.")), "gravidade",
                 id="new-nullable-column"),
    pytest.param(lambda a: a, lambda a: _retyped(a, "velocidade_permitida", "bigint"), "velocidade_permitida",
                 id="int-to-bigint"),
    pytest.param(lambda a: a, lambda a: _retyped(a, "valor_ups", "double"), "valor_ups", id="int-to-double"),
    pytest.param(lambda a: _plus(a, col("custo", "decimal(10,2)", "Cost.")),
                 lambda a: _plus(a, col("custo", "decimal(14,2)", "Cost.")), "custo", id="decimal-precision-up"),
    pytest.param(lambda a: a, lambda a: _recommented(a, "regional", "Regional administrativa."), "regional",
                 id="comment-change"),
]


@pytest.mark.parametrize(("before", "after", "column"), COMPATIBLE)
def test_compatible_change_updates_the_table(catalog, graph, before, after, column):
    catalog.register(before(graph["acidentes"]))
    changed = after(graph["acidentes"])
    entry = catalog.register(changed)
    registered = {c["Name"]: c for c in entry.columns}
    declared = changed.schema.get(column)
    assert (registered[column]["Type"], registered[column]["Comment"]) == (declared.type, declared.description)
    assert any(column in change for change in entry.changes)
    assert catalog.get_table("acidentes") == entry


INCOMPATIBLE = [
    pytest.param(lambda a: _retyped(a, "velocidade_permitida", "bigint"),
                 lambda a: a, r"BREAKING ~ velocidade_permitida type: bigint -> int", id="bigint-narrowed-to-int"),
    pytest.param(lambda a: a, lambda a: _retyped(a, "numero_boletim", "int"),
                 r"BREAKING ~ numero_boletim type: string -> int", id="string-to-int"),
    pytest.param(lambda a: a, lambda a: _without(a, "descricao_ups"), r"BREAKING - descricao_ups string",
                 id="column-dropped"),
    pytest.param(lambda a: _plus(a, col("custo", "decimal(10,4)", "Cost.")),
                 lambda a: _plus(a, col("custo", "decimal(10,2)", "Cost.")),
                 r"custo type: decimal\(10,4\) -> decimal\(10,2\)", id="decimal-scale-down"),
    pytest.param(lambda a: a, lambda a: _plus(a, col("protocolo", "string", "Protocol.", nullable=False)),
                 r"BREAKING \+ protocolo string", id="new-required-column"),
    pytest.param(lambda a: a, lambda a: a.replace(partitioning=Partitioning.by_date("data_boletim", "year")),
                 r"partition_keys: ano int,mes int -> ano int", id="partition-keys-changed"),
]


@pytest.mark.parametrize(("before", "after", "diff"), INCOMPATIBLE)
def test_incompatible_change_fails_with_the_diff(catalog, graph, before, after, diff):
    original = catalog.register(before(graph["acidentes"]))
    with pytest.raises(SchemaChangeError, match=rf"Table 'acidentes': incompatible schema change: .*{diff}"):
        catalog.register(after(graph["acidentes"]))
    assert catalog.get_table("acidentes") == original


@pytest.mark.parametrize(("before", "after", "diff"), INCOMPATIBLE)
def test_incompatible_change_is_applied_with_allow_breaking(catalog, graph, before, after, diff):
    catalog.register(before(graph["acidentes"]))
    changed = after(graph["acidentes"])
    entry = catalog.register(changed, allow_breaking=True)
    data_columns = [c.name for c in changed.schema if c.name not in changed.partitioning.columns]
    assert [c["Name"] for c in entry.columns] == data_columns
    assert [k["Name"] for k in entry.partition_keys] == list(changed.partitioning.columns)


def test_diff_previews_a_change_without_applying_it(catalog, graph):
    catalog.register(graph["acidentes"])
    preview = catalog.diff(_without(graph["acidentes"], "pavimento"))
    assert preview.is_breaking and [c.column for c in preview.breaking] == ["pavimento"]
    assert "pavimento" in {c["Name"] for c in catalog.get_table("acidentes").columns}


@pytest.mark.parametrize(("old", "new", "widening"), [
    pytest.param("int", "bigint", True, id="int-bigint"),
    pytest.param("float", "double", True, id="float-double"),
    pytest.param("decimal(10,2)", "decimal(12,3)", True, id="decimal-up"),
    pytest.param("decimal(10,2)", "decimal(10,3)", False, id="decimal-fewer-integer-digits"),
    pytest.param("bigint", "int", False, id="bigint-int"),
    pytest.param("double", "float", False, id="double-float"),
    pytest.param("string", "int", False, id="string-int"),
])
def test_widening_rules(old, new, widening):
    assert is_widening(old, new) is widening


def test_moving_a_table_to_another_zone_is_breaking(catalog, graph):
    curated = graph["acidentes"]
    catalog.register(curated)
    moved = curated.replace(zone="analytics")
    assert [c.kind for c in catalog.diff(moved).breaking] == ["database"]
    with pytest.raises(SchemaChangeError, match=r"BREAKING ~ \(table\) database: bhnav_curated -> bhnav_analytics"):
        catalog.register(moved)
    assert catalog.get_table("acidentes").database == "bhnav_curated"
    entry = catalog.register(moved, allow_breaking=True)
    assert [t.database for t in catalog.list_tables()] == ["bhnav_analytics"]
    assert entry.location.endswith("/analytics/acidentes")
