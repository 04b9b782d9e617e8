"""Assets: every table of the lake with its freshness (the source's cadence and the pipeline's lag),
the periods it holds and the gaps between them, its checks and quarantine, filterable."""

from __future__ import annotations

import streamlit as st

from app import data
from app.panels import ASSET_PAGE, STATUS_COLOURS, panel, status_colour, status_label

STATUSES = tuple(STATUS_COLOURS)
COLUMNS = {
    "asset": "Asset", "zone": "Zone", "owner": "Owner", "last_materialized": "Last materialised",
    "rows": "Rows", "status": "Freshness", "cadence": "Source cadence", "pipeline": "Pipeline lag",
    "range": "Range held", "gaps": "Gaps", "newest_data": "Newest data", "source_updated": "Source updated",
    "checks": "Checks", "quarantined": "Quarantined",
}


def cadence_text(row: dict) -> str:
    if row["cadence_status"]:
        return row["cadence_status"]
    return "no dated data yet" if row["cadence"] else "—"


def gaps_text(row: dict) -> str:
    if not row["range"]:
        return "—"
    return ", ".join(row["missing_periods"]) or "none"


def filtered(rows: list[dict], zones, statuses, owners, search: str) -> list[dict]:
    needle = search.strip().lower()
    return [
        r for r in rows
        if (not zones or r["zone"] in zones)
        and (not statuses or (r["status"] or "never") in statuses)
        and (not owners or r["owner"] in owners)
        and (not needle or needle in r["asset"].lower() or needle in (r["owner"] or "").lower())
    ]


def checks_text(row: dict) -> str:
    if not row["checks_total"]:
        return "—"
    failed = row["checks_failed"]
    if not failed:
        return f"{row['checks_total']}/{row['checks_total']} passed"
    return f"{row['checks_total'] - len(failed)}/{row['checks_total']} passed; failed: {', '.join(failed)}"


def table_frame(rows: list[dict]):
    import pandas as pd

    frame = pd.DataFrame([
        {
            "asset": r["asset"], "zone": r["zone"], "owner": r["owner"],
            "last_materialized": data.when(r["last_materialized"]),
            "rows": "—" if r["rows"] is None else f"{r['rows']:,}",
            "status": status_label(r["status"], r["late_by"]),
            "cadence": cadence_text(r),
            "pipeline": data.duration(r["pipeline_lag"]) or "—",
            "range": r["range"] or "—",
            "gaps": gaps_text(r),
            "newest_data": data.when(r["newest_data"]),
            "source_updated": data.when(r["source_updated"]),
            "checks": checks_text(r),
            "quarantined": f"{r['quarantined'] or 0:,}",
        }
        for r in rows
    ], columns=list(COLUMNS)).rename(columns=COLUMNS)
    statuses = [r["status"] or "never" for r in rows]
    # Colour the freshness cell by status; the mark and the word say the same without colour.
    styler = frame.style.apply(
        lambda column: [f"background-color: {status_colour(s)}" for s in statuses], subset=[COLUMNS["status"]]
    ).hide(axis="index")
    return frame, styler


def render() -> None:
    st.title("Assets")
    st.caption("Every table of the lake: when it was last materialised, whether its data is late against its "
               "source's cadence and how long since the pipeline last ran, the periods it holds and the gaps "
               "between them, what its checks said and how many rows went to quarantine.")
    with panel("The asset list"):
        lk = data.lake()
        rows = data.status_rows(lk)
        counts = {s: sum(1 for r in rows if (r["status"] or "never") == s) for s in STATUSES}
        for column, status in zip(st.columns(len(STATUSES) + 1), ("all", *STATUSES)):
            column.metric(status.capitalize(), len(rows) if status == "all" else counts[status])

        left, middle, right, search_column = st.columns([1, 1, 1, 2])
        zones = left.multiselect("Zone", sorted({r["zone"] for r in rows}), key="zone")
        statuses = middle.multiselect("Freshness", STATUSES, key="status")
        owners = right.multiselect("Owner", sorted({r["owner"] for r in rows}), key="owner")
        search = search_column.text_input("Search", key="search", placeholder="asset or owner")
        shown = filtered(rows, zones, statuses, owners, search)
        st.caption(f"{len(shown)} of {len(rows)} assets")
        if shown:
            _, styler = table_frame(shown)
            st.table(styler)
            pick, link = st.columns([3, 1])
            chosen = pick.selectbox("Open an asset", [r["asset"] for r in shown], key="open")
            link.page_link(ASSET_PAGE, label=f"Open {chosen}", query_params={"asset": chosen}, icon=":material/open_in_new:")
        else:
            st.info("No asset matches these filters.")


render()
