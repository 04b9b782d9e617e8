"""The curated-accidents transform in Spark against the same transform in DuckDB, at 1x to 1,000x.

Rows are synthesised from the real si-bol file (each copy k appends '-k' to NUMERO_BOLETIM, so
report numbers stay unique) into a temp folder, as ISO-8859-1 bytes like the original: 1,000x is
13 million rows, 3.6 GB. Both engines decode Latin-1, trim the padded values, parse dd/mm/yyyy
dates (00/00/0000 = null), turn zero-padded UTM into numbers (zeros = missing), reproject UTM 23S
to WGS84 with the same SQL expression (spark/parsing/utm.py) and write the table partitioned by
year and month:

- Spark, on the default settings: the project's path (the header matched to a layout from the
  file's first bytes, Spark's CSV reader, the declared columns' rules in Spark SQL, the
  transform's derived columns, the schema enforcement that splits off the quarantine, a persisted
  staged frame as in a run) and a Delta write partitioned ano/mes.
- DuckDB: one SQL statement over ``read_csv(encoding='latin-1')`` with TRY_ casts and
  ``COPY ... (FORMAT parquet, PARTITION_BY)`` (Parquet files, no Delta log).

Prints wall-clock seconds per scale, the Spark/DuckDB ratio, Spark's phases and the peak resident
memory of the Spark driver's JVM, sampled every 0.2 s.

Run: ``BHNAV_SNAPSHOT_DIR=../shared/data .venv/bin/python bench/accidents_spark_vs_duckdb.py [1 10 100 1000]``
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SCALES = (1, 10, 100, 1000)

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
  )
  -- UTM 23S to WGS84: the same expression the Spark columns use (spark/parsing/utm.py)
  SELECT *, data_hora_boletim::DATE AS data_boletim, {latitude} AS latitude, {longitude} AS longitude,
    year(data_hora_boletim) AS ano, month(data_hora_boletim) AS mes
  FROM typed WHERE data_hora_boletim IS NOT NULL AND numero_boletim IS NOT NULL
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
    from spark.parsing.utm import utm_to_wgs84_sql

    latitude, longitude = utm_to_wgs84_sql("coordenada_x", "coordenada_y")
    return DUCKDB_SQL.format(path=path, out=out, latitude=latitude, longitude=longitude)


def run_duckdb(path: Path, out: Path) -> tuple[float, int]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    started = time.perf_counter()
    con.execute(duckdb_sql(path, out))
    seconds = time.perf_counter() - started
    rows = con.sql(f"SELECT count(*) FROM read_parquet('{out}/**/*.parquet')").fetchone()[0]
    return seconds, rows


class PeakMemory:
    """The peak resident memory of the Spark driver's JVM (a child of this process), sampled."""

    def __init__(self):
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.2):
            for child in me.children(recursive=True):
                try:
                    if "java" in child.name():
                        self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    pass

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_spark(spark, path: Path, out: Path) -> tuple[dict[str, float], int, int, int]:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from assets.definitions import load_graph
    from lake.storage import LocalStorage
    from spark.context import RawInput
    from spark.enforce import enforce_schema
    from spark.parsing.typed_copy import typed_copy
    from spark.transforms.acidentes import derive

    graph = load_graph()
    raw = RawInput(asset=graph["acidentes_raw"], uri=path.as_uri(), key=path.name, file_name=path.name, sha256="-",
                   ingest_date=date.today(), size=path.stat().st_size)
    phases: dict[str, float] = {}
    with PeakMemory() as memory:
        started = time.perf_counter()
        enforced = enforce_schema(derive(typed_copy(spark, graph["acidentes"], [raw], LocalStorage(path.parent))),
                                  graph["acidentes"])
        staged = enforced.staged.persist(StorageLevel.MEMORY_AND_DISK)
        quarantined = enforced.rejected.count()
        phases["read+type+enforce"] = time.perf_counter() - started

        started = time.perf_counter()
        (enforced.data.repartition("ano", "mes").write.format("delta").partitionBy("ano", "mes").mode("overwrite")
         .save(str(out)))
        phases["delta write"] = time.perf_counter() - started
        published = spark.read.format("delta").load(str(out)).count()
        staged.unpersist()
    return phases, published, quarantined, memory.peak


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
        print(f"{'scale':>5} {'MB':>7} {'rows':>11} {'quar.':>6} {'spark s':>8} {'duckdb s':>9} {'ratio':>6} "
              f"{'JVM peak':>9}  spark phases")
        for scale in scales:
            path = synthesise(real, scale, work / f"si-bol-{scale}x.csv")
            spark_phases, published, quarantined, peak = run_spark(spark, path, work / f"spark_{scale}x")
            duck_s, duck_rows = run_duckdb(path, work / f"duckdb_{scale}x")
            spark_s = sum(spark_phases.values())
            phases = ", ".join(f"{k} {v:.1f}" for k, v in spark_phases.items())
            print(f"{scale:>4}x {path.stat().st_size / 1e6:7.0f} {published:>11,} {quarantined:>6} {spark_s:8.1f} "
                  f"{duck_s:9.1f} {spark_s / duck_s:6.1f} {peak / 2**30:7.2f}GB  {phases}  (duckdb rows {duck_rows:,})",
                  flush=True)
            shutil.rmtree(work / f"spark_{scale}x", ignore_errors=True)
            shutil.rmtree(work / f"duckdb_{scale}x", ignore_errors=True)
            path.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SCALES)
