"""Controls: the chart wrapper, preset buttons, the shared sample's sliders, index-in-URL helpers."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cevis_app.charts.numbers import chart_numbers
from cevis_app.charts.text_style import readable
from cevis_app.text import escape
from cevis_app.text import parsing
from cevis_app.urlstate import MAX_CLASSES
from cevis_app.urlstate import MIN_CLASSES
from cevis_app.urlstate import SAMPLE
from cevis_app.urlstate import SPEC
from cevis_app.urlstate import snap
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


def _index_from_text(raw, count: int):
    """``raw`` as an index in ``[0, count)``, or None: ASCII digits only, at most 3 of them.

    ``str.isdigit`` is true for ``²`` and ``①``, which ``int`` refuses, and ``int`` refuses
    more than 4,300 digits; a short ASCII-only check sidesteps both.
    """
    if isinstance(raw, list):  # a repeated key: ?k=1&k=2
        raw = raw[-1] if raw else ""
    if not isinstance(raw, str) or not (0 < len(raw) <= 3 and raw.isascii() and raw.isdigit()):
        return None
    index = int(raw)
    return index if index < count else None


def seed_index_from_url(key: str, count: int, default: int = 0) -> None:
    """Give ``st.session_state[key]`` an index in ``[0, count)``, from ``?key=<int>`` at first.

    Used where a bound widget would put a *label* in the URL (a selectbox puts the
    class name, which goes stale when the class is renamed): the URL carries the index.
    An unusable ``?key=`` gives the default and a note, and is dropped from the link.
    """
    state = st.session_state
    if key not in state:
        raw = st.query_params.get_all(key)
        index = _index_from_text(raw, count)
        if raw and index is None:
            st.caption(escape.markdown(_note(key, f"a whole number from 0 to {count - 1}")))
            st.query_params.pop(key, None)
        state[key] = default if index is None else index
    elif not (isinstance(state[key], int) and 0 <= state[key] < count):
        state[key] = default


# ---------------------------------------------------------------- URL values a page can trust
FIXES = "_url.fixes"  # session key: {widget key: default} to write before the widget next runs
NOTES = "_url.notes"  # session key: notes about replaced URL values, shown by start_page()
_DONE = object()  # marks a fix already written: never rerun twice for the same key


def _note(key: str, allowed: str) -> str:
    return f"The link's value of {key} could not be used (allowed: {allowed}); showing the default."


PAGE = "_url.page"  # session key: the page that ran last (a change is a page switch)
SWITCHED = "_url.switched"  # session key: True on the first run of a page after a switch


def start_page(page: str) -> None:
    """First call of every page: note a page switch; write queued defaults into their widgets.

    Writing a bound widget's key through st.session_state before the widget is created
    sets both the widget and its URL parameter, so a bad value (see :func:`usable`)
    leaves the link.
    """
    state = st.session_state
    state[SWITCHED] = state.get(PAGE) != page
    state[PAGE] = page
    fixes = st.session_state.get(FIXES) or {}
    for key, default in list(fixes.items()):
        if default is not _DONE:
            st.session_state[key] = default
            fixes[key] = _DONE
    for note in st.session_state.pop(NOTES, []):
        st.caption(escape.markdown(note))


def _drop_bound_param(key: str) -> None:
    """Remove ``?key=`` although a widget is bound to it, as Streamlit does for values it rejects.

    st.query_params refuses to change a bound parameter, and the widget does not rewrite
    it when its value is set from code, so a rejected value would stay in the link. This
    is Streamlit 1.67's own internal route (SessionState._clear_url_param); if it is gone
    in another version the parameter stays, and the page still uses the default.
    """
    ctx = get_script_run_ctx()
    try:
        with ctx.session_state.query_params() as qp:
            qp.remove_param(key)
    except AttributeError:
        pass


def usable(value, key: str, default, allowed=None, *, describe: str | None = None):
    """The value of bound widget ``key`` to compute with: ``default`` if None or not allowed.

    Streamlit 1.67 seeds None from an empty URL value even for a required control. Such
    a value is replaced by ``default`` for this run with a plain-text note, and (once per
    key) the page reruns so that :func:`start_page` puts the default into the widget and
    the link. ``allowed`` is a collection of values or a predicate on the value.
    """
    if value is not None and (allowed is None or (
            allowed(value) if callable(allowed) else value in allowed)):
        return value
    if describe is None:
        describe = ("see the control" if allowed is None or callable(allowed)
                    else ", ".join(str(v) for v in allowed))
    fixes = st.session_state.setdefault(FIXES, {})
    if key not in fixes:
        fixes[key] = default
        st.session_state.setdefault(NOTES, []).append(_note(key, describe))
        _drop_bound_param(key)
        st.rerun()
    st.caption(escape.markdown(_note(key, describe)))
    return default


def write_index_to_url(key: str, value: int, default: int = 0) -> None:
    """Keep ``?key=`` equal to the widget's index (absent when it is the default)."""
    if value == default:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)



def clicked_row_in_url(key: str, clicked, valid_rows) -> int | None:
    """The row a chart click selected, kept in ``?key=`` so a link reopens it.

    A new click (or a cleared selection) updates the link; with no click since the
    page opened, the link's row is used if it is one of ``valid_rows``.
    """
    state, last = st.session_state, f"{key}.last_click"
    if clicked != state.get(last):  # the user clicked a point, or cleared the selection
        state[last] = clicked
        if clicked is None:
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = str(clicked)
        return clicked
    index = _index_from_text(st.query_params.get_all(key), 10**3)
    if st.query_params.get_all(key) and index not in valid_rows:
        st.query_params.pop(key, None)
        st.caption(escape.markdown(_note(key, "the number of a flower in the table")))
        return None
    return index


SAMPLE_STORE = "_sample"  # plain session key (no widget's): the shared sample, kept across pages
SAMPLE_KEYS = [f"{SAMPLE}.{k}" for k in ("classes", "names", "T", "y")] + [
    f"{SAMPLE}.z{i}" for i in range(MAX_CLASSES)]


SAMPLE_DEFAULTS = {f"{SAMPLE}.classes": int(SPEC.classes.default), f"{SAMPLE}.names": SPEC.names,
                   f"{SAMPLE}.T": SPEC.temperature.default, f"{SAMPLE}.y": 0}  # and 0.0 for each logit


def _sample_query(saved: dict) -> dict:
    """The link's parameters for a saved sample: the values that differ from the defaults."""
    return {key: value if isinstance(value, str) else f"{value:g}"
            for key, value in saved.items() if value != SAMPLE_DEFAULTS.get(key, 0.0)}


def _restore_sample(page: str) -> None:
    """After a page switch, put the shared sample back into its widgets and into the link.

    Streamlit drops a bound widget's state and its URL parameters when the page that
    rendered it is left (they belong to that page's widgets), so the next page would
    start from the defaults and the link would lose the sample. If the link lacks the
    sample, the page is opened again on a link that has it (Streamlit's own way to put
    parameters into the address bar); otherwise the keys are written before the widgets.
    """
    state = st.session_state
    if not state.get(SWITCHED):
        return
    saved = state.get(SAMPLE_STORE, {})
    query = _sample_query(saved)
    if any(st.query_params.get(k) != v for k, v in query.items()):
        others = {k: st.query_params.get_all(k) for k in st.query_params
                  if not k.startswith(f"{SAMPLE}.")}
        st.switch_page(f"app_pages/{page}.py", query_params={**others, **query})
    for key, value in saved.items():
        state[key] = value


def _keep_sample() -> None:
    state = st.session_state
    state[SAMPLE_STORE] = {k: state[k] for k in SAMPLE_KEYS if k in state}


def sample_controls(column, page: str, *, max_classes: int = MAX_CLASSES, logits_box=None):
    """Classes, names and temperature in the sidebar; the true class and logits in ``column``
    (the logit sliders in ``logits_box`` when given).

    ``page`` is the calling page's file stem. Returns ``(names, logits, true_index,
    temperature)``. The keys (and so the URL parameters) are the Explorer's, and they
    survive page switches, so the sample set on one page is the sample of every page.
    """
    p = SAMPLE
    _restore_sample(page)
    with st.sidebar:
        st.subheader("Classes")
        count = st.slider("Number of classes", MIN_CLASSES, max_classes, int(SPEC.classes.default),
                          key=f"{p}.classes", bind="query-params")
        names_text = st.text_input("Class names (comma-separated)", SPEC.names,
                                   max_chars=SPEC.names_max_chars, key=f"{p}.names",
                                   bind="query-params")
        names, note = parsing.parse_class_names(names_text, count)
        if note:
            st.caption(escape.markdown(note))
        st.subheader("Softmax")
        temp = SPEC.temperature
        t = snap(st.slider("Temperature T", temp.low, temp.high, temp.default, temp.step,
                           key=f"{p}.T", bind="query-params",
                           help="p = softmax(z / T): T > 1 flattens p, T < 1 sharpens it."),
                 temp.step, temp.low)
    with column:
        seed_index_from_url(f"{p}.y", count)  # the URL holds the index, not the class name
        true_index = st.selectbox("True class y", range(count), format_func=lambda i: names[i],
                                  key=f"{p}.y", persist_state="session")
        write_index_to_url(f"{p}.y", true_index)
    with logits_box or column:
        z = SPEC.logit
        logits = [snap(st.slider(f"Logit z of {escape.markdown(name)}", z.low, z.high, z.default,
                                 z.step, format="%.2f", key=f"{p}.z{i}", bind="query-params"),
                       z.step, z.low)
                  for i, name in enumerate(names)]
    _keep_sample()
    return names, logits, true_index, t


# ---------------------------------------------------------------- presets, one protocol
def apply_preset(prefix: str, preset) -> None:
    """Callback: write the preset's widget state (and so the URL)."""
    st.session_state.update(preset.widget_state(prefix))


def preset_row(prefix: str, presets: dict):
    """One full-width button per preset; returns the placeholder for the lesson (see below)."""
    row = st.container(key=f"cevis-presets-{prefix}")  # a hook for the phone layout (present.py)
    for column, (key, preset) in zip(row.columns(len(presets)), presets.items()):
        column.button(preset.label, key=f"{prefix}.preset.{key}", width="stretch",
                      on_click=apply_preset, args=(prefix, preset))
    return st.empty()


def show_preset_lesson(box, prefix: str, presets: dict) -> None:
    """Call after the widgets: the lesson of the preset the view still shows goes into ``box``."""
    for preset in presets.values():
        if preset.lesson and preset.matches(st.session_state, prefix):
            box.info(preset.lesson, icon=":material/school:")
            return
