"""Every use of Streamlit's internals and undocumented DOM, in one place (Streamlit 1.67).

Each hook is a small function behind a capability check: when a later Streamlit lacks
what it relies on, the hook logs once and takes its named fallback (the app keeps
working, with that one feature degraded), and tests/app/test_streamlit_hooks.py lists
which capabilities the pinned version has, so an upgrade shows at once what broke.
Nothing else in the app imports streamlit.runtime, streamlit.web, streamlit.proto or
streamlit.elements.*, or touches a private attribute of Streamlit's objects.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from collections.abc import Callable
from typing import Any

LOG = logging.getLogger(__name__)
_LOG = LOG
CAPABILITIES: dict[str, Callable[[], object]] = {}  # name -> check (a truthy result: present)


def capability(name: str):
    """Register a check under ``name``: called at most once per process (its result is kept)."""
    def register(check):
        cached = functools.cache(check)
        CAPABILITIES[name] = cached
        return cached
    return register


def has(name: str) -> bool:
    """Whether capability ``name`` is present (checked once per process)."""
    return bool(CAPABILITIES[name]())


def capabilities() -> dict[str, bool]:
    """``{name: present}`` for every capability this module checks, in name order."""
    return {name: bool(check()) for name, check in sorted(CAPABILITIES.items())}


@functools.cache
def _fallback(name: str, fallback: str) -> None:
    """Say once per process that a capability is missing and which fallback is taken."""
    LOG.warning("cevis: this Streamlit lacks %s; fallback: %s", name, fallback)


# ---------------------------------------------------------------- clear_cache from a browser
def refuse_clear_cache() -> bool:
    """Make the browser's "clear_cache" websocket message do nothing (logged), once per process.

    Streamlit 1.67's ``AppSession.handle_backmsg`` calls ``_handle_clear_cache_request``
    (runtime/app_session.py) for it, which clears st.cache_data and st.cache_resource for
    every user and this session's state. The app never offers the menu item (toolbar in
    viewer mode), but any visitor can send the message: a few a second made every other
    user's runs recompute their caches. Fallback when the method is missing: False, the
    message keeps Streamlit's behaviour (rooms do not depend on session state any more).
    """
    try:
        from streamlit.runtime.app_session import AppSession
    except ImportError:
        AppSession = None
    method = getattr(AppSession, "_handle_clear_cache_request", None)
    if method is None:
        _LOG.warning("cevis: this Streamlit has no AppSession._handle_clear_cache_request; a "
                     "browser's clear_cache message still clears every user's caches")
        return False
    if getattr(method, "cevis_refused", False):
        return True

    def refused(self) -> None:
        _LOG.info("cevis: refused a browser's clear_cache message (it would clear every user's caches)")

    refused.cevis_refused = True
    AppSession._handle_clear_cache_request = refused
    return True


# ---------------------------------------------------------------- forged widget values
def _widget_state_is_sound(state, metadata) -> bool:
    """Whether Streamlit's own code can take this widget state without raising.

    A browser sends each widget's value in one field of the WidgetState message; the
    widget's metadata names the field it expects (`value_type`) and its (de)serializer.
    A forged message with another field or a value the deserializer cannot read
    (a string for a number, an index past the options, bad JSON) made Streamlit 1.67
    raise inside its own callback pass, before the page runs, on this run and every
    later one of the session. A cleared value (no field) is sound.
    """
    from streamlit.runtime.state.common import unpack_widget_state_value

    field = state.WhichOneof("value")
    if field is None:
        return True
    if field != metadata.value_type:
        return False
    try:
        metadata.serializer(metadata.deserializer(unpack_widget_state_value(state)))
    except Exception:  # noqa: BLE001  any failure here is what would have reached the page
        return False
    return True


def drop_unsound_widget_states() -> bool:
    """Wrap ``AppSession._handle_rerun_script_request`` so that widget states Streamlit's own
    code would choke on are dropped (logged) before they reach the session; once per process.

    The widget then keeps its previous value, and the page runs normally. Relies on
    ``AppSession._session_state._new_widget_state.widget_metadata`` and
    ``runtime.state.common.unpack_widget_state_value`` (Streamlit 1.67). Fallback when
    missing: False, and a forged value can still break the session that sent it (only
    that one: it is that session's own state).
    """
    try:
        from streamlit.runtime.app_session import AppSession
        from streamlit.runtime.state.common import unpack_widget_state_value  # noqa: F401
    except ImportError:
        AppSession = None
    handler = getattr(AppSession, "_handle_rerun_script_request", None)
    if handler is None:
        _LOG.warning("cevis: this Streamlit has no AppSession._handle_rerun_script_request; forged "
                     "widget values are not filtered")
        return False
    if getattr(handler, "cevis_filters_widget_states", False):
        return True

    def filtered(self, client_state=None):
        try:
            metadata = self._session_state._new_widget_state.widget_metadata
        except AttributeError:
            metadata = None
        if client_state is not None and metadata is not None and client_state.HasField("widget_states"):
            widgets = client_state.widget_states.widgets
            kept = [w for w in widgets if w.id not in metadata or _widget_state_is_sound(w, metadata[w.id])]
            if len(kept) != len(widgets):
                _LOG.warning("cevis: dropped %d widget value(s) of the wrong type from a browser",
                             len(widgets) - len(kept))
                del widgets[:]
                widgets.extend(kept)
        return handler(self, client_state)

    filtered.cevis_filters_widget_states = True
    filtered.__wrapped__ = handler  # the chain wrap_rerun_requests walks
    AppSession._handle_rerun_script_request = filtered
    return True


# ---------------------------------------------------------------- uploads held per session
# Streamlit keeps every file a session uploads in its UploadedFileManager until the session
# is purged (streamlit/runtime/memory_uploaded_file_manager.py): one client could make a
# worker hold hundreds of MB in seconds. The app's uploads are small CSV tables, one per
# uploader, so a session keeps its newest few; the oldest go first.
MAX_UPLOAD_FILES = 4  # per session: the Binary and Batch pages hold one file each, with slack
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # per session: two files at server.maxUploadSize (1 MB)
TRIM_AFTER_BYTES = 256 * 1024  # dropped this much at once: ask malloc to give memory back


def upload_manager():
    """The running server's UploadedFileManager, or None (no Runtime: AppTest, bare mode)."""
    try:
        from streamlit.runtime import Runtime

        return Runtime.instance().uploaded_file_mgr if Runtime.exists() else None
    except (ImportError, AttributeError, RuntimeError):
        return None


def can_cap_uploads(manager) -> bool:
    """The manager is 1.67's in-memory one: add_file/remove_file and a per-session dict."""
    return (callable(getattr(manager, "add_file", None))
            and callable(getattr(manager, "remove_file", None))
            and isinstance(getattr(manager, "file_storage", None), dict))


def cap_session_uploads(manager=None, max_files: int = MAX_UPLOAD_FILES,
                        max_bytes: int = MAX_UPLOAD_BYTES) -> bool:
    """Wrap ``manager.add_file`` so a session holds at most ``max_files`` files and
    ``max_bytes`` bytes, dropping its oldest files first; True if installed (or already).

    Fallback (a Streamlit whose manager differs, or no Runtime): uploads stay uncapped,
    bounded only by server.maxUploadSize per file and the session's lifetime; logged once.
    """
    manager = manager if manager is not None else upload_manager()
    if not can_cap_uploads(manager):
        LOG.warning("cevis: uploads per session are not capped: this Streamlit has no "
                    "in-memory UploadedFileManager with add_file/remove_file/file_storage")
        return False
    if getattr(manager.add_file, "cevis_capped", False):
        return True
    original = manager.add_file

    def add_file(session_id, file):
        original(session_id, file)
        dropped = _drop_oldest(manager, session_id, file.file_id, max_files, max_bytes)
        if dropped >= TRIM_AFTER_BYTES:
            give_memory_back()

    add_file.cevis_capped = True
    manager.add_file = add_file
    LOG.info("cevis: uploads capped at %d files, %d bytes per session", max_files, max_bytes)
    return True


def _drop_oldest(manager, session_id, newest: str, max_files: int, max_bytes: int) -> int:
    """Remove the session's oldest files (never ``newest``) until both caps hold; bytes dropped."""
    held = list(manager.file_storage.get(session_id, {}).items())  # insertion order: oldest first
    count, total, dropped = len(held), sum(len(rec.data) for _, rec in held), 0
    for file_id, rec in held:
        if count <= max_files and total <= max_bytes:
            break
        if file_id == newest:
            continue
        manager.remove_file(session_id, file_id)
        count, total, dropped = count - 1, total - len(rec.data), dropped + len(rec.data)
    return dropped


def give_memory_back() -> bool:
    """glibc's malloc_trim(0): freed heap pages go back to the system instead of staying at
    the peak. Fallback (not glibc): nothing; the freed memory is reused by later uploads."""
    try:
        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False


# ---------------------------------------------------------------- reruns a browser asks for
# streamlit/runtime/app_session.py (1.67): handle_backmsg calls
# self._handle_rerun_script_request(msg.rerun_script) for a "rerun_script" BackMsg (line 564),
# on the server's event loop; that method (line 1409) only calls self.request_rerun(...).
@capability("rerun_request_hook")
def _rerun_request_method():
    try:
        from streamlit.runtime.app_session import AppSession
    except ImportError:
        return None
    return AppSession if callable(getattr(AppSession, "_handle_rerun_script_request", None)) else None


def wrap_rerun_requests(wrap: Callable[[Callable], Callable]) -> bool:
    """Route every browser-sent rerun request through ``wrap(original)`` (once per process).

    ``original(session, client_state)`` is AppSession's own handler; the wrapper is called
    as ``wrapper(session, client_state=None)``. Fallback when the method is gone: nothing is
    wrapped, False is returned, and reruns are unbounded (cevis_app/widgets/throttle.py).
    """
    app_session = _rerun_request_method()
    if app_session is None:
        _fallback("AppSession._handle_rerun_script_request", "reruns are not rate-bounded")
        return False
    original = app_session._handle_rerun_script_request
    layer = original
    while layer is not None:  # already wrapped, maybe under another hook's layer
        if getattr(layer, "cevis_wrapped", False):
            return True
        layer = getattr(layer, "__wrapped__", None)
    wrapper = wrap(original)
    wrapper.cevis_wrapped = True
    wrapper.__wrapped__ = original
    app_session._handle_rerun_script_request = wrapper
    return True


def report_deferred_rerun_error(session, err: BaseException) -> None:
    """Show an exception of a rerun run later (off handle_backmsg) as handle_backmsg would."""
    handle = getattr(session, "handle_backmsg_exception", None)
    if handle is None:
        _fallback("AppSession.handle_backmsg_exception", "a deferred rerun's error is only logged")
        return
    handle(err)


# streamlit/runtime/scriptrunner_utils/script_requests.py (1.67), line 128: Streamlit's own merge
# of an older rerun request's widget states into a newer one's (keeps an older button press).
@capability("coalesce_widget_states")
def _widget_state_coalescer():
    try:
        from streamlit.runtime.scriptrunner_utils.script_requests import _coalesce_widget_states
    except ImportError:
        return None
    return _coalesce_widget_states


def coalesce_widget_states(older: Any, newer: Any) -> Any:
    """Widget states of two folded rerun requests: the newer values, an older trigger kept.

    Fallback when Streamlit's merge is gone: the newer states alone (a button press among
    the folded requests is lost; values are still the newest).
    """
    merge = _widget_state_coalescer()
    if merge is None:
        _fallback("script_requests._coalesce_widget_states", "an older button press is dropped")
        return newer
    return merge(older, newer)


# ---------------------------------------------------------------- st.data_editor's state
# streamlit/elements/widgets/data_editor.py (1.67), line 183: DataEditorSerde.deserialize
# decodes a data editor's state before any app code runs; JSON that is not an object, or a
# row key that is not an integer ({"edited_rows": {"x": ...}}), raises there, and again on
# every rerun as the tab keeps sending it.
@capability("data_editor_serde")
def _data_editor_serde():
    try:
        from streamlit.elements.widgets.data_editor import DataEditorSerde
    except ImportError:
        return None
    return DataEditorSerde if callable(getattr(DataEditorSerde, "deserialize", None)) else None


def tolerate_undecodable_editor_states() -> bool:
    """Read an editor state Streamlit cannot decode as "no edits", instead of raising.

    Installed once at start-up (cevis_app/widgets/startup.py). Every state Streamlit can
    decode still reaches the pages' callbacks, which check it in full. Fallback when the
    class is gone: nothing installed, False; a malformed state then shows Streamlit's error
    on the Binary or Batch page (the pages still load).
    """
    serde = _data_editor_serde()
    if serde is None:
        _fallback("DataEditorSerde.deserialize", "an undecodable editor state raises")
        return False
    decode = serde.deserialize
    if getattr(decode, "cevis_tolerant", False):
        return True

    def deserialize(self, ui_value):
        try:
            return decode(self, ui_value)
        except (ValueError, TypeError, AttributeError, RecursionError):
            return decode(self, None)  # the empty change set: the table as it was

    deserialize.cevis_tolerant = True
    deserialize.__wrapped__ = decode
    serde.deserialize = deserialize
    return True


# ---------------------------------------------------------------- bound URL parameters
# st.query_params refuses to change a parameter a widget is bound to. Streamlit 1.67's own
# route for a value it rejects (SessionState._clear_url_param) is the script run context's
# session_state.query_params() (runtime/state/safe_session_state.py, line 162) and
# QueryParams.remove_param (runtime/state/query_params.py, line 650).
@capability("remove_bound_query_param")
def _bound_param_remover():
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        from streamlit.runtime.state.query_params import QueryParams
        from streamlit.runtime.state.safe_session_state import SafeSessionState
    except ImportError:
        return None
    if not (callable(getattr(SafeSessionState, "query_params", None))
            and callable(getattr(QueryParams, "remove_param", None))):
        return None
    return get_script_run_ctx


def drop_bound_query_param(key: str) -> bool:
    """Remove ``?key=`` from the link although a widget is bound to it; True if it was done.

    Fallback when the route is gone (or there is no script run): the parameter stays in
    the link; the page still computes with its default.
    """
    get_ctx = _bound_param_remover()
    if get_ctx is None:
        _fallback("QueryParams.remove_param", "a rejected URL value stays in the link")
        return False
    ctx = get_ctx()
    if ctx is None:
        return False
    try:
        with ctx.session_state.query_params() as qp:
            qp.remove_param(key)
    except (AttributeError, TypeError):  # a changed signature: as if the route were gone
        _fallback("QueryParams.remove_param(key)", "a rejected URL value stays in the link")
        return False
    return True


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


def find_session(session_id: str):
    """The AppSession with this id in this process, or None if it is gone."""
    if not can_rerun_sessions():
        return None
    from streamlit.runtime import Runtime

    return Runtime.instance().get_app_session(session_id) if Runtime.exists() else None


def rerun_sessions(requests: list) -> bool:
    """Ask each ``(session, fragment_id or None)`` for a rerun of that fragment, or of its page
    when None or when the fragment is gone, with its last page, query and widget values.
    False (logged once) if this Streamlit lacks the session's loop or client state."""
    if not requests:
        return True
    loop = getattr(requests[0][0], "_event_loop", None)  # the server's one loop, every session's
    if loop is None or not hasattr(requests[0][0], "_client_state"):
        _warn_no_session_state()
        return False
    def rerun_all():
        for session, fragment_id in requests:
            try:
                _rerun_one(session, fragment_id)
            except Exception:  # noqa: BLE001  one broken session must not hold up the class
                _LOG.exception("cevis: a room rerun failed")

    try:
        loop.call_soon_threadsafe(rerun_all)
    except RuntimeError:  # the loop closed: the server is stopping
        return False
    return True


def _rerun_one(session, fragment_id: str | None) -> None:
    """On the loop: rerun the session's fragment, or its page (none given, or the fragment gone)."""
    from streamlit.proto.ClientState_pb2 import ClientState

    client_state = ClientState()
    client_state.CopyFrom(session._client_state)
    if fragment_id and session.has_fragment(fragment_id):
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
    components-v2 element message it sent (JSON data), or None (none, several, or no hook)."""
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
                and msg.delta.new_element.bidi_component.WhichOneof("data") == "json":
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
    """A copy of a captured element message whose component data is the JSON ``text``; its
    hash made anew (the browser caches large messages by hash)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.forward_msg_cache import populate_hash_if_needed

    out = ForwardMsg()
    out.CopyFrom(message)
    out.delta.new_element.bidi_component.json = text
    out.hash = ""
    populate_hash_if_needed(out)
    return out


def push_elements(pushes: list) -> bool:
    """Send each ``(session, message, fragment_id or None)``: the message to a session between
    runs; a session in a run reruns that fragment (or its page) instead. On the server's loop."""
    if not pushes:
        return True
    loop = getattr(pushes[0][0], "_event_loop", None)
    if loop is None or not has("push_element"):
        return False
    from streamlit.runtime.app_session import AppSessionState

    def push_all() -> None:
        for session, message, fragment_id in pushes:
            try:
                if session._state == AppSessionState.APP_NOT_RUNNING:
                    session._enqueue_forward_msg(message)
                elif session._state == AppSessionState.APP_IS_RUNNING:
                    _rerun_one(session, fragment_id)
            except Exception:  # noqa: BLE001  one broken session must not hold up the class
                _LOG.exception("cevis: a room push failed")

    try:
        loop.call_soon_threadsafe(push_all)
    except RuntimeError:  # the loop closed: the server is stopping
        return False
    return True


def session_is_active(session_id: str) -> bool:
    """Whether the session still has its browser's websocket (Runtime.is_active_session,
    runtime/runtime.py line 461). Without it room_push watches no session, so each room
    bar's poll says its phone is here itself."""
    if not can_rerun_sessions():
        return False
    from streamlit.runtime import Runtime

    return Runtime.exists() and Runtime.instance().is_active_session(session_id)
