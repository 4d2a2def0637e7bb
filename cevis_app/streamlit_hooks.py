"""Every use of Streamlit's internals and undocumented DOM, in one place (Streamlit 1.67).

Each hook is a small function behind a capability check: when a later Streamlit lacks
what it relies on, the hook logs once and takes its named fallback (the app keeps
working, with that one feature degraded), and tests/app/test_streamlit_hooks.py lists
which capabilities the pinned version has, so an upgrade shows at once what broke.
Nothing else in the app imports streamlit.runtime, streamlit.web, streamlit.proto or
streamlit.elements.*, or touches a private attribute of Streamlit's objects.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

LOG = logging.getLogger("cevis_app.streamlit_hooks")
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
    if getattr(original, "cevis_wrapped", False):
        return True
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
