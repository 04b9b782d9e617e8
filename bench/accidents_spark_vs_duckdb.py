"""The curated-accidents transform in Spark against the same transform in DuckDB, at 1x, 10x, 100x.

Rows are synthesised from the real si-bol file (each copy k appends '-k' to NUMERO_BOLETIM, so
report numbers stay unique) into a temp folder, as ISO-8859-1 bytes like the original. Both
engines decode Latin-1, trim the padded values, parse dd/mm/yyyy dates (00/00/0000 = null), turn
zero-padded UTM into numbers (zeros = missing), reproject UTM 23S to WGS84 and write the table
partitioned by year and month:

- Spark: the project's transform (``spark.transforms.acidentes.parse``: binaryFile bytes, Python
  decoding and typing in mapInPandas) and a Delta write partitioned ano/mes.
- DuckDB: one SQL statement over ``read_csv(encoding='latin-1')`` with TRY_ casts, the
  reprojection in SQL (inverse transverse Mercator; DuckDB's spatial extension is not a PyPI
  package), ``COPY ... (FORMAT parquet, PARTITION_BY)`` (Parquet files, no Delta log).

Prints wall-clock seconds per scale, the Spark/DuckDB ratio and Spark's phases: session and JVM
start (once), header check, decode+parse (into the persisted frame), Delta write.

Run: ``BHNAV_SNAPSHOT_DIR=../shared/data .venv/bin/python bench/accidents_spark_vs_duckdb.py [1 10 100]``
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SCALES = (1, 10, 100)

DUCKDB_SQL = """
COPY (
  WITH src AS (
    SELECT * FROM read_csv('{path}', delim=';', header=true, encoding='latin-1', all_varchar=true, quote='')
  ), typed AS (
    SELECT
      trim(NUMERO_BOLETIM) AS numero_boletim,
      try_strptime(trim("DATA HORA_BOLETIM"), '%d/%m/%Y %H:%M') AS data_hora_boletim,
      try_strptime(trim(DATA_INCLUSAO), '%d/%m/%Y %H:%M') AS data_inclusao,
      nullif(trim(TIPO_ACIDENTE), '') AS tipo_acidente,
      nullif(trim(DESC_TIPO_ACIDENTE), '') AS desc_tipo_acidente,
      try_cast(trim(COD_TEMPO) AS INTEGER) AS cod_tempo,
      nullif(trim(DESC_TEMPO), '') AS desc_tempo,
      try_cast(trim(COD_PAVIMENTO) AS INTEGER) AS cod_pavimento,
      nullif(trim(PAVIMENTO), '') AS pavimento,
      try_cast(trim(COD_REGIONAL) AS INTEGER) AS cod_regional,
      nullif(trim(DESC_REGIONAL), '') AS regional,
      nullif(trim(ORIGEM_BOLETIM), '') AS origem_boletim,
      upper(trim(LOCAL_SINALIZADO)) IN ('SIM', 'S') AS local_sinalizado,
      try_cast(trim(VELOCIDADE_PERMITIDA) AS INTEGER) AS velocidade_permitida,
      nullif(try_cast(trim(COORDENADA_X) AS DOUBLE), 0) AS coordenada_x,
      nullif(try_cast(trim(COORDENADA_Y) AS DOUBLE), 0) AS coordenada_y,
      upper(trim(HORA_INFORMADA)) IN ('SIM', 'S') AS hora_informada,
      upper(trim(INDICADOR_FATALIDADE)) IN ('SIM', 'S') AS fatal,
      try_cast(trim(VALOR_UPS) AS INTEGER) AS valor_ups,
      nullif(trim("DESCRIÇÃO_UPS"), '') AS descricao_ups,
      CASE WHEN trim(DATA_ALTERACAO_SMSA) = '00/00/0000' THEN NULL
           ELSE try_strptime(trim(DATA_ALTERACAO_SMSA), '%d/%m/%Y')::DATE END AS data_alteracao_smsa,
      try_cast(trim(VALOR_UPS_ANTIGA) AS INTEGER) AS valor_ups_antiga,
      nullif(trim("DESCRIÇÃO_UPS_ANTIGA"), '') AS descricao_ups_antiga
    FROM src
  ),
  -- UTM 23S (SIRGAS 2000, GRS80) to lon/lat: Snyder's inverse transverse Mercator, under 1 mm here
  footpoint AS (
    SELECT *, (coordenada_y - 10000000) / 0.9996 / ({a} * (1 - {e2}/4 - 3*{e2}^2/64 - 5*{e2}^3/256)) AS mu
    FROM typed WHERE data_hora_boletim IS NOT NULL AND numero_boletim IS NOT NULL
  ), phi AS (
    SELECT *, mu + (3*{e1}/2 - 27*{e1}^3/32) * sin(2*mu) + (21*{e1}^2/16 - 55*{e1}^4/32) * sin(4*mu)
              + (151*{e1}^3/96) * sin(6*mu) + (1097*{e1}^4/512) * sin(8*mu) AS p1
    FROM footpoint
  ), terms AS (
    SELECT *, {ep2} * cos(p1)^2 AS c1, tan(p1)^2 AS t1, {a} / sqrt(1 - {e2} * sin(p1)^2) AS n1,
              {a} * (1 - {e2}) / pow(1 - {e2} * sin(p1)^2, 1.5) AS r1,
              (coordenada_x - 500000) / ({a} / sqrt(1 - {e2} * sin(p1)^2) * 0.9996) AS d
    FROM phi
  )
  SELECT * EXCLUDE (mu, p1, c1, t1, n1, r1, d), data_hora_boletim::DATE AS data_boletim,
    degrees(p1 - (n1 * tan(p1) / r1) * (d^2/2 - (5 + 3*t1 + 10*c1 - 4*c1^2 - 9*{ep2}) * d^4/24
            + (61 + 90*t1 + 298*c1 + 45*t1^2 - 252*{ep2} - 3*c1^2) * d^6/720)) AS latitude,
    -45 + degrees((d - (1 + 2*t1 + c1) * d^3/6 + (5 - 2*c1 + 28*t1 - 3*c1^2 + 8*{ep2} + 24*t1^2) * d^5/120)
            / cos(p1)) AS longitude,
    year(data_hora_boletim) AS ano, month(data_hora_boletim) AS mes
  FROM terms
) TO '{out}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (ano, mes), OVERWRITE_OR_IGNORE)
"""


def synthesise(real: Path, copies: int, target: Path) -> Path:
    """``copies`` times the real rows, Latin-1 bytes untouched except the report number's suffix."""
    data = real.read_bytes()
    header, _, body = data.partition(b"\n")
    rows = [line for line in body.split(b"\n") if line.strip()]
    with target.open("wb") as out:
        out.write(header + b"\n")
        for k in range(copies):
            suffix = b"-%03d;" % k
            out.write(b"\n".join(row.replace(b";", suffix, 1) for row in rows) + b"\n")
    return target


def duckdb_sql(path: Path, out: Path) -> str:
    import math

    a, f = 6378137.0, 1 / 298.257222101  # GRS80, the SIRGAS 2000 ellipsoid
    e2 = f * (2 - f)
    e1 = (1 - math.sqrt(1 - e2)) / (1 + math.sqrt(1 - e2))
    return DUCKDB_SQL.format(path=path, out=out, a=repr(a), e2=repr(e2), e1=repr(e1), ep2=repr(e2 / (1 - e2)))


def run_duckdb(path: Path, out: Path) -> tuple[float, int]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    started = time.perf_counter()
    con.execute(duckdb_sql(path, out))
    seconds = time.perf_counter() - started
    rows = con.sql(f"SELECT count(*) FROM read_parquet('{out}/**/*.parquet')").fetchone()[0]
    return seconds, rows


def run_spark(spark, path: Path, out: Path) -> tuple[dict[str, float], int, int]:
    from pyspark.sql import functions as F

    from assets.definitions import load_graph
    from spark.context import RawInput
    from spark.parsing import reader
    from spark.transforms.acidentes import parse

    graph = load_graph()
    raw = RawInput(asset=graph["acidentes_raw"], uri=path.as_uri(), key="bench", file_name=path.name, sha256="-",
                   ingest_date=date.today(), size=path.stat().st_size)
    phases: dict[str, float] = {}
    started = time.perf_counter()
    reader.check_headers("acidentes", reader.read_bytes(spark, raw.uri), raw)
    phases["header check"] = time.perf_counter() - started

    started = time.perf_counter()
    parsed = parse(spark, raw, graph["acidentes"])
    counts = {r["ok"]: r["count"] for r in parsed.combined.groupBy(F.col("_reason").isNull().alias("ok")).count().collect()}
    phases["decode+parse"] = time.perf_counter() - started  # includes the header check parse() repeats

    started = time.perf_counter()
    (parsed.data.withColumn("ano", F.year("data_boletim")).withColumn("mes", F.month("data_boletim"))
     .repartition("ano", "mes").write.format("delta").partitionBy("ano", "mes").mode("overwrite").save(str(out)))
    phases["delta write"] = time.perf_counter() - started
    parsed.combined.unpersist()
    return phases, counts.get(True, 0), counts.get(False, 0)


def main(scales: tuple[int, ...]) -> None:
    from lake.settings import get_settings
    from spark.session import get_spark

    settings = get_settings()
    if settings.snapshot_dir is None:
        sys.exit("Set BHNAV_SNAPSHOT_DIR to the folder of the city's files (e.g. ../shared/data).")
    real = settings.snapshot_dir / "pbh" / "si-bol-2019.csv"
    work = Path(tempfile.mkdtemp(prefix="bench_acidentes_"))
    try:
        started = time.perf_counter()
        spark = get_spark(settings)
        spark.range(1).count()  # the JVM, Delta's jars and the first job
        session_s = time.perf_counter() - started
        print(f"Spark session and JVM start: {session_s:.1f} s (once per process)")
        print(f"{'scale':>5} {'MB':>7} {'rows':>10} {'quar.':>6} {'spark s':>8} {'duckdb s':>9} {'ratio':>6}  spark phases")
        for scale in scales:
            path = synthesise(real, scale, work / f"si-bol-{scale}x.csv")
            spark_phases, published, quarantined = run_spark(spark, path, work / f"spark_{scale}x")
            duck_s, duck_rows = run_duckdb(path, work / f"duckdb_{scale}x")
            spark_s = sum(spark_phases.values())
            phases = ", ".join(f"{k} {v:.1f}" for k, v in spark_phases.items())
            print(f"{scale:>4}x {path.stat().st_size / 1e6:7.0f} {published:>10,} {quarantined:>6} {spark_s:8.1f} "
                  f"{duck_s:9.1f} {spark_s / duck_s:6.1f}  {phases}  (duckdb rows {duck_rows:,})", flush=True)
            shutil.rmtree(work / f"spark_{scale}x", ignore_errors=True)
            shutil.rmtree(work / f"duckdb_{scale}x", ignore_errors=True)
            path.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SCALES)
