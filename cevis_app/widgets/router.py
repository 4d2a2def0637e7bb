"""The router's st.Page objects, built once per process and copied for each run.

`st.Page(file)` resolves the file's real path and checks that it is a file on every
call (os.path.realpath: one lstat per path component, then a stat): with a dozen pages
that was ~8 % of a loaded server's samples (py-spy, 100 students following a teacher,
bench/RESULTS_class.md). The resolved page is the same for every session, so it is built
once; each run gets a shallow copy, because st.navigation marks the page it returns as
callable once (``_can_be_called``), a flag that must not be shared between sessions'
concurrent runs.
"""

from __future__ import annotations

import copy

import streamlit as st

from cevis_app.nav import SECTIONS

_BUILT: dict = {}  # app folder -> {section -> [StreamlitPage]}: built by its first run


def _build() -> dict:
    return {section: [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path or None,
                              default=not p.url_path) for p in pages]
            for section, pages in SECTIONS.items()}


def sections() -> dict:
    """section -> [st.Page], for st.navigation: fresh copies of the process's pages."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    folder = str(ctx.pages_manager.main_script_parent) if ctx else ""  # one per app (AppTest: many)
    if folder not in _BUILT:  # two first runs at once both build: the same pages, no harm
        _BUILT[folder] = _build()
    return {section: [copy.copy(page) for page in pages] for section, pages in _BUILT[folder].items()}
