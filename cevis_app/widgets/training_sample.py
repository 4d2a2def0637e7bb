"""The Training page's clicked flower in the Explorer's terms: its probabilities, its loss, and
a button that opens it in the Explorer (the shared sample, carried with a note if it must adapt)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cevis_app import charts
from cevis_app.text import escape
from cevis_app.views.carry import carry_note
from cevis_app.views.carry import carry_to_explorer
from cevis_app.views.carry import explorer_query
from cevis_app.views.carry import explorer_state
from cevis_app.widgets.chart import chart


def training_sample_detail(row: int, data, rows, scores, class_names) -> None:
    """The clicked flower in the Explorer's terms: its probabilities, its loss, a link."""
    where = np.flatnonzero(data.rows[rows] == row)
    if where.size == 0:
        return
    i = int(where[0])
    y = int(data.labels[rows][i])
    with st.container(border=True):
        species = escape.markdown(class_names[y])
        st.markdown(f"**Sample {row}**, a {species}: loss −log p = {scores.loss[i]:.4f}")
        chart(charts.make_probability_figure(scores.probs[i], class_names, y),
              key="training.fig.sample")
        explorer_button(scores.logits[i], y, class_names)


def explorer_button(logits, y: int, class_names) -> None:
    """A button that opens the Explorer on this sample, in this tab, and a note if it must adapt."""
    carried = carry_to_explorer(logits, y)
    st.caption(carry_note(carried))
    if st.button("Open these logits in the Explorer", key="training.to_explorer",
                 icon=":material/tune:"):
        state = explorer_state(carried, y, class_names)
        st.session_state.update(state)  # the shared sample; the URL below says the same
        st.switch_page("app_pages/explorer.py", query_params=explorer_query(state))
