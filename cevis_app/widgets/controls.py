"""Controls: the chart wrapper, preset buttons, the shared sample's sliders, index-in-URL helpers."""

from __future__ import annotations

import streamlit as st

from cevis_app.text import parsing
from cevis_app.urlstate import LOGIT_RANGE
from cevis_app.urlstate import MAX_CLASSES
from cevis_app.urlstate import MIN_CLASSES
from cevis_app.urlstate import SAMPLE
from cevis_app.urlstate import snap

CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}



def chart(fig, key: str) -> None:
    """Render a plotly figure full width with the app's chart settings."""
    st.plotly_chart(fig, key=key, config=CHART_CONFIG, width="stretch")












def seed_index_from_url(key: str, count: int, default: int = 0) -> None:
    """Give ``st.session_state[key]`` an index in ``[0, count)``, from ``?key=<int>`` at first.

    Used where a bound widget would put a *label* in the URL (a selectbox puts the
    class name, which goes stale when the class is renamed): the URL carries the index.
    """
    state = st.session_state
    if key not in state:
        raw = st.query_params.get(key, "")
        state[key] = int(raw) if raw.isdigit() and int(raw) < count else default
    elif not (isinstance(state[key], int) and 0 <= state[key] < count):
        state[key] = default



def write_index_to_url(key: str, value: int, default: int = 0) -> None:
    """Keep ``?key=`` equal to the widget's index (absent when it is the default)."""
    if value == default:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)



def sample_controls(column, *, temperature: bool = True, max_classes: int = MAX_CLASSES):
    """Classes, names and temperature in the sidebar; the true class and logits in ``column``.

    Returns ``(names, logits, true_index, temperature)``. The keys (and so the URL
    parameters) are the Explorer's, so the logits set there carry over to the pages
    that use this too.
    """
    p = SAMPLE
    with st.sidebar:
        st.subheader("Classes")
        count = st.slider("Number of classes", MIN_CLASSES, max_classes, 3, key=f"{p}.classes",
                          bind="query-params")
        names_text = st.text_input("Class names (comma-separated)", "panda, seal, duck",
                                   max_chars=300, key=f"{p}.names", bind="query-params")
        names, note = parsing.parse_class_names(names_text, count)
        if note:
            st.caption(note)
        t = 1.0
        if temperature:
            st.subheader("Softmax")
            t = snap(st.slider("Temperature T", 0.1, 5.0, 1.0, 0.05, key=f"{p}.T",
                               bind="query-params",
                               help="p = softmax(z / T): T > 1 flattens p, T < 1 sharpens it."),
                     0.05, 0.1)
    with column:
        seed_index_from_url(f"{p}.y", count)  # the URL holds the index, not the class name
        true_index = st.selectbox("True class y", range(count), format_func=lambda i: names[i],
                                  key=f"{p}.y", persist_state="session")
        write_index_to_url(f"{p}.y", true_index)
        logits = [snap(st.slider(f"Logit z of {name}", -LOGIT_RANGE, LOGIT_RANGE, 0.0, 0.01,
                                 format="%.2f", key=f"{p}.z{i}", bind="query-params"),
                       0.01, -LOGIT_RANGE)
                  for i, name in enumerate(names)]
    return names, logits, true_index, t


# ---------------------------------------------------------------- presets, one protocol
def apply_preset(prefix: str, preset) -> None:
    """Callback: write the preset's widget state (and so the URL)."""
    st.session_state.update(preset.widget_state(prefix))


def preset_row(prefix: str, presets: dict):
    """One full-width button per preset; returns the placeholder for the lesson (see below)."""
    for column, (key, preset) in zip(st.columns(len(presets)), presets.items()):
        column.button(preset.label, key=f"{prefix}.preset.{key}", width="stretch",
                      on_click=apply_preset, args=(prefix, preset))
    return st.empty()


def show_preset_lesson(box, prefix: str, presets: dict) -> None:
    """Call after the widgets: the lesson of the preset the view still shows goes into ``box``."""
    for preset in presets.values():
        if preset.lesson and preset.matches(st.session_state, prefix):
            box.info(preset.lesson, icon=":material/school:")
            return
