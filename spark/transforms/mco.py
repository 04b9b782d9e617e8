"""Curated MCO trips: a file mixing a Windows-1252 header with UTF-8 names in the body."""

from __future__ import annotations

from spark.context import TransformOutput
from spark.parsing.frames import output_columns
from spark.parsing.reader import read_delimited
from spark.parsing.record import Record

RAW = "mco_raw"

_INTS = {
    "codigo_operadora": "Código Operadora", "codigo_interno_linha": "Código Interno Linha",
    "num_terminal": "Num Terminal", "codigo_veiculo": "Código Veículo", "numero_veiculo": "Numero Veículo",
    "codigo_equipamento": "Código Equipamento", "numero_serie_equipamento": "Numero de Série do Equipamento",
    "sub_linha": "Sub Linha", "catraca_pendente": "Catraca Pendente", "catraca_inicial": "Catraca Inicial",
    "catraca_final": "Catraca Final", "distancia": "Distância", "viagem_numero": "Viagem#2",
    "orgao_gestor": "Orgão Gestor", "cmp_ter_sub": "CMP TER SUB", "tipo_viagem": "Tipo Viagem",
    "passageiros": "Passageiros", "inteiras": "Inteiras", "vt": "VT", "vt_integracao": "VT Integração",
    "gratuidade": "Gratuidade", "passagens": "Passagens", "bilhete_unitario": "Bilhete Unitário",
    "passagens_integracao": "Passagens Integração", "estudantes": "Estudantes",
    "estudantes_integracao": "EStudantes Integração", "terminal": "Terminal",
}
_TEXTS = {
    "nome_operadora": "Nome Operadora", "nome_garagem": "Nome Garagem", "codigo_externo_linha": "Código Externo Linha",
    "nome_linha": "Nome Linha", "viagem": "Viagem", "cartao_motorista": "Cartão Motorista",
    "cartao_cobrador": "Cartão Cobrador", "coleta_pendente": "Coleta Pendente", "intervalo_viagem": "Intervalo Viagem",
}


def parse_row(r: Record) -> dict:
    row = {name: r.int(header) for name, header in _INTS.items()}
    row.update({name: r.text(header) for name, header in _TEXTS.items()})
    start = r.iso_timestamp("Data Hora Início Operação")
    row.update(
        data_hora_inicio_operacao=start,
        data_hora_final_operacao=r.iso_timestamp("Data Hora Final Operação"),
        data_hora_saida_terminal=r.iso_timestamp("Data Hora Saída Terminal"),
        data_coleta=r.date("Data Coleta"),
        data_hora_inicio=r.timestamp("Data Hora Início"),
        data_hora_insercao=r.timestamp("Data Hora Inserção"),
        # The day a trip belongs to is the day its operation started (a night trip crosses midnight).
        data_viagem=r.require("Data Hora Início Operação", start).date(),
    )
    return row


def build(ctx) -> TransformOutput:
    raw = ctx.raw(RAW)
    parsed = read_delimited(ctx.spark, raw, ctx.asset.name, output_columns(ctx.asset), parse_row)
    return TransformOutput(data=parsed.data, quarantine=parsed.quarantine, notes={"raw_file": raw.file_name})
