"""An index kept in the URL where a bound widget would put a label: the true class, a clicked
row. ASCII digits only; an unusable value gives the default and a note, and leaves the link.
"""

from __future__ import annotations

import streamlit as st

from cevis_app.text import escape
from cevis_app.widgets.url_values import unusable_note


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
            st.caption(escape.markdown(unusable_note(key, f"a whole number from 0 to {count - 1}")))
            st.query_params.pop(key, None)
        state[key] = default if index is None else index
    elif not (isinstance(state[key], int) and 0 <= state[key] < count):
        state[key] = default


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
        st.caption(escape.markdown(unusable_note(key, "the number of a flower in the table")))
        return None
    return index
