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
                 "acidentes_mensal_regional", "mco_linhas_diario", "renda_responsavel_2022", "renda_bairro"):
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
    assert row.classed >= 315


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


# -- Census income and the score over the whole city -------------------------------------------

def _notes(built_lake, name: str) -> dict:
    from catalog.base import get_catalog

    return get_catalog(built_lake).last_record(name).notes


def test_census_income_keeps_ibge_rows_as_published(lake):
    row = lake.one("""SELECT count(*) AS n, sum(responsaveis) AS households, sum(moradores) AS residents,
                             count_if(codigo_municipio <> 3106200) AS elsewhere FROM renda_responsavel_2022""")
    assert (row.n, row.households, row.residents, row.elsewhere) == (471, 889_554, 2_306_089, 0)
    assert lake.quarantined("renda_responsavel_2022") == 0
    outlier = lake.one("SELECT renda_media_responsavel AS r FROM renda_responsavel_2022 "
                       "WHERE nome_bairro = 'Senhor dos Passos'")
    assert outlier.r == pytest.approx(38_322.59)


def test_ibge_bairros_find_their_popular_bairro_by_name_then_the_declared_mapping(built_lake, lake):
    notes = _notes(built_lake, "renda_bairro")
    assert notes["bairros_ibge_por_metodo"] == {"nome_exato": 454, "sem_vila": 9, "mapeamento": 7,
                                                "sem_correspondencia": 1}
    assert notes["bairros_ibge_sem_poligono"] == {"Vila Ponta Porã": 277}
    assert notes["mapeamento_sem_uso"] == []


def test_households_per_official_bairro_add_up_to_the_census(lake):
    row = lake.one("""SELECT count(*) AS n, sum(domicilios) AS households,
                             count_if(renda_media_responsavel IS NOT NULL) AS with_income,
                             count_if(renda_media_responsavel IS NULL AND motivo IS NULL) AS unexplained,
                             min(cobertura_area) AS low, max(cobertura_area) AS high FROM renda_bairro""")
    assert row.n == 323 and row.unexplained == 0
    assert row.households == pytest.approx(889_554, rel=0.01)
    assert row.with_income >= 315
    assert 0 <= row.low <= row.high <= 1


def test_the_census_richest_official_bairros_are_in_the_top_decile(lake):
    incomes = lake.table("renda_bairro").where("renda_media_responsavel IS NOT NULL").toPandas()
    decile = incomes["renda_media_responsavel"].quantile(0.9)
    top = set(incomes.loc[incomes["renda_media_responsavel"] >= decile, "nome_bairro"])
    assert {"Belvedere", "das Mangabeiras", "São Bento"} <= top, sorted(top)


def test_the_score_covers_the_city_with_every_class_populated(lake):
    row = lake.one("""SELECT count_if(apetite IS NOT NULL) AS scored,
                             count_if(apetite IS NULL AND motivo IS NOT NULL) AS unscored_with_reason,
                             count_if(classe = 'OURO') AS ouro, count_if(classe = 'PRATA') AS prata,
                             count_if(classe = 'SATURADO') AS saturado,
                             min(posicao) AS first, max(posicao) AS last FROM apetite_investidor""")
    assert row.scored >= 315 and row.scored + row.unscored_with_reason == 323
    assert min(row.ouro, row.prata, row.saturado) > 0
    assert row.first == 1 and row.last <= row.scored
    # the outlier's income is one rank among 300, not the end of a scale that squeezes the rest
    spread = lake.one("SELECT percentile_approx(renda_norm, 0.5) AS median FROM apetite_investidor")
    assert spread.median == pytest.approx(0.5, abs=0.02)


REGIONAL_OF = {"Belvedere": "CENTRO-SUL", "Sion": "CENTRO-SUL", "Quinta": "CENTRO-SUL", "de Venda Nova": "VENDA NOVA",
               "Padre Eustáquio": "NOROESTE", "Jaraguá": "PAMPULHA", "Solar do Barreiro": "BARREIRO",
               "Prado Lopes": "NOROESTE"}


def test_every_official_bairro_has_its_regional_from_the_health_districts(lake):
    row = lake.one("SELECT count(*) AS n, count(regional) AS placed, count(DISTINCT regional) AS regions "
                   "FROM bairro_indicadores")
    assert (row.n, row.placed, row.regions) == (323, 323, 9)
    by_name = {r.nome_bairro: r.regional for r in lake.table("bairro_indicadores").select(
        "nome_bairro", "regional").collect()}
    assert {name: by_name[name] for name in REGIONAL_OF} == REGIONAL_OF
    assert lake.one("SELECT count(*) AS n FROM apetite_investidor a JOIN bairro_indicadores i "
                    "USING (codigo_bairro) WHERE a.regional <=> i.regional").n == 323
