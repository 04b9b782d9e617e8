"""Curated companies register (restaurants and bars): CNAE '5611201.0', dd-mm-yyyy, POINT WKT."""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.frames import output_columns
from spark.parsing.points import add_wgs84
from spark.parsing.reader import read_delimited
from spark.parsing.record import Record

RAW = "atividade_economica_raw"
_TEXTS = {
    "descricao_cnae_principal": "DESCRICAO_CNAE_PRINCIPAL", "cnae": "CNAE", "natureza_juridica": "NATUREZA_JURIDICA",
    "porte_empresa": "PORTE_EMPRESA", "tipo_unidade": "TIPO_UNIDADE", "forma_atuacao": "FORMA_ATUACAO",
    "desc_logradouro": "DESC_LOGRADOURO", "nome_logradouro": "NOME_LOGRADOURO", "numero_imovel": "NUMERO_IMOVEL",
    "complemento": "COMPLEMENTO", "nome_bairro": "NOME_BAIRRO", "nome": "NOME", "nome_fantasia": "NOME_FANTASIA",
    "cnpj": "CNPJ",
}


def parse_row(r: Record) -> dict:
    point = r.point("GEOMETRIA")  # a business without a point keeps null coordinates (a warning check)
    row = {name: r.text(header) for name, header in _TEXTS.items()}
    row.update(
        id_estabelecimento=r.require("ID_ATIV_ECON_ESTABELECIMENTO", r.int("ID_ATIV_ECON_ESTABELECIMENTO")),
        cnae_principal=r.cnae("CNAE_PRINCIPAL"),
        data_inicio_atividade=r.date("DATA_INICIO_ATIVIDADE"),
        area_utilizada=r.float("AREA_UTILIZADA"),
        ind_simples=r.flag("IND_SIMPLES"),
        ind_mei=r.flag("IND_MEI"),
        ind_possui_alvara=r.flag("IND_POSSUI_ALVARA"),
        coordenada_x=point[0] if point else None,
        coordenada_y=point[1] if point else None,
    )
    return row


def build(ctx) -> TransformOutput:
    raw = ctx.raw(RAW)
    parsed = read_delimited(ctx.spark, raw, ctx.asset.name, output_columns(ctx.asset), parse_row, add_wgs84)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine, notes={"raw_file": raw.file_name})
