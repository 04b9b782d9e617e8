"""SQL: analysts ask the lake questions in Athena's SQL; read-only, with a row limit and the cost.

The curated and analytics zones only (PII hashed); every run is logged and the page lists the
user's own history. A run stops at the statement timeout, or when this page's session ends."""

from __future__ import annotations

import streamlit as st

from app import data
from app.formatting import human_bytes
from app.panels import explain, panel

EXAMPLE = """SELECT regional, sum(acidentes) AS acidentes, sum(acidentes_fatais) AS fatais
FROM bhnav_analytics.acidentes_mensal_regional
GROUP BY regional
ORDER BY acidentes DESC"""


def athena_cost(count: int | None) -> str:
    """What Athena would bill for this scan (its 10 MB floor included)."""
    from catalog.athena import cost_usd

    return "—" if count is None else f"${cost_usd(count):.6f}"


def tables_help(lk: data.Lake) -> None:
    rows = data.status_rows(lk)
    with st.expander("Tables you can query"):
        import pandas as pd

        st.dataframe(pd.DataFrame([
            {"table": f"{lk.settings.database(r['zone'])}.{r['asset']}", "rows": r["rows"], "freshness": r["status"]}
            for r in rows if r["zone"] != "raw"
        ]), hide_index=True, width="stretch")


def run(lk: data.Lake, sql: str, limit: int) -> None:
    from catalog.query import QueryError, ReadOnlyQueryError

    try:
        result = data.run_uncached(lk, sql, limit)
    except ReadOnlyQueryError as exc:
        st.session_state.pop("sql_result", None)
        st.error(f"Refused: {explain(exc)}. This editor only reads; it runs SELECT, WITH, SHOW and DESCRIBE.",
                 icon=":material/block:")
        return
    except QueryError as exc:
        st.session_state.pop("sql_result", None)
        st.error(f"The query did not run: {str(exc).splitlines()[0]}", icon=":material/error:")
        return
    st.session_state["sql_result"] = (sql, limit, result)


def history(lk: data.Lake) -> None:
    """The user's own queries from this page, newest first, as the query log holds them."""
    import pandas as pd

    rows = data.query_history(lk)
    with st.expander(f"Your query history ({len(rows)})", expanded=False):
        if not rows:
            st.caption("No query yet.")
            return
        st.dataframe(pd.DataFrame([
            {"time": r["time"], "outcome": r["outcome"], "rows": r["rows"],
             "scanned": human_bytes(r["bytes_scanned"], "—"), "seconds": r["duration_s"], "engine": r["engine"],
             "sql": r["sql"], "message": r["message"]} for r in rows
        ]), hide_index=True, width="stretch", key="history")


def render() -> None:
    st.title("SQL")
    st.caption("Athena (Trino) SQL over the lake's tables, addressed as `bhnav_curated.<table>` or "
               "`bhnav_analytics.<table>`. Read-only. Locally DuckDB answers the same SQL.")
    lk = None
    with panel("The catalog"):
        lk = data.lake()
        tables_help(lk)
    if lk is None:
        return
    sql = st.text_area("Query", value=EXAMPLE, height=180, key="sql")
    left, _ = st.columns([1, 4])
    limit = left.number_input("Row limit", min_value=1, max_value=100_000, value=1000, step=100, key="limit")
    if st.button("Run", type="primary", key="run"):
        with panel("The query"):
            run(lk, sql, int(limit))
    with panel("Your query history"):
        history(lk)
    kept = st.session_state.get("sql_result")
    if kept:
        ran_sql, ran_limit, result = kept
        cells = st.columns(3)
        cells[0].metric("Rows", f"{len(result.frame):,}" + (" (limit reached)" if result.truncated else ""))
        cells[1].metric("Bytes scanned", human_bytes(result.bytes_scanned, "not reported"))
        cells[2].metric("Athena cost of this scan", athena_cost(result.bytes_scanned))
        st.caption(f"Engine: {result.engine or 'unknown'}. Athena bills $5 per TB scanned, at least 10 MB a query.")
        st.dataframe(result.frame, hide_index=True, width="stretch")
        st.download_button("Download CSV", result.frame.to_csv(index=False).encode("utf-8"),
                           file_name="bhnav_query.csv", mime="text/csv", key="download")


render()
