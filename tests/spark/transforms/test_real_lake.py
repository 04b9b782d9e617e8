"""Real facts of the lake built from the city's files through the real runtime (built once)."""

from __future__ import annotations

import pytest

from assets.definitions import load_graph

GRAPH = load_graph()

# The first test here may be the one that builds the whole lake (the session's built_lake fixture):
# 25 assets through Spark and Delta on two shared cores, longer than the suite's default timeout.
pytestmark = pytest.mark.timeout(2400)


@pytest.fixture(scope="module")
def lake(spark, built_lake):
    from lake.locations import spark_path, table_uri
    from spark.quarantine import read_quarantine

    class Lake:
        def table(self, name):
            return spark.read.format("delta").load(spark_path(table_uri(GRAPH[name], built_lake)))

        def quarantined(self, name) -> int:
            rows = read_quarantine(spark, GRAPH[name], built_lake)
            return 0 if rows is None else rows.count()

        def one(self, sql):
            return spark.sql(sql).first()

        def one_rows(self, sql):
            return spark.sql(sql).collect()

        @staticmethod
        def year(column):
            from pyspark.sql import functions as F

            return F.year(column).alias("y")

    for name in ("acidentes", "bairros", "populacao_2022", "bairro_indicadores", "apetite_investidor", "iqvu_bairro",
                 "mco_viagens", "parques", "paradas_onibus", "centros_saude", "empresas", "iqvu",
                 "acidentes_mensal_regional", "mco_linhas_diario"):
        Lake().table(name).createOrReplaceTempView(name)
    return Lake()


def test_accidents_hold_every_years_file_published_plus_quarantined(lake):
    per_year = {r.y: r.n for r in lake.table("acidentes").groupBy(lake.year("data_boletim")).count()
                .withColumnRenamed("count", "n").collect()}
    # every file's rows are published (the real files have no row a rule refuses)
    assert lake.quarantined("acidentes") == 0
    assert per_year == {2016: 11_185, 2017: 11_095, 2018: 10_420, 2019: 13_342}
    row = lake.one("SELECT count(*) AS n, count(DISTINCT numero_boletim) AS ids FROM acidentes")
    assert row.ids == row.n


def test_the_republished_years_say_they_count_geolocated_accidents_only(lake):
    flags = {r.ano: r.g for r in lake.one_rows(
        "SELECT ano, bool_and(apenas_geolocalizados) AS g FROM acidentes GROUP BY ano")}
    assert flags == {2016: True, 2017: True, 2018: True, 2019: False}
    # their coordinates come from the UTM columns (the re-published lat/lon are swapped)
    south = lake.one("SELECT min(latitude) AS lat, max(longitude) AS lon FROM acidentes WHERE ano = 2016")
    assert -20.1 < south.lat < -19.7 and -44.1 < south.lon < -43.8


def test_accidents_coordinates_zeros_are_missing_not_the_equator(lake):
    row = lake.one("SELECT count_if(latitude IS NULL) AS missing, min(latitude) AS south, max(latitude) AS north "
                   "FROM acidentes WHERE ano = 2019")
    assert row.missing == 1_452
    assert -20.1 < row.south < row.north < -19.7


def test_population_sums_to_the_census_total(lake):
    assert lake.one("SELECT sum(populacao) AS p FROM populacao_2022").p == 2_315_560
    # apportioned over the official bairros by overlap area: the same people, up to polygon slivers
    assert lake.one("SELECT sum(populacao) AS p FROM bairro_indicadores").p == pytest.approx(2_315_560, rel=1e-4)


def test_323_official_bairros_with_unique_codes(lake):
    row = lake.one("SELECT count(*) AS n, count(DISTINCT codigo_bairro) AS codes, sum(area_km2) AS area FROM bairros")
    assert (row.n, row.codes) == (323, 323)
    assert row.area == pytest.approx(329.2, abs=0.1)
    assert lake.one("SELECT count(*) AS n FROM bairro_indicadores").n == 323


def test_every_bairro_in_the_score_has_a_class_or_a_stated_reason(lake):
    row = lake.one("""SELECT count(*) AS n, count_if(classe IS NULL AND motivo IS NULL) AS unexplained,
                             count_if(apetite IS NULL AND classe IS NOT NULL) AS classed_without_score,
                             count_if(classe IS NOT NULL) AS classed FROM apetite_investidor""")
    assert row.n == 323 and row.unexplained == 0 and row.classed_without_score == 0
    assert row.classed == lake.one("SELECT count(*) AS n FROM iqvu_bairro WHERE iqvu IS NOT NULL").n


def test_accented_values_decoded_right_in_every_encoding(lake):
    facts = lake.one("""SELECT
        (SELECT count_if(descricao_ups = 'NÃO INFORMADO') FROM acidentes WHERE ano = 2019) AS latin1,
        (SELECT count_if(nome_linha = 'ESTAÇÃO PAMPULHA/CAMPO ALEGRE') FROM mco_viagens) AS mixed_utf8_body,
        (SELECT count_if(bairro = 'Minaslândia') FROM parques) AS bom_utf8,
        (SELECT count_if(stop_name = 'Estação METRO Vilarinho') FROM paradas_onibus) AS gtfs_bom,
        (SELECT count_if(nome = 'Novo Aarão Reis') FROM bairros) AS geojson,
        (SELECT count_if(nome_up = 'Anchieta/Sion') FROM iqvu) AS bom_latin1""")
    assert facts.latin1 == 13_342
    # two parks of the dump sit in Minaslândia
    assert facts.mixed_utf8_body > 0 and facts.bom_utf8 == 2 and facts.gtfs_bom == 1 and facts.geojson == 1
    assert facts.bom_latin1 == 12  # 1994-2016 in two series
    # the MCO header's 'Código Operadora' (Windows-1252) was matched, so its column is filled
    assert lake.one("SELECT count_if(codigo_operadora IS NULL) AS n FROM mco_viagens").n == 0


def test_source_quirks_typed(lake):
    row = lake.one("""SELECT
        (SELECT concat_ws(',', sort_array(collect_set(cnae_principal))) FROM empresas) AS cnaes,
        (SELECT first(telefones) FROM centros_saude WHERE id_area = 140) AS phones,
        (SELECT min(longitude) FROM paradas_onibus) AS west,
        (SELECT count(*) FROM iqvu WHERE ausencia_de_acidentes_de_transito IS NOT NULL) AS iqvu_accented_column""")
    assert row.cnaes == "5611201,5611204"
    assert row.phones == "32776766,32776767,32776788"
    assert -44.2 < row.west < -43.8  # ' -43.9...' with its leading space read as a number
    assert row.iqvu_accented_column > 0


def test_trends_add_up_to_their_curated_tables(lake):
    row = lake.one("""SELECT (SELECT sum(acidentes) FROM acidentes_mensal_regional) AS monthly,
                             (SELECT count(*) FROM acidentes) AS accidents,
                             (SELECT sum(viagens) FROM mco_linhas_diario) AS trips,
                             (SELECT count(*) FROM mco_viagens) AS mco""")
    assert (row.monthly, row.trips) == (row.accidents, row.mco)


def test_sion_maps_to_its_planning_unit_by_name(lake):
    row = lake.one("SELECT codigo_up, metodo, ano_referencia FROM iqvu_bairro WHERE nome_bairro = 'Sion'")
    assert (row.codigo_up, row.metodo, row.ano_referencia) == (1907, "nome_contido", 2016)
