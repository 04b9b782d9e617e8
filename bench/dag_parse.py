"""Parse time of the DAG folder: the dynamic entry against the same DAGs written statically.

For the Belo Horizonte graph and for synthetic graphs (N assets declared in a temporary
``BHNAV_EXTRA_ASSETS_DIR``: half raw, half curated, one curated per raw), each DAG folder is
loaded in a DagBag in a fresh process, the way Airflow's DAG processor imports it:

- dynamic: ``airflow_dags/`` (``bhnav_dags.py`` reads the declarations, plans and renders);
- static: the folder ``bhnav dags render --out`` writes (one plain file per DAG).

Each load is repeated (a new process each time) and the median kept. Printed: the DagBag fill
time (what the import timeout applies to; the Airflow import itself is shown apart), the DAG
count, and the dynamic/static ratio. Targets: dynamic within 1.2x of static; 1,000 assets parse
in under 5 s on 2 cores (Airflow's default import timeout is 30 s).

Usage: ``.venv/bin/python bench/dag_parse.py [--synthetic 1000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAGS_FOLDER = REPO / "airflow_dags"
BIN = Path(sys.executable).parent

PROBE = textwrap.dedent('''
    import json, sys, time
    started = time.perf_counter()
    from airflow.dag_processing.dagbag import DagBag
    imported, cpu = time.perf_counter(), time.process_time()
    bag = DagBag(dag_folder=sys.argv[1])
    filled, cpu_filled = time.perf_counter(), time.process_time()
    with open(sys.argv[2], "w") as out:
        json.dump({"import_s": imported - started, "fill_s": filled - imported, "fill_cpu_s": cpu_filled - cpu,
                   "dags": len(bag.dags),
                   "errors": {k: str(v)[:300] for k, v in bag.import_errors.items()}}, out)
''')

SYNTHETIC = '''
"""{count} synthetic assets for the DAG parse benchmark."""
from assets.asset import Asset
from assets.declare import raw_asset
from assets.schema import Schema, col
from assets.source import CkanResource, Source
from assets.transform import Transform

for _i in range({pairs}):
    _raw = raw_asset(
        name=f"sintetico_{{_i:04d}}_raw", domain="bench", owner="bench", description=f"Synthetic raw table {{_i}}.",
        source=Source(kind="ckan", name="bench", snapshot_file=f"bench/{{_i}}.csv",
                      ckan=CkanResource(package=f"sintetico-{{_i}}"), expected_columns=("ID", "VALOR")),
    )
    globals()[f"RAW_{{_i:04d}}"] = _raw
    globals()[f"CURATED_{{_i:04d}}"] = Asset(
        name=f"sintetico_{{_i:04d}}", zone="curated", domain="bench", owner="bench",
        description=f"Synthetic curated table {{_i}}.", deps=(_raw,),
        schema=Schema(columns=(col("id", "int", "Id."), col("valor", "double", "Value."))),
        transform=Transform.from_sql("SELECT CAST(id AS INT) AS id, CAST(valor AS DOUBLE) AS valor FROM x"),
    )
'''


def environment(work: Path, extra_dir: Path | None) -> dict[str, str]:
    # Bytecode caching on, as on a deployment (the package installed, the processor re-parsing):
    # both the dynamic and static folders are parsed once untimed, so each compiles once.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIRFLOW", "BHNAV_")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update({
        "AIRFLOW_HOME": str(work / "airflow_home"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "BHNAV_LAKE_DIR": str(work / "lake"),
    })
    if extra_dir is not None:
        env["BHNAV_EXTRA_ASSETS_DIR"] = str(extra_dir)
    return env


def parse(folder: Path, env: dict[str, str], work: Path, repeat: int) -> dict:
    probe = work / "probe.py"
    probe.write_text(PROBE)
    runs = []
    for i in range(repeat + 1):
        out = work / f"parse_{i}.json"
        done = subprocess.run([sys.executable, str(probe), str(folder), str(out)], env={
            **env, "AIRFLOW__CORE__DAGS_FOLDER": str(folder)}, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise SystemExit(f"parsing {folder} failed:\n{done.stderr[-3000:]}")
        if i:  # the first parse warms the bytecode cache
            runs.append(json.loads(out.read_text()))
    if runs[0]["errors"]:
        raise SystemExit(f"import errors in {folder}: {runs[0]['errors']}")
    return {"fill_s": statistics.median(r["fill_s"] for r in runs),
            "fill_cpu_s": statistics.median(r["fill_cpu_s"] for r in runs),
            "import_s": statistics.median(r["import_s"] for r in runs), "dags": runs[0]["dags"]}


def scenario(label: str, count: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bhnav-dag-parse-") as tmp:
        work = Path(tmp)
        extra = None
        if count:
            extra = work / "extra_assets"
            extra.mkdir()
            (extra / "sinteticos.py").write_text(SYNTHETIC.format(count=count, pairs=count // 2))
        env = environment(work, extra)
        static = work / "static_dags"
        done = subprocess.run([str(BIN / "bhnav"), "dags", "render", "--out", str(static)], env=env, cwd=work,
                              capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise SystemExit(f"bhnav dags render failed:\n{done.stderr[-3000:]}")
        dynamic = parse(DAGS_FOLDER, env, work, repeat)
        fixed = parse(static, env, work, repeat)
    if dynamic["dags"] != fixed["dags"]:
        raise SystemExit(f"{label}: dynamic has {dynamic['dags']} DAGs, static {fixed['dags']}")
    return {"label": label, "dags": dynamic["dags"], "dynamic_s": dynamic["fill_s"], "static_s": fixed["fill_s"],
            "dynamic_cpu_s": dynamic["fill_cpu_s"], "static_cpu_s": fixed["fill_cpu_s"],
            "airflow_import_s": statistics.mean([dynamic["import_s"], fixed["import_s"]])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=1000, help="synthetic assets (half raw, half curated)")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per measurement (median kept)")
    args = parser.parse_args()
    results = [scenario("Belo Horizonte graph (25 assets)", 0, args.repeat)]
    if args.synthetic:
        results.append(scenario(f"BH + {args.synthetic} synthetic assets", args.synthetic, args.repeat))
    print(f"\nDagBag fill, median of {args.repeat} fresh processes (bytecode cached; the Airflow import excluded)")
    print("wall = elapsed time; cpu = the process's own CPU time (what other load on the machine does not inflate)\n")
    print(f"{'graph':36} {'DAGs':>5} {'dynamic wall/cpu':>17} {'static wall/cpu':>16} {'ratio wall/cpu':>15} {'import':>7}")
    for r in results:
        print(f"{r['label']:36} {r['dags']:>5} {r['dynamic_s']:>7.2f}s /{r['dynamic_cpu_s']:>6.2f}s "
              f"{r['static_s']:>6.2f}s /{r['static_cpu_s']:>6.2f}s "
              f"{r['dynamic_s'] / r['static_s']:>6.2f}x /{r['dynamic_cpu_s'] / r['static_cpu_s']:>5.2f}x "
              f"{r['airflow_import_s']:>6.2f}s")
    print("\ntargets: dynamic within 1.2x of static; 1,000 assets parse in under 5 s")
    for r in results:
        ratio = r["dynamic_cpu_s"] / r["static_cpu_s"]
        print(f"- {r['label']}: cpu ratio {ratio:.2f}x ({'met' if ratio <= 1.2 else 'NOT met'}); dynamic "
              f"{r['dynamic_s']:.2f}s wall, {r['dynamic_cpu_s']:.2f}s cpu "
              f"({'met' if r['dynamic_cpu_s'] < 5 else 'NOT met'} for < 5 s of work)")

if __name__ == "__main__":
    main()
