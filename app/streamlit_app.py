"""The BH Strategic Navigator app: ``streamlit run app/streamlit_app.py`` (or ``bhnav app``).

The city's side (Navigator, Trends) and the lake's side (Assets, one asset, SQL) share one
navigation, behind the login gate when served beyond this machine (``app/login.py``); every page reads only through the catalog and query interfaces (``app/data.py``),
so the same code reads the local lake with DuckDB and the AWS one with Athena.

The pages live in ``views/``, one module each: a folder named ``pages/`` beside this script
would switch Streamlit to its older file-based navigation and this script would never run.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.login import gate, pending
from lake.settings import get_settings

HERE = Path(__file__).parent

st.set_page_config(page_title="BH Strategic Navigator", page_icon="🧭", layout="wide")
settings = get_settings()


def _page(file: str, title: str, icon: str, **kwargs) -> st.Page:
    return st.Page(str(HERE / "views" / file), title=title, icon=icon, **kwargs)


navigation = st.navigation({
    "Belo Horizonte": [
        _page("navigator.py", "Navigator", ":material/explore:", url_path="navigator", default=True),
        _page("trends.py", "Trends", ":material/trending_up:", url_path="trends"),
    ],
    "The lake": [
        _page("assets.py", "Assets", ":material/table_view:", url_path="assets"),
        _page("asset.py", "Asset", ":material/dataset:", url_path="asset"),
        _page("sql.py", "SQL", ":material/terminal:", url_path="sql"),
    ],
}, position="hidden" if pending(settings) else "sidebar")
# The navigation knows the page asked for (kept through the login); nothing of it runs before a
# login when one is required (app/login.py).
gate(settings)
st.sidebar.caption(
    "Data: Prefeitura de Belo Horizonte / Portal de Dados Abertos da PBH (dados.pbh.gov.br) and BHTRANS, CC BY."
)
navigation.run()
