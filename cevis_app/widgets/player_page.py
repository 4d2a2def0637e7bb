"""A player's settings live in its fragment with it; the rest of the page follows afterwards.

A change of η (or the loss, ε, λ) while paused reruns only the player's fragment, so the first
frame of the continued run is drawn without waiting for the page's plotly charts (the browser
redraws those in the same task as the player otherwise: 0.7–1 s at load 11, ``bench/bench_players.py``).
The page's comparisons then show the old settings: the payload says so (``refresh``), the
browser reports the frame once it is painted, and that report reruns the whole page.
"""

from __future__ import annotations

import contextlib

import streamlit as st


def _flag(key: str) -> str:
    return f"_{key}.in_page"


@contextlib.contextmanager
def full_run(key: str):
    """Around the fragment's call in the page's own run (a fragment rerun skips the page)."""
    st.session_state[_flag(key)] = True
    try:
        yield
    finally:
        st.session_state[_flag(key)] = False


def drawn_with(key: str, settings) -> None:
    """The page below the player was drawn with ``settings``."""
    st.session_state[f"_{key}.page"] = settings


def page_is_stale(key: str, settings) -> bool:
    """In a fragment rerun: the page below still shows other settings than ``settings``.

    If the browser already showed the run for ``settings`` (its report is this rerun), the page
    reruns now (``st.rerun`` raises); otherwise the payload asks for that report (True)."""
    if st.session_state.get(_flag(key), True) or st.session_state.get(f"_{key}.page") == settings:
        return False
    sent = f"_{key}.sent"
    if st.session_state.get(sent) == settings:
        st.session_state.pop(sent)
        st.rerun(scope="app")
    st.session_state[sent] = settings
    return True
