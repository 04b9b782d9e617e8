"""BHTRANS MCO ticketing export: one row per bus trip, with turnstile counts."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import time_partition_columns
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.partitioning import Partitioning
from assets.schema import Schema, col
from assets.source import CkanResource, ParserOptions, Source
from assets.transform import Transform

MCO_HEADER = (
    "Código Operadora", "Nome Operadora", "Nome Garagem", "Código Interno Linha", "Código Externo Linha",
    "Nome Linha", "Num Terminal", "Viagem", "Código Veículo", "Numero Veículo", "Código Equipamento",
    "Numero de Série do Equipamento", "Sub Linha", "Data Hora Início Operação", "Data Hora Final Operação",
    "Cartão Motorista", "Cartão Cobrador", "Catraca Pendente", "Catraca Inicial", "Catraca Final", "Distância",
    "Viagem", "Orgão Gestor", "CMP TER SUB", "Tipo Viagem", "Data Hora Saída Terminal", "Coleta Pendente",
    "Passageiros", "Inteiras", "VT", "VT Integração", "Gratuidade", "Passagens", "Bilhete Unitário",
    "Passagens Integração", "Estudantes", "EStudantes Integração", "Intervalo Viagem", "Terminal",
    "Data Coleta", "Data Hora Início", "Data Hora Inserção",
)

MCO_RAW = raw_asset(
    name="mco_raw",
    domain="mobilidade",
    owner="bhtrans",
    description="BHTRANS ticketing (MCO) export for one day, as published: header in Windows-1252, body mixing UTF-8.",
    source=Source(
        kind="ckan",
        name="bhtrans",
        snapshot_file="bhtrans/mco_bilhetagem_2022-12-04.csv",
        ckan=CkanResource(package="mco-consolidado", name_pattern=r"(?i)mco.*\.csv$"),
        parser=ParserOptions(encoding="mixed-cp1252-utf8", delimiter=";", line_terminator="\r\n", values_padded=True),
        expected_columns=MCO_HEADER,
    ),
)

_COUNT = "Turnstile count of {} on the trip."

MCO_VIAGENS = Asset(
    name="mco_viagens",
    zone="curated",
    domain="mobilidade",
    owner="bhtrans",
    description="Bus trips from the MCO ticketing export, one row per trip, typed; driver and conductor cards hashed.",
    deps=(MCO_RAW,),
    schema=Schema(columns=(
        col("codigo_operadora", "int", "Operator code."),
        col("nome_operadora", "string", "Operator name."),
        col("nome_garagem", "string", "Garage name."),
        col("codigo_interno_linha", "int", "Internal line code."),
        col("codigo_externo_linha", "string", "Public line code (e.g. 3501B)."),
        col("nome_linha", "string", "Line name."),
        col("num_terminal", "int", "Terminal number."),
        col("viagem", "string", "Trip kind as published in the first 'Viagem' column (e.g. 'Oci.')."),
        col("codigo_veiculo", "int", "Vehicle code."),
        col("numero_veiculo", "int", "Vehicle fleet number."),
        col("codigo_equipamento", "int", "Validator equipment code."),
        col("numero_serie_equipamento", "bigint", "Validator serial number."),
        col("sub_linha", "int", "Sub-line."),
        col("data_hora_inicio_operacao", "timestamp", "Start of the trip's operation."),
        col("data_hora_final_operacao", "timestamp", "End of the trip's operation."),
        col("cartao_motorista", "string", "Driver's card (identifies a person).", pii=True, pii_handling="hash"),
        col("cartao_cobrador", "string", "Conductor's card (identifies a person).", pii=True, pii_handling="hash"),
        col("catraca_pendente", "int", "Pending turnstile count."),
        col("catraca_inicial", "bigint", "Turnstile reading at the start."),
        col("catraca_final", "bigint", "Turnstile reading at the end."),
        col("distancia", "bigint", "Distance as published (metres)."),
        col("viagem_numero", "bigint", "Trip number as published in the second 'Viagem' column."),
        col("orgao_gestor", "int", "Managing body code."),
        col("cmp_ter_sub", "int", "CMP TER SUB as published."),
        col("tipo_viagem", "int", "Trip type code."),
        col("data_hora_saida_terminal", "timestamp", "Departure from the terminal; null when blank."),
        col("coleta_pendente", "string", "Pending collection flag as published."),
        col("passageiros", "int", "Passengers on the trip."),
        col("inteiras", "int", _COUNT.format("full fares")),
        col("vt", "int", _COUNT.format("transport vouchers")),
        col("vt_integracao", "int", _COUNT.format("voucher transfers")),
        col("gratuidade", "int", _COUNT.format("free passes")),
        col("passagens", "int", _COUNT.format("fares")),
        col("bilhete_unitario", "int", _COUNT.format("single tickets")),
        col("passagens_integracao", "int", _COUNT.format("transfer fares")),
        col("estudantes", "int", _COUNT.format("students")),
        col("estudantes_integracao", "int", _COUNT.format("student transfers")),
        col("intervalo_viagem", "string", "Trip duration as hh:mm:ss."),
        col("terminal", "int", "Terminal code."),
        col("data_coleta", "date", "Collection date."),
        col("data_hora_inicio", "timestamp", "Trip start as recorded by the validator."),
        col("data_hora_insercao", "timestamp", "When the record was inserted."),
        col("data_viagem", "date", "Date of the trip; drives the time partitions."),
        *time_partition_columns("day"),
    )),
    partitioning=Partitioning.by_date("data_viagem", "day"),
    freshness=FreshnessPolicy.time_window(days=7),
    checks=(
        Check.not_null("codigo_externo_linha", "data_viagem"),
        Check.range("passageiros", min=0),
        # A bus trip rarely carries 1,000; the station gates' rows (a whole day at a MOVE station,
        # e.g. 1,291 at CARIJÓS on 2022-12-04) do, and they are real: a warning, not a block.
        Check.expression("passageiros_por_viagem_ate_1000", "passageiros <= 1000", severity="warn"),
        Check.row_count(min=100),
    ),
    transform=Transform.python("spark.transforms.mco:build"),
)
