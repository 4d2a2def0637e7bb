"""Page switches the server makes for another session, and telling a browser its query
(Streamlit 1.67 internals; used by the rooms through sessions.rerun_sessions)."""

from __future__ import annotations

from cevis_app.streamlit_hooks.registry import capability
from cevis_app.streamlit_hooks.registry import has


# A page switch the server makes (room_push: the teacher went to another page). st.switch_page
# in a run of the session does the same (commands/execution_control.py line 459-520): it
# clears the query but for the embed parameters and asks for a run of the page's script hash.
# Asked from here it saves the run that would call it (the room bar's fragment: its
# new_session, a heartbeat and a store read per follower). 1.67:
# - AppSession._pages_manager.get_pages(): {page_script_hash: {"url_pathname": ...}};
# - EMBED_QUERY_PARAMS_KEYS (runtime/state/query_params.py): the parameters a switch keeps;
# - ClientState.page_script_hash, page_name, query_string, fragment_id: the run to make
#   (AppSession.request_rerun, runtime/app_session.py line 630, takes the page and the query from them);
# - the browser learns the new page from the run's new_session, not its query: the run
#   says it itself (announce_query_string: page_info_changed, as st.query_params does).
# Fallback when missing: can_run_pages() is False; room_push reruns the room bar's fragment,
# which calls st.switch_page (one short run more per follower).
@capability("run_page_of_app")
def can_run_pages() -> bool:
    try:
        from streamlit.proto.ClientState_pb2 import ClientState
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.runtime.app_session import AppSession
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
        from streamlit.runtime.state.query_params import EMBED_QUERY_PARAMS_KEYS  # noqa: F401
    except ImportError:
        return False
    fields = ClientState.DESCRIPTOR.fields_by_name
    return bool(hasattr(PagesManager, "get_pages")
                and all(f in fields for f in ("page_script_hash", "page_name", "query_string",
                                              "fragment_id"))
                and "page_info_changed" in ForwardMsg.DESCRIPTOR.fields_by_name
                and hasattr(ScriptRunContext, "enqueue") and hasattr(AppSession, "request_rerun"))


def _to_page(session, client_state, page: str) -> bool:
    """Point client_state at the app's page `page` with the query cleared (embed parameters
    kept, as st.switch_page does); False if the session has no such page."""
    from urllib import parse

    from streamlit.runtime.state.query_params import EMBED_QUERY_PARAMS_KEYS

    manager = getattr(session, "_pages_manager", None)
    pages = manager.get_pages() if manager is not None else {}
    target = next((h for h, info in pages.items() if info.get("url_pathname") == page), None)
    if target is None:
        return False
    kept = [(k, v) for k, v in parse.parse_qsl(client_state.query_string, keep_blank_values=True)
            if k.lower() in EMBED_QUERY_PARAMS_KEYS]  # as st.switch_page keeps them
    client_state.page_script_hash, client_state.page_name = target, ""
    client_state.query_string = parse.urlencode(kept)
    client_state.ClearField("fragment_id")
    return True


def announce_query_string() -> bool:
    """Tell this run's browser the run's query string (page_info_changed): after a page switch
    the server made, the browser still shows the last page's query, and would send it back
    with its next rerun. False outside a run or without the hook."""
    try:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return False
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not has("run_page_of_app"):
        return False
    msg = ForwardMsg()
    msg.page_info_changed.query_string = ctx.query_string
    ctx.enqueue(msg)
    return True
