"""A session's script-run events reach the server's event loop in batches, not one by one.

Streamlit 1.67 hands every event of a script run to the event loop on its own: each element
a page draws is a ForwardMsg, and ``AppSession._on_scriptrunner_event`` (runtime/app_session.py
line 938) asks the loop, from the script's thread, to take it with one
``loop.call_soon_threadsafe`` through ``AppSession._call_soon_on_event_loop`` (line 970). That
is a wake-up of the loop (a byte down its self-pipe) and one loop callback per element: ~40
for a follower's run of Descent, and a room's page switch is 100 such runs one after another
on one process. Here the session keeps the callbacks in order in its own queue and asks the
loop for one call that runs all of those queued so far; a callback queued meanwhile asks for
the next. The order of a session's events is unchanged (every caller of
``_call_soon_on_event_loop`` goes through the one queue, and a call runs them first come,
first served), each runs once, on the loop, as before; a failing one is logged and the rest
still run (Streamlit's own loop does the same for a failing callback). Measured:
bench/RESULTS_class.md (issue 26, eleventh session).
Fallback when the method is missing: one loop call per event, Streamlit's own.
"""

from __future__ import annotations

import collections
import threading

from cevis_app.streamlit_hooks.registry import LOG
from cevis_app.streamlit_hooks.registry import _fallback
from cevis_app.streamlit_hooks.registry import capability
from cevis_app.streamlit_hooks.registry import has

METHOD = "_call_soon_on_event_loop"  # AppSession's: (self, callback) -> callback on its loop
_STATE = "_cevis_run_events"  # the session's _Queue, in its __dict__


class _Queue:
    """A session's callbacks not yet run, and whether the loop has been asked to run them."""

    def __init__(self):
        self.callbacks = collections.deque()  # append and popleft are atomic: any thread
        self.lock = threading.Lock()
        self.asked = False  # a call of `run_queued` is due on the loop


@capability("batched_run_events")
def _app_session():
    try:
        from streamlit.runtime.app_session import AppSession
    except ImportError:
        return None
    return AppSession if callable(getattr(AppSession, METHOD, None)) else None


def batched(call_soon):
    """Streamlit's ``call_soon(session, callback)``, queued per session and run in batches."""
    def call_soon_batched(session, callback) -> None:
        queue = session.__dict__.get(_STATE)
        if queue is None:  # setdefault is atomic: two threads at once get one queue
            queue = session.__dict__.setdefault(_STATE, _Queue())
        queue.callbacks.append(callback)
        with queue.lock:
            if queue.asked:
                return  # the due call runs it
            queue.asked = True
        try:  # a closed loop drops the call, as Streamlit drops the callback
            call_soon(session, lambda: run_queued(queue))
        except BaseException:
            with queue.lock:
                queue.asked = False  # the next callback asks again
            raise
    call_soon_batched.__wrapped__ = call_soon
    return call_soon_batched


def run_queued(queue: _Queue) -> None:
    """On the loop: run the callbacks queued so far, in order. Those queued while they run ask
    for the next call (``asked`` is cleared first), so a busy script cannot hold the loop here."""
    with queue.lock:
        queue.asked = False
    for _ in range(len(queue.callbacks)):
        callback = queue.callbacks.popleft()
        try:
            callback()
        except Exception:  # noqa: BLE001  as asyncio's loop does: log it, run the next
            LOG.exception("cevis: a session's event callback failed")


def batch_run_events() -> bool:
    """Install the batching (once per process). False: one loop call per event."""
    app_session = _app_session() if has("batched_run_events") else None
    if app_session is None:
        _fallback("batched_run_events", "every script event is its own event-loop callback")
        return False
    current = getattr(app_session, METHOD)
    if getattr(current, "__wrapped__", None) is None:
        setattr(app_session, METHOD, batched(current))
    return True
