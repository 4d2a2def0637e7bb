"""URL values a page can trust: a bound widget's unusable value is replaced by its default,
with a plain-text note, and dropped from the link (``usable`` and ``start_page``).

Session keys ``_url.*`` hold the queued defaults and notes between the two runs it takes.
"""

from __future__ import annotations

import streamlit as st

from cevis_app import streamlit_hooks
from cevis_app.text import escape

FIXES = "_url.fixes"  # session key: {widget key: default} to write before the widget next runs
NOTES = "_url.notes"  # session key: notes about replaced URL values, shown by start_page()
_DONE = object()  # marks a fix already written: never rerun twice for the same key


def unusable_note(key: str, allowed: str) -> str:
    """The plain-text note shown when a link's value of ``key`` is replaced by the default."""
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
    it when its value is set from code, so a rejected value would stay in the link. The
    route is Streamlit's internal one (cevis_app/streamlit_hooks/); without it the
    parameter stays, and the page still uses the default.
    """
    streamlit_hooks.drop_bound_query_param(key)


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
        st.session_state.setdefault(NOTES, []).append(unusable_note(key, describe))
        _drop_bound_param(key)
        st.rerun()
    st.caption(escape.markdown(unusable_note(key, describe)))
    return default
