"""The app's st.Page objects for st.navigation: made once per process, copied for each run.

st.Page resolves its file's real path and checks it exists (Path.resolve, ~1-2 ms of a page
switch for the ten pages); the result depends only on the app's folder. st.navigation marks
the page it returns as the one that may run (a flag on that object, cleared by ``run()``), so
sharing the objects between sessions, or between a session's overlapping runs (a rerun
starts while the stopped one finishes), could let one run clear another's flag: each run
gets its own shallow copies, made in microseconds.
"""

from __future__ import annotations

import copy
import pathlib

import streamlit as st

from cevis_app.nav import all_pages

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the project: app.py, app_pages/


_MADE: list = []  # the pages, once made in a script run


def _made() -> tuple:
    if _MADE:
        return _MADE[0]
    made = tuple(st.Page(ROOT / p.file, title=p.title, icon=p.icon, url_path=p.url_path or None,
                         default=not p.url_path) for p in all_pages())
    try:
        [page.title for page in made]  # outside a script run st.Page leaves them unfinished
    except AttributeError:
        return made
    _MADE.append(made)  # two runs at once may both make them: either list is right
    return made


def pages() -> list:
    """Every page of cevis_app/nav.py, in its order, as st.Page objects for this run."""
    return [copy.copy(page) for page in _made()]
