"""The declared Belo Horizonte graph: a snapshot of its shape, and its raw assets against the real files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assets.definitions import load_graph
from assets.skeleton import sniff_header

SNAPSHOT = Path(__file__).with_name("graph_snapshot.json")


def graph_shape() -> list[dict]:
    return [
        {"name": a.name, "zone": a.zone, "deps": list(a.deps), "partitions": list(a.partitioning.columns),
         "date_column": a.partitioning.date_column, "schedule_on": None if a.is_raw else a.schedule_on}
        for a in load_graph()
    ]


def test_graph_matches_its_snapshot():
    """Graph changes show up in review: regenerate with BHNAV_UPDATE_SNAPSHOTS=1 and commit the diff."""
    shape = graph_shape()
    if os.environ.get("BHNAV_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(shape, indent=1, ensure_ascii=False) + "\n")
    assert shape == json.loads(SNAPSHOT.read_text())


def test_at_least_25_assets_across_the_three_zones():
    graph = load_graph()
    zones = {a.zone for a in graph}
    assert len(graph) >= 25 and zones == {"raw", "curated", "analytics"}


@pytest.mark.parametrize("name", [a.name for a in load_graph() if a.is_raw])
def test_raw_asset_snapshot_file_exists_with_the_declared_header(name, snapshot_dir):
    from assets.names import snake_from_header
    from landing.sources.snapshot import snapshot_files

    asset = load_graph()[name]
    files = snapshot_files(snapshot_dir, asset)
    assert files, f"{asset.source.snapshot_patterns} match nothing in the snapshot folder"
    if asset.source.parser.format != "csv":
        return
    layouts = [sorted(snake_from_header(h) for h in layout.columns) for layout in asset.source.all_layouts]
    for relative, path in files.items():
        header, delimiter, _ = sniff_header(path)
        assert delimiter in {layout.parser.delimiter for layout in asset.source.all_layouts}, relative
        # Headers compared accent-insensitively: the sniffer reads Latin-1 where a file mixes encodings.
        assert sorted(snake_from_header(h) for h in header) in layouts, relative


def test_every_snapshot_data_file_is_declared(snapshot_dir):
    from landing.sources.snapshot import snapshot_files

    declared = {relative for a in load_graph() if a.is_raw for relative in snapshot_files(snapshot_dir, a)}
    on_disk = {p.relative_to(snapshot_dir).as_posix() for p in snapshot_dir.rglob("*")
               if p.is_file() and p.parent.name in ("pbh", "bhtrans", "bhtrans-republished")}
    assert on_disk <= declared, f"undeclared datasets: {sorted(on_disk - declared)}"
