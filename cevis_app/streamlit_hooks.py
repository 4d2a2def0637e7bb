"""Every use of Streamlit's internals and undocumented DOM, in one place (Streamlit 1.67).

Each hook is a small function behind a capability check: when a later Streamlit lacks
what it relies on, the hook logs once and takes its named fallback (the app keeps
working, with that one feature degraded), and tests/app/test_streamlit_hooks.py lists
which capabilities the pinned version has, so an upgrade shows at once what broke.
Nothing else in the app imports streamlit.runtime, streamlit.web, streamlit.proto or
streamlit.elements.*, or touches a private attribute of Streamlit's objects.
"""

from __future__ import annotations
