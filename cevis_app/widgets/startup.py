"""What the app sets up once per server process, before the first page runs.

``once_per_process`` (app.py calls it at the top of every run; ``st.cache_resource`` makes
it run once per process): the process tuning of cevis_app/server.py and the bound on one
session's reruns (cevis_app/widgets/throttle.py), and the data editors' tolerance of a state
Streamlit cannot decode (cevis_app/streamlit_hooks.py).
"""

from __future__ import annotations

import streamlit as st

from cevis_app import server
from cevis_app import streamlit_hooks
from cevis_app.widgets import throttle


@st.cache_resource(show_spinner=False)
def once_per_process() -> None:
    """Tune the process (imports warmed, TCP_NODELAY, heap frozen), bound reruns, and let the
    data editors read an undecodable state as "no edits"."""
    streamlit_hooks.tolerate_undecodable_editor_states()
    throttle.install()
    server.tune_process()  # last: it freezes the heap
