"""Valid and invalid declarations: each rule of the asset model, with its message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assets import (
    Asset, AssetDefinitionError, AssetGraph, Check, CkanResource, FreshnessPolicy, ParserOptions,
    Partitioning, Schema, Source, Transform, col,
)

SOURCE = Source(kind="ckan", name="pbh", snapshot_file="pbh/x.csv", ckan=CkanResource(package="x"),
                expected_columns=("A",))
COLUMNS = (
    col("id", "int", "Id."),
    col("data", "date", "Day."),
    col("texto", "string", "Text."),
    col("ano", "int", "Year."),
    col("mes", "int", "Month."),
)


def raw(name="x_raw", **changes) -> Asset:
    base = dict(name=name, zone="raw", description="Raw.", schema=Schema(columns=(col("a", "string", "A."),)),
                source=SOURCE)
    return Asset(**{**base, **changes})


def curated(name="x", **changes) -> Asset:
    base = dict(name=name, zone="curated", description="Curated.", deps=("x_raw",), schema=Schema(columns=COLUMNS),
                transform=Transform.python("spark.transforms.x:build"),
                partitioning=Partitioning.by_date("data", "month"))
    return Asset(**{**base, **changes})


def test_a_valid_pair_builds_a_graph():
    graph = AssetGraph.build([raw(), curated()])
    assert graph.topological_order() == ("x_raw", "x")
    assert graph.downstream("x_raw") == ("x",)
    assert graph["x"].partitioning.columns == ("ano", "mes")


def test_deps_given_as_objects_become_names():
    upstream = raw()
    assert curated(deps=(upstream,)).deps == ("x_raw",)


def test_assets_are_frozen_and_changed_through_replace():
    asset = curated()
    with pytest.raises(AttributeError):
        asset.name = "y"  # type: ignore[misc]
    assert asset.replace(description="Other.").description == "Other."


def test_keyword_only():
    with pytest.raises(TypeError):
        Asset("x", "raw", "Raw.")  # type: ignore[misc]


@pytest.mark.parametrize(
    "build, message",
    [
        pytest.param(lambda: raw(name="Acidentes"), r"asset name 'Acidentes' is not a valid Glue/Athena name.*Rename it, for example to 'acidentes'", id="upper-case-name"),
        pytest.param(lambda: raw(name="2019_acidentes"), r"not a valid Glue/Athena name", id="leading-digit"),
        pytest.param(lambda: raw(name="table"), r"reserved word in Athena", id="reserved-word"),
        pytest.param(lambda: raw(zone="bronze"), r"Asset 'x_raw': zone 'bronze' is unknown", id="unknown-zone"),
        pytest.param(lambda: raw(description=" "), r"description is empty", id="empty-description"),
        pytest.param(lambda: raw(source=None), r"Asset 'x_raw': a raw asset has no source\. Pass source=Source", id="raw-without-source"),
        pytest.param(lambda: curated(transform=None), r"Asset 'x': a curated asset has no transform", id="derived-without-transform"),
        pytest.param(lambda: curated(deps=()), r"a curated asset has no deps", id="derived-without-deps"),
        pytest.param(lambda: curated(deps=("x",)), r"depends on itself", id="self-dependency"),
        pytest.param(lambda: curated(schema=Schema(columns=(col("Data Boletim", "date", "D."),))), r"column name 'Data Boletim' is not a valid.*'data_boletim'", id="bad-column-name"),
        pytest.param(lambda: curated(schema=Schema(columns=(col("x", "varchar(10)", "X."),))), r"type 'varchar\(10\)', which is not a supported", id="bad-type"),
        pytest.param(lambda: curated(schema=Schema(columns=(col("x", "decimal(40,2)", "X."),))), r"not a supported", id="decimal-too-wide"),
        pytest.param(lambda: curated(schema=Schema(columns=COLUMNS + (col("id", "int", "Again."),))), r"column 'id' is declared twice", id="duplicate-column"),
        pytest.param(lambda: curated(schema=Schema(columns=(col("x", "int", ""),))), r"column 'x' has no description", id="column-without-description"),
        pytest.param(lambda: curated(partitioning=Partitioning.by_date("texto", "month")), r"Asset 'x': partition column 'ano' must be derived from a date column; 'texto' is string\. Declare it as date or choose another column\.", id="partition-from-non-date"),
        pytest.param(lambda: curated(partitioning=Partitioning.by_date("nada", "month")), r"derived from 'nada', which is not in the schema", id="partition-from-unknown"),
        pytest.param(lambda: curated(partitioning=Partitioning.by_date("data", "day")), r"partition column 'dia'.*absent from the schema", id="partition-column-missing"),
        pytest.param(lambda: curated(partitioning=Partitioning.by_date("data", "week")), r"grain 'week' is unknown", id="unknown-grain"),
        pytest.param(lambda: curated(partitioning=Partitioning(date_column="data", attributes=("regional",))), r"partition column 'regional' is absent from the schema", id="attribute-missing"),
        pytest.param(lambda: curated(checks=(Check.not_null("nada"),)), r"check not_null\(nada\) names column 'nada'", id="check-unknown-column"),
        pytest.param(lambda: curated(checks=(Check.range("id"),)), r"has no bound", id="range-without-bound"),
        pytest.param(lambda: curated(checks=(Check.not_null("id", severity="fatal"),)), r"severity 'fatal'", id="bad-severity"),
        pytest.param(lambda: curated(transform=Transform.python("not a ref")), r"is not a 'module:function' reference", id="bad-transform-ref"),
        pytest.param(lambda: curated(schedule_on="some"), r"schedule_on 'some' is unknown", id="bad-schedule-on"),
        pytest.param(lambda: raw(source=Source(kind="http", name="pbh", snapshot_file="a.csv")), r"source kind 'http' is unknown", id="unknown-source-kind"),
        pytest.param(lambda: raw(source=Source(kind="ckan", name="pbh", snapshot_file="../a.csv", ckan=CkanResource(package="p"))), r"snapshot_file '../a.csv' is not a relative path", id="snapshot-traversal"),
        pytest.param(lambda: raw(source=Source(kind="ckan", name="pbh", snapshot_file="a.csv", ckan=CkanResource(package="p"), parser=ParserOptions(encoding="utf-16"))), r"encoding 'utf-16' is not one we decode deliberately", id="unknown-encoding"),
        pytest.param(lambda: raw(source=Source(kind="ckan", name="pbh", snapshot_file="a.csv")), r"a ckan source has no CkanResource", id="ckan-without-resource"),
        pytest.param(lambda: raw(source=Source(kind="ckan", name="pbh", snapshot_file="a.csv", ckan=CkanResource(package="p", name_pattern="(")), ), r"is not a regular expression", id="bad-name-pattern"),
        pytest.param(lambda: raw(transform=Transform.python("a.b:c")), r"a raw asset has a transform or deps", id="raw-with-transform"),
        pytest.param(lambda: curated(source=SOURCE), r"a curated asset has a source", id="derived-with-source"),
    ],
)
def test_invalid_declarations_are_refused_with_the_fix(build, message):
    with pytest.raises(AssetDefinitionError, match=message):
        build()


@pytest.mark.parametrize(
    "assets, message",
    [
        pytest.param(lambda: [raw(), raw()], r"Asset 'x_raw': the name is declared twice", id="duplicate-name"),
        pytest.param(lambda: [raw(), curated(deps=("y_raw",))], r"Asset 'x': dependency 'y_raw' is not a declared asset", id="unknown-dep"),
        pytest.param(lambda: [raw(), curated(name="a", deps=("x_raw", "b")), curated(name="b", deps=("a",))], r"cycle among a -> b", id="cycle"),
        pytest.param(lambda: [raw(), curated(checks=(Check.referential("id", "zzz", "id"),))], r"refers to unknown asset 'zzz'", id="referential-unknown"),
        pytest.param(lambda: [raw(), curated(zone="analytics")], r"an analytics asset reads raw asset 'x_raw'", id="analytics-on-raw"),
    ],
)
def test_invalid_graphs_are_refused(assets, message):
    with pytest.raises(AssetDefinitionError, match=message):
        AssetGraph.build(assets())


@pytest.mark.parametrize(
    "build, message",
    [
        pytest.param(lambda: FreshnessPolicy.time_window(hours=0.5), r"outside one hour to ten years", id="too-short"),
        pytest.param(lambda: FreshnessPolicy.time_window(days=5000), r"outside one hour to ten years", id="too-long"),
    ],
)
def test_freshness_bounds(build, message):
    with pytest.raises(AssetDefinitionError, match=message):
        build()


def test_freshness_status():
    from datetime import datetime, timezone

    policy = FreshnessPolicy.time_window(days=2)
    now = datetime(2026, 1, 10, tzinfo=timezone.utc)
    assert policy.status(None, now=now) == "never"
    assert policy.status(now - timedelta(days=1), now=now) == "fresh"
    assert policy.status(now - timedelta(days=3), now=now) == "stale"
    assert policy.status(now, failed=True, now=now) == "failed"
    assert policy.lateness(now - timedelta(days=3), now=now) == timedelta(days=1)


@pytest.mark.parametrize(
    "selector, expected",
    [
        pytest.param(["x"], ("x",), id="one"),
        pytest.param(["x+"], ("x", "y"), id="with-downstream"),
        pytest.param(["+x"], ("x_raw", "x"), id="with-upstream"),
        pytest.param(["zone:raw"], ("x_raw",), id="zone"),
    ],
)
def test_selection(selector, expected):
    graph = AssetGraph.build([raw(), curated(), curated(name="y", zone="analytics", deps=("x",))])
    assert graph.select(selector) == expected


def test_unknown_selection_names_the_asset():
    graph = AssetGraph.build([raw(), curated()])
    with pytest.raises(KeyError, match="No asset named 'nope'"):
        graph.select(["nope+"])
