"""What a browser sends: clear_cache, widget values, rerun requests, data_editor states and
bound URL parameters (Streamlit 1.67 internals; see the package's docstring)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cevis_app.streamlit_hooks.registry import _LOG
from cevis_app.streamlit_hooks.registry import _fallback
from cevis_app.streamlit_hooks.registry import capability


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
    _widget_state_coalescer()  # fold_rerun_requests' merge: resolved now, never in a flood
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


def fold_rerun_requests(older: Any, newer: Any) -> Any:
    """One ClientState for two rerun requests of a session (throttle.merge, which handles
    None): a copy of the newer with its widget states coalesced (``coalesce_widget_states``),
    and a full rerun (no fragment id) unless both name the same fragment."""
    out = type(newer)()
    out.CopyFrom(newer)
    states = coalesce_widget_states(older.widget_states, newer.widget_states)
    if states is not None:
        out.widget_states.CopyFrom(states)
    if older.fragment_id != newer.fragment_id:
        out.fragment_id = ""
    return out


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

