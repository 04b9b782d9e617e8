"""How the generated template grows with the asset graph, against CloudFormation's limits.

    python bench/template_scaling.py

Builds the template for the project's graph and for graphs with 2x and 3x as many derived
assets (copies of the declared ones under new names), measured in one run: resources, bytes,
build time, each as a ratio to the project's graph, and how many derived assets fit a stack.
"""

from __future__ import annotations

import time

from assets.definitions import load_graph
from assets.graph import AssetGraph
from infra.template import RESOURCE_LIMIT, TEMPLATE_LIMIT, build_template, to_json
from lake.settings import get_settings


def grown(graph: AssetGraph, copies: int) -> AssetGraph:
    extra = [a.replace(name=f"{a.name}_c{i}") for i in range(1, copies) for a in graph if not a.is_raw and a.zone == "curated"]
    return AssetGraph.build(tuple(graph) + tuple(extra))


def measure(graph: AssetGraph, settings) -> dict:
    started = time.perf_counter()
    try:
        template = build_template(graph, settings)
    except ValueError as exc:
        return {"derived": sum(not a.is_raw for a in graph), "error": str(exc)}
    seconds = time.perf_counter() - started
    return {"derived": sum(not a.is_raw for a in graph), "resources": len(template["Resources"]),
            "bytes": len(to_json(template, compact=True).encode()), "seconds": seconds}


def main() -> None:
    settings = get_settings(env="aws", s3_bucket="bhnav-bench")
    base_graph = load_graph()
    measure(base_graph, settings)  # warm-up: first imports
    base = measure(base_graph, settings)
    rows = [base] + [measure(grown(base_graph, n), settings) for n in (2, 3, 8, 10)]
    print(f"{'derived':>8} {'resources':>10} {'bytes':>10} {'seconds':>8}  ratio to the project's graph")
    for row in rows:
        if "error" in row:
            print(f"{row['derived']:>8}  refused: {row['error']}")
            continue
        print(f"{row['derived']:>8} {row['resources']:>10} {row['bytes']:>10,} {row['seconds']:>8.3f}  "
              f"resources x{row['resources'] / base['resources']:.2f}, bytes x{row['bytes'] / base['bytes']:.2f}, "
              f"time x{row['seconds'] / base['seconds']:.2f}")
    fixed = base["resources"] - 5 * base["derived"]  # each derived asset: table, job, role, log group, alarm
    print(f"each derived asset adds 5 resources; {fixed} are shared (tables of raw assets included): "
          f"about {(RESOURCE_LIMIT - fixed) // 5} derived assets fit one stack of {RESOURCE_LIMIT} resources; "
          f"bytes per derived asset about {(rows[1]['bytes'] - base['bytes']) / (rows[1]['derived'] - base['derived']):,.0f} "
          f"(template limit {TEMPLATE_LIMIT:,}).")


if __name__ == "__main__":
    main()
