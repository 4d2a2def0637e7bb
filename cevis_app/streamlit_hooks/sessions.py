"""Other sessions: find one, rerun it or one of its fragments, push an element to its browser,
know whether it is connected (Streamlit 1.67 internals; used by the rooms)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from cevis_app.streamlit_hooks.page_runs import _to_page
from cevis_app.streamlit_hooks.registry import _LOG
from cevis_app.streamlit_hooks.registry import _fallback
from cevis_app.streamlit_hooks.registry import capability
from cevis_app.streamlit_hooks.registry import has


# ---------------------------------------------------------------- rerunning other sessions
# A room's teacher changes something: this process asks each student's session for a rerun,
# as Streamlit does itself when a source file changes with "run on save" on
# (AppSession._on_source_file_changed, runtime/app_session.py line 910-911), or for a rerun of
# one fragment of it, as the browser asks when a fragment's run_every is due (a ClientState
# with fragment_id: AppSession.request_rerun line 630). Streamlit 1.67:
# - Runtime.instance().get_app_session(session_id) (runtime/runtime.py line 318): any thread;
# - AppSession.request_rerun on the server's event loop (AppSession._event_loop);
# - AppSession._client_state: the last run's page and query string, no widget states (the
#   script runner saves them at the end of each run: scriptrunner/script_runner.py line
#   464-472), so every widget keeps its value;
# - AppSession.has_fragment(fragment_id): request_rerun drops a fragment rerun silently when
#   the fragment is gone (a full run on another page removed it): a full rerun is asked then.
# Fallback when missing: can_rerun_sessions() is False; room_push logs once and the class
# follows at the slow poll (tests/e2e/test_room_browser.py fails).
def script_session_id() -> str | None:
    """The id of the session whose script (or fragment) is running on this thread, or None."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return None
    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "session_id", None)


def current_fragment_id() -> str | None:
    """The id of the fragment running on this thread (1.67: ThreadState.fragment_id), or None:
    outside a fragment, or a Streamlit without it (then pages register no fragment for rooms
    and their students rerun whole pages, as before)."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

        return ThreadState.get().fragment_id or None
    except (ImportError, AttributeError, RuntimeError):
        return None


@functools.cache
def can_rerun_sessions() -> bool:
    """Whether this Streamlit has what rerun_sessions calls (checked once per process)."""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.app_session import AppSession
    except ImportError:
        return False
    ok = all(hasattr(Runtime, name) for name in ("get_app_session", "exists", "instance",
                                                 "is_active_session")) and all(
        hasattr(AppSession, name) for name in ("request_rerun", "has_fragment"))
    if not ok:
        _LOG.warning("cevis: this Streamlit lacks Runtime.get_app_session or AppSession."
                     "request_rerun/has_fragment; students follow their teacher at the slow poll only")
    return ok


def session_id(session) -> str:
    """The id of an AppSession (as `find_session` and `script_session_id` know it)."""
    return session.id


def find_session(session_id: str):
    """The AppSession with this id in this process, or None if it is gone."""
    if not can_rerun_sessions():
        return None
    from streamlit.runtime import Runtime

    return Runtime.instance().get_app_session(session_id) if Runtime.exists() else None


def rerun_sessions(requests: list) -> bool:
    """Ask each ``(session, fragment_id or None)`` for a rerun of that fragment, or of its page
    when None or when the fragment is gone, with its last page, query and widget values; or
    each ``(session, None, url_path)`` for a run of that page of the app (a page switch the
    server makes: can_run_pages). False (logged once) if this Streamlit lacks the session's
    loop or client state."""
    if not requests:
        return True
    if getattr(requests[0][0], "_event_loop", None) is None \
            or not hasattr(requests[0][0], "_client_state"):
        _warn_no_session_state()
        return False
    return _each_on_loop(requests, _rerun_one, "rerun")


def _each_on_loop(items: list, each: Callable, what: str) -> bool:
    """Call ``each(*item)`` for every item on the server's one event loop (its sessions'), a
    failure logged and the rest done. False if there is no loop, or it has closed (the server
    is stopping)."""
    loop = getattr(items[0][0], "_event_loop", None)
    if loop is None:
        return False

    def run_all() -> None:
        for item in items:
            try:
                each(*item)
            except Exception:  # noqa: BLE001  one broken session must not hold up the class
                _LOG.exception("cevis: a room %s failed", what)

    try:
        loop.call_soon_threadsafe(run_all)
    except RuntimeError:
        return False
    return True


def _rerun_one(session, fragment_id: str | None, page: str | None = None) -> None:
    """On the loop: run the app's page `page` (url_path) in the session, else rerun its
    fragment, or its page (none given, or the fragment gone)."""
    from streamlit.proto.ClientState_pb2 import ClientState

    client_state = ClientState()
    client_state.CopyFrom(session._client_state)
    if page is not None and _to_page(session, client_state, page):
        pass  # that page, its query cleared
    elif fragment_id and session.has_fragment(fragment_id):
        client_state.fragment_id = fragment_id
    session.request_rerun(client_state)


@functools.cache
def _warn_no_session_state() -> None:
    _LOG.warning("cevis: this Streamlit's AppSession has no _event_loop/_client_state; students "
                 "follow their teacher at the slow poll only")


# ---------------------------------------------------------------- pushing an element again
# A room's follower redraws the teacher's move without any script run: the live component's
# message from the session's last run is sent again with the new data (room_push). 1.67:
# - ScriptRunContext.enqueue(msg) (scriptrunner_utils/script_run_context.py line 359): every
#   message of a run passes here, its metadata (delta_path: the element's place; the page's
#   active_script_hash) set; an instance attribute of the same name wraps it for one call;
# - AppSession._enqueue_forward_msg(msg) (runtime/app_session.py line 543), on the server's
#   loop: the browser applies a delta whenever it comes, so a new_element at the same
#   delta_path with the same element id updates the mounted component's data in place;
# - AppSession._state: APP_NOT_RUNNING between runs. A push during a run would race the
#   run's own messages, so such a session reruns its fragment instead.
# Fallback when missing: capture_element returns no message; room_push reruns the fragment.
@capability("push_element")
def can_push_elements() -> bool:
    try:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.runtime.app_session import AppSession
        from streamlit.runtime.app_session import AppSessionState
        from streamlit.runtime.forward_msg_cache import populate_hash_if_needed  # noqa: F401
        from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
    except ImportError:
        return False
    return (hasattr(ScriptRunContext, "enqueue") and not hasattr(ScriptRunContext, "__slots__")
            and hasattr(AppSession, "_enqueue_forward_msg") and hasattr(AppSessionState, "APP_NOT_RUNNING")
            and "new_element" in ForwardMsg.DESCRIPTOR.fields_by_name["delta"].message_type.fields_by_name)


def capture_element(mount: Callable[[], Any]) -> tuple[Any, Any]:
    """``(mount(), message)``: run ``mount`` in this script run and keep a copy of the one
    components-v2 element message it sent (JSON data, as text or bytes), or None (none,
    several, or no hook)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return mount(), None
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not has("push_element"):
        if ctx is not None:
            _fallback("push_element", "a follower's fragment reruns for each teacher move")
        return mount(), None
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    sent, original = [], ctx.enqueue

    def enqueue(msg) -> None:
        original(msg)  # sets the hash; what is kept is the whole message, never a reference
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                and msg.delta.new_element.WhichOneof("type") == "bidi_component" \
                and msg.delta.new_element.bidi_component.WhichOneof("data") in ("json", "bytes"):
            kept = ForwardMsg()
            kept.CopyFrom(msg)
            sent.append(kept)

    ctx.enqueue = enqueue
    try:
        result = mount()
    finally:
        del ctx.enqueue  # the class's own method again
    return result, (sent[0] if len(sent) == 1 else None)


def element_with_json(message, text: str):
    """A copy of a captured element message whose component data is the JSON ``text`` (in the
    field the message used: text or UTF-8 bytes); its hash made anew (the browser caches large
    messages by hash)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.forward_msg_cache import populate_hash_if_needed

    out = ForwardMsg()
    out.CopyFrom(message)
    component = out.delta.new_element.bidi_component
    if component.WhichOneof("data") == "bytes":
        component.bytes = text.encode()
    else:
        component.json = text
    out.hash = ""
    populate_hash_if_needed(out)
    return out


def push_elements(pushes: list) -> bool:
    """Send each ``(session, message, fragment_id or None)``: the message to a session between
    runs; a session in a run reruns that fragment (or its page) instead. On the server's loop."""
    if not pushes:
        return True
    if not has("push_element"):
        return False
    return _each_on_loop(pushes, _push_one, "push")


def _push_one(session, message, fragment_id: str | None) -> None:
    """On the loop: the message to a session between runs; one in a run reruns instead."""
    from streamlit.runtime.app_session import AppSessionState

    if session._state == AppSessionState.APP_NOT_RUNNING:
        session._enqueue_forward_msg(message)
    elif session._state == AppSessionState.APP_IS_RUNNING:
        _rerun_one(session, fragment_id)


def session_is_active(session_id: str) -> bool:
    """Whether the session still has its browser's websocket (Runtime.is_active_session,
    runtime/runtime.py line 461). Without it room_push watches no session, so each room
    bar's poll says its phone is here itself."""
    if not can_rerun_sessions():
        return False
    from streamlit.runtime import Runtime

    return Runtime.exists() and Runtime.instance().is_active_session(session_id)
