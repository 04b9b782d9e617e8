"""Curated accidents (si-bol): ISO-8859-1, padded headers and values, Brazilian dates, padded UTM."""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.frames import output_columns
from spark.parsing.points import add_wgs84
from spark.parsing.reader import read_delimited
from spark.parsing.record import Record

RAW = "acidentes_raw"


def parse_row(r: Record) -> dict:
    when = r.require("DATA HORA_BOLETIM", r.timestamp("DATA HORA_BOLETIM"))
    return {
        "numero_boletim": r.require("NUMERO_BOLETIM", r.text("NUMERO_BOLETIM")),
        "data_hora_boletim": when,
        "data_boletim": when.date(),
        "data_inclusao": r.timestamp("DATA_INCLUSAO"),
        "tipo_acidente": r.text("TIPO_ACIDENTE"),
        "desc_tipo_acidente": r.text("DESC_TIPO_ACIDENTE"),
        "cod_tempo": r.int("COD_TEMPO"),
        "desc_tempo": r.text("DESC_TEMPO"),
        "cod_pavimento": r.int("COD_PAVIMENTO"),
        "pavimento": r.text("PAVIMENTO"),
        "cod_regional": r.int("COD_REGIONAL"),
        "regional": r.text("DESC_REGIONAL"),
        "origem_boletim": r.text("ORIGEM_BOLETIM"),
        "local_sinalizado": r.flag("LOCAL_SINALIZADO"),
        "velocidade_permitida": r.int("VELOCIDADE_PERMITIDA"),
        "coordenada_x": r.utm("COORDENADA_X"),
        "coordenada_y": r.utm("COORDENADA_Y"),
        "hora_informada": r.flag("HORA_INFORMADA"),
        "fatal": r.flag("INDICADOR_FATALIDADE"),
        "valor_ups": r.int("VALOR_UPS"),
        "descricao_ups": r.text("DESCRIÇÃO_UPS"),
        "data_alteracao_smsa": r.date("DATA_ALTERACAO_SMSA"),
        "valor_ups_antiga": r.int("VALOR_UPS_ANTIGA"),
        "descricao_ups_antiga": r.text("DESCRIÇÃO_UPS_ANTIGA"),
    }


def parse(spark, raw, asset):
    """The parse alone (also what the Spark-vs-DuckDB bench times)."""
    return read_delimited(spark, raw, asset.name, output_columns(asset), parse_row, add_wgs84)


def build(ctx) -> TransformOutput:
    raw = ctx.raw(RAW)
    parsed = parse(ctx.spark, raw, ctx.asset)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine, notes={"raw_file": raw.file_name})
