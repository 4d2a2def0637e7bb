"""What the app sets up once per server process, before the first page runs.

``once_per_process`` (app.py calls it at the top of every run; a flag makes it run once per
process: ``st.cache_resource`` did the same at a cost, 0.7 % of the server's samples in a
room's page switches, its call hashed and its metrics counted every run): the process tuning
of cevis_app/server.py, the bound on one session's reruns (cevis_app/widgets/throttle.py),
and the hooks of cevis_app/streamlit_hooks/ that guard the server against what a browser
sends (a clear_cache message, forged widget values, an undecodable editor state, uploads
piling up in a session), the live view's files served by URL, each run's config and theme
message built once, and a shared figure's JSON encoded once.
"""

from __future__ import annotations

import threading

from cevis_app import server
from cevis_app import streamlit_hooks
from cevis_app.charts._unvalidated import is_frozen
from cevis_app.live import component
from cevis_app.widgets import throttle

_DONE = threading.Event()
_LOCK = threading.Lock()


def once_per_process() -> None:
    """Once per process (the first run's session does it; a run at the same time waits):
    ``_install``."""
    if _DONE.is_set():
        return
    with _LOCK:
        if not _DONE.is_set():
            _install()
            _DONE.set()


def _install() -> None:
    """Install the hooks and the rerun bound, then tune the process (imports warmed,
    TCP_NODELAY, heap frozen)."""
    streamlit_hooks.tolerate_undecodable_editor_states()
    throttle.install()
    streamlit_hooks.refuse_clear_cache()
    streamlit_hooks.drop_unsound_widget_states()  # after throttle.install: it filters first
    streamlit_hooks.cap_session_uploads()
    streamlit_hooks.keep_config_parts()  # each run's new_session: config and theme built once
    streamlit_hooks.encode_figures_once(is_frozen)  # a shared figure's JSON: once, not per run
    component.serve()  # the live view's files by URL, before any browser asks for them
    server.tune_process()  # last: it freezes the heap
