"""The one way a page shows a plotly figure: readable text, and the numbers behind it."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from cevis_app.charts import frozen
from cevis_app.charts.numbers import chart_numbers
from cevis_app.charts.text_style import readable
from cevis_app.widgets import present

# no modebar: on a phone and in a narrow column it covered every chart's title; zoom by
# dragging and double-click to reset still work
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}
NUMBERS_LABEL = "Numbers behind this chart"
MEMO = "_cevis_shown"  # a shared figure's attribute: what chart() derived from it, per scale


def share(fig):
    """Mark ``fig`` as shared and never changed again (a cached figure, shown by many
    sessions): chart() then derives its readable copy and its numbers once, not every run."""
    fig.__dict__[MEMO] = {}
    return fig


def _derived(fig, what, make):
    """``make()``, kept on a shared figure under ``what`` (computed once, read by every session;
    setting one dict item is atomic, so two sessions at once at worst compute it twice)."""
    memo = fig.__dict__.get(MEMO)
    if memo is None:
        return make()
    if what not in memo:
        memo[what] = make()
    return memo[what]


def _table(fig):
    """The numbers as an Arrow table, as st.dataframe converts a DataFrame (the same bytes),
    converted once for a shared figure."""
    rows = chart_numbers(fig)
    return pa.Table.from_pandas(pd.DataFrame(rows)) if rows else None


def chart(fig, key: str, *, numbers: bool = True, lazy: bool = False, **kwargs):
    """Render a plotly figure full width, its text readable (presentation: 18 px and more),
    with the numbers behind it in an expander (the chart's text alternative; not presenting).
    ``lazy``: the table is made and sent only while the expander is open (opening it reruns
    the page; for a page a whole room opens at once). ``kwargs`` go to ``st.plotly_chart``
    (selections); returns what it returns."""
    scale = present.chart_scale()
    figure = _derived(fig, ("readable", scale), lambda: frozen(readable(fig, scale=scale)))
    out = st.plotly_chart(figure, key=key, config=CHART_CONFIG, width="stretch", **kwargs)
    if not numbers or present.active():
        return out
    if lazy:
        box = st.expander(NUMBERS_LABEL, icon=":material/table:", key=f"{key}.numbers",
                          on_change="rerun")
        if not box.open:
            return out
    table = _derived(fig, "numbers", lambda: _table(fig))
    if table is not None:
        with box if lazy else st.expander(NUMBERS_LABEL, icon=":material/table:"):
            st.dataframe(table, hide_index=True, width="stretch",
                         height=min(300, 36 * (table.num_rows + 1) + 3))
    return out
