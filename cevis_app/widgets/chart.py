"""The one way a page shows a plotly figure: readable text, and the numbers behind it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cevis_app.charts.numbers import chart_numbers
from cevis_app.charts.text_style import readable
from cevis_app.widgets import present

# no modebar: on a phone and in a narrow column it covered every chart's title; zoom by
# dragging and double-click to reset still work
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


def chart(fig, key: str, *, numbers: bool = True, **kwargs):
    """Render a plotly figure full width, its text readable (presentation: 18 px and more),
    with the numbers behind it in an expander (the chart's text alternative; not presenting).
    ``kwargs`` go to ``st.plotly_chart`` (selections); returns what it returns."""
    out = st.plotly_chart(readable(fig, scale=present.chart_scale()), key=key, config=CHART_CONFIG,
                          width="stretch", **kwargs)
    if numbers and not present.active():
        rows = chart_numbers(fig)
        if rows:
            with st.expander("Numbers behind this chart", icon=":material/table:"):
                st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                             height=min(300, 36 * (len(rows) + 1) + 3))
    return out
