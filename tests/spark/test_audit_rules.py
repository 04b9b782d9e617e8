"""The audit's rules on numbers alone (no Spark): defaults per zone, bounds, declared overrides."""

from __future__ import annotations

import pytest

from assets.checks import Check
from assets.errors import AssetDefinitionError
from spark.audit import AuditBlockedError, Published, audit, audit_rules


@pytest.fixture(scope="module")
def graph():
    from assets.definitions import load_graph

    return load_graph()


def test_curated_and_analytics_tables_get_the_default_rules_and_raw_ones_none(graph):
    names = {z: [c.name for c in audit_rules(next(a for a in graph if a.zone == z))]
             for z in ("raw", "curated", "analytics")}
    assert names["raw"] == []
    assert names["curated"] == names["analytics"] == [
        "volume(drop<=20%)", "volume(growth<=300%)", "quarantine_share(<=2%)"]


def test_a_declared_volume_rule_replaces_the_default_one(graph):
    from dataclasses import replace

    asset = graph["acidentes"]
    wider = replace(asset, checks=(*asset.checks, Check.volume(max_drop=0.6)))
    assert [c.name for c in audit_rules(wider)] == ["volume(drop<=60%)", "quarantine_share(<=2%)"]
    audit(wider, [], rows=6_671, quarantined=0, previous=Published(rows=13_342, delta_version=3))


@pytest.mark.parametrize("rows, quarantined, match", [
    pytest.param(6_671, 0, r"Asset 'acidentes': blocked by audit, nothing was published \(readers stay on version 3 "
                           r"\(13342 rows\)\): volume\(drop<=20%\) failed: the new version would hold 6671 rows "
                           r"against 13342 in published version 3, a drop of 50.0%", id="half-the-rows"),
    pytest.param(13_000, 400, r"quarantine_share\(<=2%\) failed: 400 of 13400 rows quarantined \(3.0%", id="3pct-quarantined"),
])
def test_a_blocking_rule_names_the_asset_the_rule_and_both_numbers(graph, rows, quarantined, match):
    with pytest.raises(AuditBlockedError, match=match):
        audit(graph["acidentes"], [], rows=rows, quarantined=quarantined,
              previous=Published(rows=13_342, delta_version=3))


@pytest.mark.parametrize("rows, passed", [
    pytest.param(10_674, True, id="drop-of-exactly-20pct-passes"),
    pytest.param(10_673, False, id="just-over-20pct-blocks"),
])
def test_the_drop_bound_is_inclusive(graph, rows, passed):
    previous = Published(rows=13_342, delta_version=3)
    if passed:
        audit(graph["acidentes"], [], rows=rows, quarantined=0, previous=previous)
    else:
        with pytest.raises(AuditBlockedError):
            audit(graph["acidentes"], [], rows=rows, quarantined=0, previous=previous)


def test_the_first_version_has_nothing_to_compare_with(graph):
    [volume, *_] = audit(graph["acidentes"], [], rows=5, quarantined=0, previous=None)
    assert volume.passed and volume.message == "no previous published version to compare with"


def test_partitions_not_replaced_count_towards_what_readers_will_see(graph):
    asset = graph["acidentes"]
    previous = Published(rows=1_000, delta_version=2, partition_columns=asset.partitioning.columns,
                         rows_by_partition=(("ano=2019/mes=1", 500), ("ano=2019/mes=2", 500)))
    assert previous.rows_after(asset, 100, ("ano=2019/mes=2",)) == 600
    with pytest.raises(AuditBlockedError, match="would hold 600 rows against 1000"):
        audit(asset, [], rows=100, quarantined=0, previous=previous, partitions=("ano=2019/mes=2",))


@pytest.mark.parametrize("check, match", [
    pytest.param(Check.volume(), r"volume\(\) has no bound", id="no-bound"),
    pytest.param(Check.volume(max_drop=1.5), r"allows a drop outside \[0, 1\]", id="drop-over-100pct"),
    pytest.param(Check.quarantine_share(max_share=1.0), r"tolerates a share of 1.0", id="share-of-everything"),
])
def test_bad_audit_rules_are_refused_when_declared(check, match):
    with pytest.raises(AssetDefinitionError, match=match):
        check.validated("acidentes", ())
