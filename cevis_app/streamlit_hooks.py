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

LOG = logging.getLogger(__name__)
_LOG = LOG


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
    ok = all(hasattr(Runtime, name) for name in ("get_app_session", "exists", "instance")) and all(
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
    from streamlit.proto.ClientState_pb2 import ClientState

    def rerun_all():
        for session, fragment_id in requests:
            try:
                client_state = ClientState()
                client_state.CopyFrom(session._client_state)
                if fragment_id and session.has_fragment(fragment_id):
                    client_state.fragment_id = fragment_id
                session.request_rerun(client_state)
            except Exception:  # noqa: BLE001  one broken session must not hold up the class
                _LOG.exception("cevis: a room rerun failed")

    try:
        loop.call_soon_threadsafe(rerun_all)
    except RuntimeError:  # the loop closed: the server is stopping
        return False
    return True


@functools.cache
def _warn_no_session_state() -> None:
    _LOG.warning("cevis: this Streamlit's AppSession has no _event_loop/_client_state; students "
                 "follow their teacher at the slow poll only")
