"""Server-side render of the Assets page with 200 assets: cold and cached, and catalog calls per render.

Builds a temporary lake whose graph is the 25 Belo Horizonte assets plus synthetic ones declared
in a temporary ``BHNAV_EXTRA_ASSETS_DIR`` (200 in all by default), registers every table in the
real local catalog with a run record (most successful, some too old for their policy, some
failed, some never run), then renders the page with Streamlit's AppTest (the script run a browser
session triggers, without the browser):

- first: the first render in this process (imports of Streamlit, pandas, deltalake included);
- cold: empty caches, a new session (what the first visitor after a catalog change pays);
- cached: the same session rerun (a filter click), and a new session on warm caches.

Catalog calls are counted at the catalog object (its public methods, outermost calls only) and
at the app's data layer (reads that missed the cache). Targets: cold <= 1 s, cached <= 200 ms,
and a cached render makes one catalog call (the version check), not one per asset.

Usage: ``.venv/bin/python bench/app_render.py [--assets 200] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import textwrap
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ENTRY = REPO / "app" / "streamlit_app.py"
SYNTHETIC = '''
"""Synthetic tables for the app benchmark: {count} curated assets reading the official bairros."""
from assets.asset import Asset
from assets.checks import Check
from assets.freshness import FreshnessPolicy
from assets.schema import Schema, col
from assets.transform import Transform

OWNERS = ("navigator", "bhtrans", "smpu", "prodabel", "smfaz")
for _i in range({count}):
    globals()[f"SYNTHETIC_{{_i:03d}}"] = Asset(
        name=f"sintetico_{{_i:03d}}", zone="curated" if _i % 3 else "analytics", domain="bench",
        owner=OWNERS[_i % len(OWNERS)], description=f"Synthetic table {{_i}} for the app benchmark.",
        deps=("bairros",) if _i % 3 else ("bairro_indicadores",),
        freshness=FreshnessPolicy.monthly() if _i % 2 else FreshnessPolicy.time_window(days=7),
        schema=Schema(columns=(col("codigo_bairro", "int", "Official bairro code."),
                               col("valor", "double", "A value."))),
        checks=(Check.unique("codigo_bairro"), Check.not_null("codigo_bairro")),
        transform=Transform.from_sql("SELECT codigo_bairro, 1.0 AS valor FROM bairros"),
    )
'''

CATALOG_CALLS: Counter = Counter()
_depth = [0]


def count_catalog_calls() -> None:
    """Wrap the local catalog's public methods so every outermost call is counted."""
    from catalog.local import LocalCatalog

    for name in ("get_table", "list_tables", "history", "last_record", "version", "databases"):
        method = getattr(LocalCatalog, name)

        @functools.wraps(method)
        def counted(self, *args, __method=method, __name=name, **kwargs):
            if _depth[0] == 0:
                CATALOG_CALLS[__name] += 1
            _depth[0] += 1
            try:
                return __method(self, *args, **kwargs)
            finally:
                _depth[0] -= 1

        setattr(LocalCatalog, name, counted)


def build_lake(root: Path, count: int) -> int:
    """Declare the synthetic assets, register every table with a run record; the asset count."""
    from dataclasses import replace

    from assets.definitions import load_graph
    from catalog.base import get_catalog
    from catalog.records import CheckResult, FAILED, SUCCESS, MaterializationRecord
    from lake.settings import get_settings

    extra = root / "extra_assets"
    extra.mkdir()
    (extra / "sinteticos.py").write_text(textwrap.dedent(SYNTHETIC.format(count=count)))
    os.environ["BHNAV_EXTRA_ASSETS_DIR"] = str(extra)
    os.environ["BHNAV_LAKE_DIR"] = str(root / "lake")
    os.environ["BHNAV_ENV"] = "local"
    settings = get_settings()
    graph = load_graph()
    catalog = get_catalog(settings)
    now = datetime.now(timezone.utc)
    for index, asset in enumerate(graph):
        if index % 10 == 9:
            continue  # never materialised
        age = timedelta(days=(index * 7) % 60, hours=index % 24)
        finished = now - age
        record = MaterializationRecord(
            asset=asset.name, status=SUCCESS, started_at=finished - timedelta(minutes=3), finished_at=finished,
            rows=1000 + index * 37, delta_version=index % 5, quarantined_rows=index % 4,
            newest_data_date=(finished - timedelta(days=30)).date(),
            checks=tuple(CheckResult(name=c.name, severity=c.severity, passed=(index + k) % 11 != 0,
                                     failing_rows=0 if (index + k) % 11 else 3, total_rows=1000)
                         for k, c in enumerate(asset.checks)),
        )
        catalog.register(asset, record)
        if index % 13 == 5:
            catalog.record(replace(record, status=FAILED, finished_at=now, error="synthetic failure"))
    return len(graph)


_SERVER_WIDE: dict = {}


def render(at=None):
    from streamlit.testing.v1 import AppTest

    if at is None:
        at = AppTest.from_file(str(ENTRY), default_timeout=120)
        at.switch_page("views/assets.py")
        # AppTest scans every installed package for components once per instance (about 1 s
        # here); a real server does it once at startup for all sessions, so sessions share it.
        at._bidi_component_manager = _SERVER_WIDE.get("components")
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    _SERVER_WIDE.setdefault("components", at._bidi_component_manager)
    if at.exception or at.error:
        raise SystemExit(f"the page failed: {[e.value for e in at.exception] + [e.value for e in at.error]}")
    return at, seconds


def measure(label: str, runs: list[tuple[float, Counter, Counter]]) -> dict:
    times = [t for t, _, _ in runs]
    return {
        "label": label, "median_ms": statistics.median(times) * 1000, "max_ms": max(times) * 1000,
        "catalog_calls": statistics.median(sum(c.values()) for _, c, _ in runs),
        "catalog_detail": dict(runs[-1][1]), "data_layer": dict(runs[-1][2]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=200, help="assets in the graph (25 real + synthetic)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bhnav-app-bench-") as folder:
        total = build_lake(Path(folder), max(args.assets - 25, 0))
        import streamlit as st

        from app import data

        count_catalog_calls()

        def one(at=None, clear=False):
            if clear:
                st.cache_data.clear()
                st.cache_resource.clear()
            CATALOG_CALLS.clear()
            data.CALLS.clear()
            at, seconds = render(at)
            return at, (seconds, Counter(CATALOG_CALLS), Counter(data.CALLS))

        _, first = one(clear=True)
        rows = len(_.table[0].value)
        assert rows == total, f"the page shows {rows} assets, the graph has {total}"
        cold = [one(clear=True)[1] for _ in range(args.repeat)]
        at, _warm = one(clear=True)
        rerun = [one(at)[1] for _ in range(args.repeat * 2)]
        new_session = [one()[1] for _ in range(args.repeat)]

        results = [measure("first render in a new process", [first]), measure("cold (empty caches)", cold),
                   measure("cached: same session rerun", rerun), measure("cached: new session", new_session)]
        print(f"Assets page, {total} assets ({total - 25} synthetic), local catalog, {args.repeat} repeats, "
              f"{os.cpu_count()} CPUs")
        print(f"{'render':34} {'median ms':>10} {'max ms':>8} {'catalog calls':>14}  reads that missed the cache")
        for r in results:
            print(f"{r['label']:34} {r['median_ms']:10.0f} {r['max_ms']:8.0f} {r['catalog_calls']:14.0f}  "
                  f"{r['data_layer']}  (catalog: {r['catalog_detail']})")
        cold_ms, cached_ms = results[1]["median_ms"], results[2]["median_ms"]
        print(f"cold / 1000 ms target = {cold_ms / 1000:.2f}; cached / 200 ms target = {cached_ms / 200:.2f}; "
              f"cached is {cold_ms / cached_ms:.1f}x faster than cold; catalog calls per asset, cold: "
              f"{results[1]['catalog_calls'] / total:.1f}, cached: {results[2]['catalog_calls'] / total:.3f}")


if __name__ == "__main__":
    main()
