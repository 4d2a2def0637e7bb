"""Every use of Streamlit's internals and undocumented DOM, in one package (Streamlit 1.67).

Each hook is a small function behind a capability check: when a later Streamlit lacks
what it relies on, the hook logs once and takes its named fallback (the app keeps
working, with that one feature degraded), and tests/app/test_streamlit_hooks.py lists
which capabilities the pinned version has, so an upgrade shows at once what broke.
Nothing else in the app imports streamlit.runtime, streamlit.web, streamlit.proto or
streamlit.elements.*, or touches a private attribute of Streamlit's objects.

The package is one place split by subject, each module under ~300 lines: ``registry``
(capabilities and fallbacks), ``browser`` (what a browser sends), ``uploads``, ``sessions``
(other sessions: reruns and pushes for the rooms), ``page_runs`` (page switches the server
makes for them), ``components`` (files served by URL), ``run_messages`` (each run's
new_session config and theme, built once), ``figures`` (a shared figure's JSON, encoded once).
Callers use the names re-exported here.
"""

from cevis_app.streamlit_hooks.browser import coalesce_widget_states  # noqa: F401
from cevis_app.streamlit_hooks.browser import drop_bound_query_param  # noqa: F401
from cevis_app.streamlit_hooks.browser import drop_unsound_widget_states  # noqa: F401
from cevis_app.streamlit_hooks.browser import fold_rerun_requests  # noqa: F401
from cevis_app.streamlit_hooks.browser import refuse_clear_cache  # noqa: F401
from cevis_app.streamlit_hooks.browser import report_deferred_rerun_error  # noqa: F401
from cevis_app.streamlit_hooks.browser import tolerate_undecodable_editor_states  # noqa: F401
from cevis_app.streamlit_hooks.browser import wrap_rerun_requests  # noqa: F401
from cevis_app.streamlit_hooks.components import serve_files  # noqa: F401
from cevis_app.streamlit_hooks.figures import encode_figures_once  # noqa: F401
from cevis_app.streamlit_hooks.page_runs import announce_query_string  # noqa: F401
from cevis_app.streamlit_hooks.page_runs import can_run_pages  # noqa: F401
from cevis_app.streamlit_hooks.registry import CAPABILITIES  # noqa: F401
from cevis_app.streamlit_hooks.registry import LOG  # noqa: F401
from cevis_app.streamlit_hooks.registry import capabilities  # noqa: F401
from cevis_app.streamlit_hooks.registry import capability  # noqa: F401
from cevis_app.streamlit_hooks.registry import has  # noqa: F401
from cevis_app.streamlit_hooks.run_messages import keep_config_parts  # noqa: F401
from cevis_app.streamlit_hooks.sessions import can_push_elements  # noqa: F401
from cevis_app.streamlit_hooks.sessions import can_rerun_sessions  # noqa: F401
from cevis_app.streamlit_hooks.sessions import capture_element  # noqa: F401
from cevis_app.streamlit_hooks.sessions import current_fragment_id  # noqa: F401
from cevis_app.streamlit_hooks.sessions import element_with_json  # noqa: F401
from cevis_app.streamlit_hooks.sessions import find_session  # noqa: F401
from cevis_app.streamlit_hooks.sessions import push_elements  # noqa: F401
from cevis_app.streamlit_hooks.sessions import rerun_sessions  # noqa: F401
from cevis_app.streamlit_hooks.sessions import script_session_id  # noqa: F401
from cevis_app.streamlit_hooks.sessions import session_id  # noqa: F401
from cevis_app.streamlit_hooks.sessions import session_is_active  # noqa: F401
from cevis_app.streamlit_hooks.uploads import MAX_UPLOAD_BYTES  # noqa: F401
from cevis_app.streamlit_hooks.uploads import MAX_UPLOAD_FILES  # noqa: F401
from cevis_app.streamlit_hooks.uploads import can_cap_uploads  # noqa: F401
from cevis_app.streamlit_hooks.uploads import cap_session_uploads  # noqa: F401
from cevis_app.streamlit_hooks.uploads import give_memory_back  # noqa: F401
from cevis_app.streamlit_hooks.uploads import upload_manager  # noqa: F401
