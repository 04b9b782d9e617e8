"""One asset: what it holds, its schema, partitions, lineage, runs, checks and first rows."""

from __future__ import annotations

import streamlit as st

from app import data
from app.lineage import lineage_dot, pii_columns_of
from app.panels import ASSET_PAGE, panel, status_colour, status_label

PREVIEW_ROWS = 20
MASK = "•••• (PII)"


def _choose(names: list[str]) -> str:
    """The asset named in the URL (``?asset=``), else the picker's choice; the URL follows it."""
    wanted = st.query_params.get("asset")
    index = names.index(wanted) if wanted in names else 0
    chosen = st.selectbox("Asset", names, index=index, key="asset_choice")
    if chosen != wanted:
        st.query_params["asset"] = chosen
    return chosen


def _header(lk: data.Lake, asset) -> None:
    st.title(asset.name)
    st.caption(f"{asset.zone} zone · domain {asset.domain} · owner {asset.owner}"
               + (f" · tags {', '.join(asset.tags)}" if asset.tags else ""))
    st.write(asset.description)
    row = next(iter(data.status_of(lk, [asset.name])), None)
    if row is None:
        return
    cells = st.columns([2, 1, 1, 3])
    cells[0].markdown(
        f"Freshness<br><span class='bhnav-status' data-status='{row['status']}' "
        f"style='background:{status_colour(row['status'])};padding:2px 8px;border-radius:4px'>"
        f"{status_label(row['status'], row['late_by'])}</span><br><small>{asset.freshness.describe()}"
        + (f"; {row['cadence']}" if row["cadence"] else "") + "</small>",
        unsafe_allow_html=True,
    )
    cells[1].metric("Rows", "—" if row["rows"] is None else f"{row['rows']:,}")
    cells[2].metric("Quarantined rows", f"{row['quarantined'] or 0:,}")
    cells[3].markdown(
        f"Last materialised: **{data.when(row['last_materialized'])}**"
        + (f" ({data.duration(row['pipeline_lag'])} ago)" if row["pipeline_lag"] else "") + "  \n"
        + (f"Source cadence: **{row['cadence_status']}**  \n" if row["cadence_status"] else "")
        + f"Range held: **{row['range'] or '—'}**  \n"
        f"Newest data in the table: **{data.when(row['newest_data'])}**  \n"
        f"Source's last update: **{data.when(row['source_updated'])}**"
        + (f" <small>({row['source_of_update']})</small>" if row["source_of_update"] else ""),
        unsafe_allow_html=True,
    )
    if row["error"]:
        st.error(f"The last run failed: {row['error']}", icon=":material/error:")


def _schema(lk: data.Lake, asset) -> None:
    import pandas as pd

    entry = data.table(lk, asset.name)
    declared = {c.name: c for c in asset.schema}
    pii = set(pii_columns_of(asset, data.graph()))
    if entry is None:
        st.info(f"{asset.name} is not registered in the catalog yet; this is the declared schema.")
        columns = [{"Name": c.name, "Type": c.type, "Comment": c.description} for c in asset.schema]
        partition_names = set(asset.partitioning.columns)
    else:
        st.caption(f"`{entry['database']}.{entry['name']}` · {entry['table_type']} · {entry['location']}")
        columns = entry["columns"] + entry["partition_keys"]
        partition_names = {c["Name"] for c in entry["partition_keys"]}
    st.dataframe(pd.DataFrame([
        {
            "column": c["Name"], "type": c["Type"], "comment": c.get("Comment", ""),
            "PII": "yes" + (f" ({declared[c['Name']].pii_handling})" if c["Name"] in declared else "")
            if c["Name"] in pii else "",
            "partition": "yes" if c["Name"] in partition_names else "",
        }
        for c in columns
    ]), hide_index=True, width="stretch")


def _partitions(lk: data.Lake, asset) -> None:
    part = asset.partitioning
    if asset.is_raw:
        st.write("Raw landings are partitioned by `ingest_date` (the day each file was landed); each landed "
                 "file declares the period it covers.")
    elif not part.columns:
        st.write("Not partitioned: the table is small enough to read whole.")
    else:
        text = f"Partition columns: {', '.join(f'`{c}`' for c in part.columns)}"
        if part.date_column:
            text += f", derived from `{part.date_column}` at {part.grain} grain"
        st.write(text + ".")
    row = next(iter(data.status_of(lk, [asset.name])), None)
    if row is not None:
        _coverage(row)
    runs = data.history(lk, asset.name)
    written = next((r.get("partitions_written") for r in runs if r["status"] == "success"), None)
    if written:
        st.caption(f"Last successful run wrote {len(written)} partition(s): " + ", ".join(written[:24])
                   + (" …" if len(written) > 24 else ""))


def _coverage(row: dict) -> None:
    """The periods held, the gaps between the first and the last, and what the source still owes."""
    import pandas as pd

    if row["cadence_status"]:
        late = row["cadence_missing"]
        (st.warning if late else st.success)(f"Source cadence ({row['cadence']}): {row['cadence_status']}",
                                             icon=":material/event_busy:" if late else ":material/event_available:")
    if not row["range"]:
        st.info("No dated partition held yet.")
        return
    cells = st.columns(3)
    cells[0].metric("Range held", row["range"])
    cells[1].metric(f"Periods held ({row['grain']})", len(row["periods_held"]))
    cells[2].metric("Gaps", len(row["missing_periods"]))
    if row["missing_periods"]:
        st.warning("Missing between the first and the last period: " + ", ".join(row["missing_periods"]),
                   icon=":material/warning:")
    st.dataframe(pd.DataFrame({"period": row["periods_held"]}), hide_index=True, width="stretch",
                 key="periods_held")


def _lineage(asset) -> None:
    graph = data.graph()
    st.graphviz_chart(lineage_dot(graph, asset.name), width="stretch")
    up, down = st.columns(2)
    with up:
        st.markdown("**Upstream**")
        for name in asset.deps or ():
            st.page_link(ASSET_PAGE, label=name, query_params={"asset": name}, icon=":material/arrow_back:")
        if not asset.deps:
            st.caption("none: a raw table landed from its source")
    with down:
        st.markdown("**Downstream**")
        children = graph.downstream(asset.name)
        for name in children:
            st.page_link(ASSET_PAGE, label=name, query_params={"asset": name}, icon=":material/arrow_forward:")
        if not children:
            st.caption("none")


def _history(lk: data.Lake, asset) -> None:
    import pandas as pd

    runs = data.history(lk, asset.name)
    if not runs:
        st.info("No run recorded yet.")
        return
    st.dataframe(pd.DataFrame([
        {
            "finished": r["finished_at"][:19].replace("T", " "), "status": r["status"], "rows": r.get("rows"),
            "delta version": r.get("delta_version"), "quarantined": r.get("quarantined_rows"),
            "checks failed": sum(1 for c in r.get("checks") or () if not c["passed"]),
            "code version": (r.get("code_version") or "")[:12], "error": r.get("error") or "",
        }
        for r in runs
    ]), hide_index=True, width="stretch")


def _checks(lk: data.Lake, asset) -> None:
    import pandas as pd

    runs = [r for r in data.history(lk, asset.name) if r["status"] in ("success", "failed")]
    results = {c["name"]: c for c in (runs[0].get("checks") or [])} if runs else {}
    if not asset.checks:
        st.info("No check is declared on this asset.")
        return
    st.dataframe(pd.DataFrame([
        {
            "check": c.name, "kind": c.kind, "severity": c.severity,
            "result": ("passed" if results[c.name]["passed"] else "FAILED") if c.name in results else "not run",
            "failing rows": results.get(c.name, {}).get("failing_rows"),
            "message": results.get(c.name, {}).get("message", ""),
        }
        for c in asset.checks
    ]), hide_index=True, width="stretch")


def _preview(lk: data.Lake, asset) -> None:
    data.require_tables(lk, [asset.name])
    result = data.query(lk, f"SELECT * FROM {data.qualified(lk, asset.name)}", limit=PREVIEW_ROWS)
    frame = result.frame.copy()
    masked = [c for c in pii_columns_of(asset, data.graph()) if c in frame.columns]
    for column in masked:
        frame[column] = frame[column].where(frame[column].isna(), MASK)
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(f"First {len(frame)} rows" + (f"; masked as personal data: {', '.join(masked)}" if masked else ""))


def render() -> None:
    graph = data.graph()
    name = _choose(list(graph.names))
    asset = graph[name]
    lk = None
    with panel("The catalog"):
        lk = data.lake()
    if lk is None:
        return
    with panel("Summary"):
        _header(lk, asset)
    tabs = st.tabs(["Schema", "Partitions", "Lineage", "History", "Checks", "Preview"])
    for tab, (title, draw) in zip(tabs, [
        ("Schema", lambda: _schema(lk, asset)),
        ("Partitions", lambda: _partitions(lk, asset)),
        ("Lineage", lambda: _lineage(asset)),
        ("Materialisation history", lambda: _history(lk, asset)),
        ("Checks", lambda: _checks(lk, asset)),
        ("Preview", lambda: _preview(lk, asset)),
    ]):
        with tab, panel(title):
            draw()


render()
