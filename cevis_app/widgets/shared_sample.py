"""The shared sample's controls (classes, names, temperature, true class, logits) and its
persistence across page switches: the Explorer's keys and URL parameters, on every page that
shows the sample. A student following the teacher in a room gets the sample without the
controls (``widgets/room.following``).
"""

from __future__ import annotations

import streamlit as st

from cevis_app.text import escape
from cevis_app.urlstate import MAX_CLASSES
from cevis_app.urlstate import MIN_CLASSES
from cevis_app.urlstate import SAMPLE
from cevis_app.urlstate import SPEC
from cevis_app.urlstate import snap
from cevis_app.views.class_names import parse_class_names
from cevis_app.views.room import sample_view
from cevis_app.widgets import room
from cevis_app.widgets.url_index import seed_index_from_url
from cevis_app.widgets.url_index import write_index_to_url
from cevis_app.widgets.url_values import SWITCHED

# (the Explorer's own caption says its view can be dragged; Descent and Gradients have no drag)
FOLLOWING_NOTE = ("You see the teacher's sample: their logits, true class and temperature. "
                  "Its controls come when you stop following.")
_ABSENT = object()  # a key the session does not hold
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


def _held_sample() -> dict:
    """The sample's keys the session holds, each read once (a session-state read resolves
    widget ids; `in` then `[]` would be two)."""
    values = {k: st.session_state.get(k, _ABSENT) for k in SAMPLE_KEYS}
    return {k: v for k, v in values.items() if v is not _ABSENT}


def _keep_sample() -> None:
    st.session_state[SAMPLE_STORE] = _held_sample()


def sample_columns(widths=(1, 2.4)):
    """(left, right): the column for the sample's controls and the one for the page's view;
    while the session follows the teacher (no controls to show) two full-width blocks, the
    view's first (what stands in the controls' place, a note, goes under the view)."""
    if room.following():
        right = st.container()
        return st.container(), right
    return st.columns(list(widths), gap="large")


def kept_sample() -> dict:
    """The shared sample's keys as this session holds them: its widgets' state, and the sample
    kept across a page switch for the keys a page without those widgets lacks."""
    return {**st.session_state.get(SAMPLE_STORE, {}), **_held_sample()}


def followed_sample(column):
    """A following student's sample, no widget drawn: (names, logits, true_index, temperature).

    The session's keys hold the teacher's sample (room_bar wrote them this run, or a fragment
    run did); a key missing after a page switch comes from the kept sample. They are written
    back, so the controls, once the student explores alone, start from the teacher's view."""
    sample = kept_sample()
    st.session_state.update(sample)
    st.session_state[SAMPLE_STORE] = sample
    column.caption(FOLLOWING_NOTE)
    return sample_view(sample)


def sample_controls(column, page: str, *, max_classes: int = MAX_CLASSES, logits_box=None):
    """Classes, names and temperature in the sidebar; the true class and logits in ``column``
    (the logit sliders in ``logits_box`` when given). A student following the teacher sees no
    controls: ``followed_sample``.

    ``page`` is the calling page's file stem. Returns ``(names, logits, true_index,
    temperature)``. The keys (and so the URL parameters) are the Explorer's, and they
    survive page switches, so the sample set on one page is the sample of every page.
    """
    if room.following():
        return followed_sample(column)
    names, t = sidebar_controls(page, max_classes=max_classes)
    true_index, logits = column_controls(column, names, logits_box=logits_box)
    return names, logits, true_index, t


def sidebar_controls(page: str, *, max_classes: int = MAX_CLASSES):
    """The sidebar's part of ``sample_controls`` (not while following): the number of classes,
    their names and the temperature. Returns ``(names, temperature)``; ``column_controls``,
    called next, keeps the sample for the other pages."""
    p = SAMPLE
    _restore_sample(page)
    with st.sidebar:
        st.subheader("Classes")
        count = st.slider("Number of classes", MIN_CLASSES, max_classes, int(SPEC.classes.default),
                          key=f"{p}.classes", bind="query-params")
        names_text = st.text_input("Class names (comma-separated)", SPEC.names,
                                   max_chars=SPEC.names_max_chars, key=f"{p}.names",
                                   bind="query-params")
        names, note = parse_class_names(names_text, count)
        if note:
            st.caption(escape.markdown(note))
        st.subheader("Softmax")
        temp = SPEC.temperature
        t = snap(st.slider("Temperature T", temp.low, temp.high, temp.default, temp.step,
                           key=f"{p}.T", bind="query-params",
                           help="p = softmax(z / T): T > 1 flattens p, T < 1 sharpens it."),
                 temp.step, temp.low)
    return names, t


def column_controls(column, names: list, *, logits_box=None):
    """The page's part of ``sample_controls``: the true class in ``column``, a logit slider per
    class in ``logits_box`` (or ``column``). Returns ``(true_index, logits)``. The Explorer
    draws these in its fragment (app_pages/explorer.py): a fragment rerun draws them alone."""
    p = SAMPLE
    count = len(names)
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
    return true_index, logits
