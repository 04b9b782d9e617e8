"""BHTRANS si-bol: traffic accidents with victims."""

from assets.asset import Asset
from assets.checks import Check
from assets.common_columns import CRS_NOTE, time_partition_columns
from assets.declare import raw_asset
from assets.freshness import FreshnessPolicy
from assets.partitioning import Partitioning
from assets.schema import Schema, col
from assets.source import CkanResource, Layout, ParserOptions, Source
from assets.transform import Transform

REGIONAIS = ("BARREIRO", "CENTRO-SUL", "LESTE", "NORDESTE", "NOROESTE", "NORTE", "OESTE", "PAMPULHA", "VENDA NOVA")

ORIGINAL = (
    "NUMERO_BOLETIM", "DATA HORA_BOLETIM", "DATA_INCLUSAO", "TIPO_ACIDENTE", "DESC_TIPO_ACIDENTE",
    "COD_TEMPO", "DESC_TEMPO", "COD_PAVIMENTO", "PAVIMENTO", "COD_REGIONAL", "DESC_REGIONAL",
    "ORIGEM_BOLETIM", "LOCAL_SINALIZADO", "VELOCIDADE_PERMITIDA", "COORDENADA_X", "COORDENADA_Y",
    "HORA_INFORMADA", "INDICADOR_FATALIDADE", "VALOR_UPS", "DESCRIÇÃO_UPS", "DATA_ALTERACAO_SMSA",
    "VALOR_UPS_ANTIGA", "DESCRIÇÃO_UPS_ANTIGA",
)
# The re-published years: lower case, no accents, five columns added after the original ones.
REPUBLISHED = tuple(
    name.lower().replace("ç", "c").replace("ã", "a") for name in ORIGINAL) + ("ano", "mes", "lat", "lon", "bairro")

ACIDENTES_RAW = raw_asset(
    name="acidentes_raw",
    domain="mobilidade",
    owner="bhtrans",
    description=(
        "Relação de ocorrências de acidentes de trânsito com vítima (si-bol), one file per year, as BHTRANS "
        "publishes it; 2016-2018 offline from a third party's re-publication (a layout of its own)."
    ),
    freshness=FreshnessPolicy.yearly(deadline="03-31"),  # one si-bol file per year; last year's by March 31
    source=Source(
        kind="ckan",
        name="pbh",
        snapshot_file=("pbh/si-bol-*.csv", "bhtrans-republished/si-bol-*.csv"),
        ckan=CkanResource(package="6511cb66-3635-4560-95cc-d0c39aafb547", name_pattern=r"(?i)si[-_ ]?bol.*20\d\d"),
        selection="every",
        period_pattern=r"(?P<year>20\d\d)",
        layouts=(
            Layout(name="original", columns=ORIGINAL,
                   parser=ParserOptions(encoding="iso-8859-1", delimiter=";", header_padded=True, values_padded=True),
                   constants={"apenas_geolocalizados": "false"}),
            Layout(name="republicado", columns=REPUBLISHED,
                   parser=ParserOptions(encoding="utf-8", delimiter=";", values_padded=True),
                   ignored=("ano", "mes", "lat", "lon", "bairro"),
                   constants={"apenas_geolocalizados": "true"},
                   note=("Re-published by a third party: rows without coordinates removed (geolocated accidents "
                         "only); 'lat' holds the longitude and 'lon' the latitude, and 'bairro' is from an unknown "
                         "gazetteer, so coordinates come from the UTM columns and the bairro from them.")),
        ),
    ),
)


def _both(original: str) -> dict[str, str]:
    """The same column in both layouts: the original name and its re-published spelling."""
    return {"original": original, "republicado": REPUBLISHED[ORIGINAL.index(original)]}


ACIDENTES = Asset(
    name="acidentes",
    zone="curated",
    domain="mobilidade",
    owner="bhtrans",
    description=(
        "Traffic accidents with victims in Belo Horizonte (BHTRANS si-bol), one row per police report, "
        "typed, with coordinates reprojected to WGS84."
    ),
    deps=(ACIDENTES_RAW,),
    schema=Schema(columns=(
        col("numero_boletim", "string", "Police report number (NUMERO_BOLETIM).", source=_both("NUMERO_BOLETIM")),
        col("data_hora_boletim", "timestamp", "Date and time of the report (local time).",
            source=_both("DATA HORA_BOLETIM")),
        col("data_boletim", "date", "Date of the report; drives the time partitions."),
        col("data_inclusao", "timestamp", "When the report was entered in the system.", source=_both("DATA_INCLUSAO")),
        col("tipo_acidente", "string", "Accident type code (e.g. H01002).", source=_both("TIPO_ACIDENTE")),
        col("desc_tipo_acidente", "string", "Accident type description.", source=_both("DESC_TIPO_ACIDENTE")),
        col("cod_tempo", "int", "Weather code.", source=_both("COD_TEMPO")),
        col("desc_tempo", "string", "Weather description.", source=_both("DESC_TEMPO")),
        col("cod_pavimento", "int", "Pavement code.", source=_both("COD_PAVIMENTO")),
        col("pavimento", "string", "Pavement description.", source=_both("PAVIMENTO")),
        col("cod_regional", "int", "Administrative region code (0: none).", source=_both("COD_REGIONAL")),
        col("regional", "string", "Administrative region (regional) of the accident.", source=_both("DESC_REGIONAL")),
        col("origem_boletim", "string", "Who filed the report.", source=_both("ORIGEM_BOLETIM")),
        col("local_sinalizado", "boolean", "Whether the place had traffic signs (null: not informed).",
            source=_both("LOCAL_SINALIZADO")),
        col("velocidade_permitida", "int", "Speed limit in km/h (0 when not informed).",
            source=_both("VELOCIDADE_PERMITIDA")),
        col("coordenada_x", "double", f"Easting in {CRS_NOTE}; null where the source had zeros.",
            source=_both("COORDENADA_X"), rule="padded_utm"),
        col("coordenada_y", "double", f"Northing in {CRS_NOTE}; null where the source had zeros.",
            source=_both("COORDENADA_Y"), rule="padded_utm"),
        col("latitude", "double", "WGS84 latitude, reprojected from the UTM coordinates."),
        col("longitude", "double", "WGS84 longitude, reprojected from the UTM coordinates."),
        col("hora_informada", "boolean", "Whether the time of day was informed.", source=_both("HORA_INFORMADA")),
        col("fatal", "boolean", "Whether the accident was fatal (INDICADOR_FATALIDADE).",
            source=_both("INDICADOR_FATALIDADE")),
        col("valor_ups", "int", "UPS severity weight.", source=_both("VALOR_UPS")),
        col("descricao_ups", "string", "UPS severity description.", source=_both("DESCRIÇÃO_UPS")),
        col("data_alteracao_smsa", "date", "When the health secretariat changed the record; null for 00/00/0000.",
            source=_both("DATA_ALTERACAO_SMSA")),
        col("valor_ups_antiga", "int", "Former UPS severity weight.", source=_both("VALOR_UPS_ANTIGA")),
        col("descricao_ups_antiga", "string", "Former UPS severity description.", source=_both("DESCRIÇÃO_UPS_ANTIGA")),
        col("apenas_geolocalizados", "boolean",
            "True where the row's year was published with geolocated accidents only (rows without coordinates "
            "removed upstream, 2016-2018 here): counts of those years are not comparable with the others.",
            source={}),
        *time_partition_columns("month"),
    )),
    partitioning=Partitioning.by_date("data_boletim", "month"),
    freshness=FreshnessPolicy.yearly(),
    checks=(
        Check.not_null("numero_boletim", "data_boletim"),
        Check.unique("numero_boletim", severity="warn"),
        Check.accepted_values("regional", REGIONAIS, severity="warn"),
        Check.range("latitude", min=-20.1, max=-19.7, severity="warn"),
        Check.row_count(min=1000),
    ),
    transform=Transform.python("spark.transforms.acidentes:build"),
)
