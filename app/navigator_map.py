"""The Navigator's 3D map: official bairros coloured by class and extruded by the score (the page's,
which is the lake's unless the what-if weights changed it)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pydeck as pdk

CLASS_COLOURS = {
    "OURO": [212, 160, 23, 210],
    "PRATA": [150, 160, 175, 200],
    "SATURADO": [192, 57, 43, 200],
}
NO_SCORE_COLOUR = [210, 210, 210, 110]
MAX_HEIGHT_M = 3000  # a score of 1 stands this tall; the city is ~30 km across
BH_CENTRE = (-19.92, -43.94)


def feature_collection(frame: "pd.DataFrame") -> dict[str, Any]:
    """GeoJSON of the bairros (WGS84 geometries from the lake) with what the layer draws."""
    features = []
    for row in frame.itertuples(index=False):
        if not isinstance(row.geometria_geojson, str) or not row.geometria_geojson:
            continue
        score = None if row.apetite is None or row.apetite != row.apetite else float(row.apetite)
        klass = row.classe if isinstance(row.classe, str) else None
        income = getattr(row, "renda_media_responsavel", None)
        regional = getattr(row, "regional", None)
        features.append({
            "type": "Feature",
            "geometry": json.loads(row.geometria_geojson),
            "properties": {
                "nome": row.nome_bairro,
                "classe": klass or "sem nota",
                "apetite": "—" if score is None else f"{score:.2f}",
                "motivo": row.motivo if isinstance(row.motivo, str) else "",
                "regional": regional.title() if isinstance(regional, str) else "—",
                "renda": "—" if income is None or income != income else f"R$ {income:,.0f}",
                "cor": CLASS_COLOURS.get(klass, NO_SCORE_COLOUR),
                "altura": 0 if score is None else round(score * MAX_HEIGHT_M),
            },
        })
    return {"type": "FeatureCollection", "features": features}


def deck(frame: "pd.DataFrame") -> "pdk.Deck":
    import pydeck as pdk

    lat = float(frame["centroide_lat"].mean()) if "centroide_lat" in frame and frame["centroide_lat"].notna().any() else BH_CENTRE[0]
    lon = float(frame["centroide_lon"].mean()) if "centroide_lon" in frame and frame["centroide_lon"].notna().any() else BH_CENTRE[1]
    layer = pdk.Layer(
        "GeoJsonLayer",
        data=feature_collection(frame),
        id="bairros",
        pickable=True,
        stroked=True,
        filled=True,
        extruded=True,
        wireframe=True,
        get_fill_color="properties.cor",
        get_line_color=[80, 80, 80, 160],
        get_elevation="properties.altura",
        line_width_min_pixels=1,
    )
    return pdk.Deck(
        layers=[layer],
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=10.6, pitch=45, bearing=-10),
        map_provider="carto",
        map_style="light",
        tooltip={"html": "<b>{nome}</b> ({regional})<br/>classe {classe}<br/>apetite {apetite}<br/>"
                         "renda {renda}<br/>{motivo}"},
    )
