"""Curated health centres (coverage polygons, several phones in one field) and parks (datastore dump)."""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.frames import output_columns
from spark.parsing.geo import polygon_fields
from spark.parsing.reader import read_delimited
from spark.parsing.record import Record


def phones(value: str | None) -> str | None:
    """'32776766,32776767, 32776788' → '32776766,32776767,32776788' (kept as one field, as declared)."""
    if value is None:
        return None
    numbers = [part.strip() for part in value.split(",") if part.strip()]
    return ",".join(numbers) or None


def health_row(r: Record) -> dict:
    geometry = r.require("GEOMETRIA", r.geometry("GEOMETRIA"))
    return {
        "id_area": r.require("ID_AREA_ABRANGENCIA_SAUDE", r.int("ID_AREA_ABRANGENCIA_SAUDE")),
        "codigo_smsa": r.int("COD_SMSA"),
        "nome_area": r.text("NOME_AREA_ABRANGENCIA"),
        "distrito_sanitario": r.text("DISTRITO_SANITARIO"),
        "nome_centro_saude": r.text("NOME_CENTRO_SAUDE"),
        "tipo_logradouro": r.text("TIPO_LOGRADOURO_CS"),
        "logradouro": r.text("NOME_LOGRADOURO_CS"),
        "numero_imovel": r.text("NUMERO_IMOVEL_CS"),
        "bairro_popular": r.text("NOME_BAIRRO_POPULAR_CS"),
        "telefones": phones(r.text("TELEFONE_CENTRO_SAUDE")),
        "data_ultima_atualizacao": r.date("DATA_ULTIMA_ATUALIZACAO"),
        **polygon_fields(geometry),
    }


def park_row(r: Record) -> dict:
    geometry = r.require("GEOMETRIA", r.geometry("GEOMETRIA"))
    return {
        "id_parque": r.require("ID_UNIDADE_FPMZB", r.int("ID_UNIDADE_FPMZB")),
        "nome": r.text("NOME_UNIDADE_FPMZB"),
        "aberto_publico": r.flag("IND_ABERTO_PUBLICO"),
        "legislacao": r.text("LEGISLACAO"),
        "tipo_logradouro": r.text("TIPO_LOGRADOURO"),
        "logradouro": r.text("LOGRADOURO"),
        "numero": r.text("NUMERO"),
        "bairro": r.text("BAIRRO"),
        "telefone": r.text("TELEFONE_PRINCIPAL"),
        "area_m2": float(geometry.area),  # UTM metres
        **polygon_fields(geometry),
    }


def centros_saude(ctx) -> TransformOutput:
    parsed = read_delimited(ctx.spark, ctx.raw("area_abrangencia_saude_raw"), ctx.asset.name,
                            output_columns(ctx.asset), health_row)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine)


def parques(ctx) -> TransformOutput:
    parsed = read_delimited(ctx.spark, ctx.raw("parques_raw"), ctx.asset.name, output_columns(ctx.asset), park_row)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine)
