"""Pieces every page shares: the error panel, freshness badges and the "reads" side panel."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterator

import streamlit as st

from app import data

log = logging.getLogger(__name__)

# Background colours of the freshness statuses, and a mark readable without colour.
STATUS_COLOURS = {"fresh": "#c8f7c5", "stale": "#fde2a7", "late": "#f9c9a0", "never": "#e5e7eb",
                  "failed": "#f8b4b4"}
STATUS_MARKS = {"fresh": "●", "stale": "▲", "late": "◆", "never": "○", "failed": "✖"}
ASSET_PAGE = "views/asset.py"


@contextmanager
def panel(title: str) -> Iterator[None]:
    """Run one panel; if it fails, show what is wrong in its place and let the page go on.

    Streamlit's own control flow (``st.stop``, reruns) derives from ``BaseException`` and passes.
    """
    try:
        yield
    except Exception as exc:  # every failure of one panel stays in that panel
        log.warning("panel %r failed: %s", title, exc, exc_info=not isinstance(exc, data.MissingTableError))
        st.error(f"**{title}** cannot be shown: {explain(exc)}", icon=":material/error:")


def explain(exc: BaseException) -> str:
    """One line a reader can act on: the error's own message, its kind when it has none."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    if isinstance(exc, data.MissingTableError):
        return text
    return f"{kind}: {text}" if text else kind


def status_label(status: str | None, late_by: Any = None) -> str:
    status = status or "never"
    label = f"{STATUS_MARKS.get(status, '?')} {status}"
    late = data.duration(late_by)
    if not late:
        return label
    # stale: past the pipeline's window; late: the source's data is overdue (the word says it already)
    return f"{label} ({late})" if status == "late" else f"{label} (late {late})"


def status_colour(status: str | None) -> str:
    return STATUS_COLOURS.get(status or "never", "#ffffff")


def reads(lk: data.Lake, names: tuple[str, ...]) -> None:
    """Beside a chart: the assets it reads, how fresh each is, and a link to each one's page."""
    st.markdown("**Reads**")
    try:
        rows = {r["asset"]: r for r in data.status_of(lk, names)}
    except Exception as exc:  # the side panel never takes the chart down with it
        st.caption(f"freshness unavailable: {explain(exc)}")
        rows = {}
    for name in names:
        row = rows.get(name, {})
        status = row.get("status") or "never"
        st.page_link(ASSET_PAGE, label=name, query_params={"asset": name}, icon=":material/dataset:")
        st.markdown(
            f"<span style='background:{status_colour(status)};padding:1px 6px;border-radius:4px' "
            f"class='bhnav-status' data-status='{status}'>{status_label(status, row.get('late_by'))}</span> "
            f"<small>{data.when(row.get('last_materialized'))}</small>",
            unsafe_allow_html=True,
        )
