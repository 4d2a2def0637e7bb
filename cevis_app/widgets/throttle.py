"""One session cannot stall the others: a session's reruns are rate-bounded, latest state wins.

Every widget change in a browser becomes one "rerun_script" websocket message, and
Streamlit reruns the page for each. A client that sends them as fast as it can (a
script, a stuck key) made the server rerun its page hundreds of times a second, and
every other user waited seconds. Here each session gets a token bucket: up to
``burst`` reruns at once, then ``rate`` a second. A request over the bound is not
dropped but deferred: requests that arrive meanwhile fold into one, keeping the newest
widget values (and any button press among the older ones), which runs as soon as a
token is free. A person changes a control a few times a second at most and never
notices; a flooding session costs at most ``rate`` reruns a second.

The hook, for Streamlit 1.67 (streamlit/runtime/app_session.py):
- ``AppSession.handle_backmsg`` calls ``self._handle_rerun_script_request(msg.rerun_script)``
  for a "rerun_script" BackMsg (line 563-564), on the server's event loop; that method
  (line 1409) only calls ``self.request_rerun(client_state)``. ``install()`` wraps it,
  so only browser-sent reruns are bounded, not the runtime's own.
- ``_coalesce_widget_states`` (runtime/scriptrunner_utils/script_requests.py, line 128)
  is Streamlit's own merge of an older request into a newer one (keeps triggers).
- With ``runner.fastReruns = true`` (config.toml; Streamlit's default) every rerun request
  stops the running script and starts a new ScriptRunner thread (app_session.py line
  697-706): unbounded, one client sending 1,000 requests/s started ~1,000 threads a second
  and took everyone else from 40 ms to 12 s. Bounded here, a flood starts at most
  ``rate`` a second.
If the hook is missing (another Streamlit), ``install`` logs a warning and returns False:
the app still works, unbounded; tests/app/test_throttle.py fails so the pin is revisited.
Installed once per process by cevis_app/widgets/startup.py ``once_per_process``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import weakref

RATE = 4.0  # reruns/s a session may sustain; a person's changes are ≤ ~3/s, a rerun ~40 ms
BURST = 6  # reruns at once before the rate applies: quick clicks are never delayed
_LOG = logging.getLogger(__name__)
_NOTHING = object()  # no deferred request (None is a valid one: "rerun as before")


class Bucket:
    """A token bucket: ``delay(now)`` is 0 if a rerun may start now (and takes a token),
    else the seconds until one may.

    >>> b = Bucket(rate=2.0, burst=1, now=0.0)
    >>> b.delay(0.0), b.delay(0.0), b.delay(0.5)
    (0.0, 0.5, 0.0)
    """

    def __init__(self, rate: float, burst: int, now: float):
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = float(burst), now

    def delay(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


def merge(older, newer):
    """Fold an older rerun request (a ClientState, or None) into a newer one.

    The newer page, query string and widget values win; a trigger (button press) only
    in the older one is kept. If either is a full rerun, so is the result (a full
    rerun also runs every fragment), and likewise if they name different fragments.
    """
    if older is None or older is _NOTHING:
        return newer
    if newer is None:
        return older
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime.scriptrunner_utils.script_requests import _coalesce_widget_states

    out = ClientState()
    out.CopyFrom(newer)
    states = _coalesce_widget_states(older.widget_states, newer.widget_states)
    if states is not None:
        out.widget_states.CopyFrom(states)
    if older.fragment_id != newer.fragment_id:
        out.fragment_id = ""
    return out


class _SessionState:
    def __init__(self, rate, burst):
        self.bucket = Bucket(rate, burst, time.monotonic())
        self.pending = _NOTHING
        self.timer = None


def install(rate: float | None = None, burst: int | None = None) -> bool:
    """Bound every session's browser-sent reruns (once per process; later calls no-op).

    ``rate``/``burst`` default to RATE/BURST, or to the environment variables
    CEVIS_RERUN_RATE/CEVIS_RERUN_BURST; a rate of 0 turns the bound off. Returns True
    if the hook is in place.
    """
    from streamlit.runtime.app_session import AppSession

    original = getattr(AppSession, "_handle_rerun_script_request", None)
    if original is None:
        _LOG.warning("cevis: no AppSession._handle_rerun_script_request; reruns not bounded")
        return False
    if getattr(original, "cevis_throttle", False):
        return True
    rate = float(os.environ.get("CEVIS_RERUN_RATE", RATE)) if rate is None else rate
    burst = int(os.environ.get("CEVIS_RERUN_BURST", BURST)) if burst is None else burst
    if rate <= 0:
        return False
    sessions = weakref.WeakKeyDictionary()  # AppSession -> _SessionState

    def flush(session, state):
        state.timer = None
        wait = state.bucket.delay(time.monotonic())
        if wait > 0:  # the clock of call_later ran a little early
            state.timer = asyncio.get_running_loop().call_later(wait, flush, session, state)
            return
        request, state.pending = state.pending, _NOTHING
        try:
            original(session, request)
        except Exception as err:  # as handle_backmsg does for a request it runs itself
            _LOG.exception("cevis: deferred rerun failed")
            session.handle_backmsg_exception(err)

    def bounded(self, client_state=None):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on the server's event loop: nothing to defer onto
            return original(self, client_state)
        state = sessions.get(self)
        if state is None:
            state = sessions[self] = _SessionState(rate, burst)
        if state.pending is _NOTHING:
            wait = state.bucket.delay(time.monotonic())
            if wait == 0:
                return original(self, client_state)
        else:
            wait = max(0.0, (1.0 - state.bucket.tokens) / rate)
        state.pending = merge(state.pending, client_state)
        if state.timer is None:
            state.timer = loop.call_later(wait, flush, self, state)
        return None

    bounded.cevis_throttle = True
    bounded.__wrapped__ = original
    AppSession._handle_rerun_script_request = bounded
    _LOG.info("cevis: reruns bounded to %s/s per session (burst %s)", rate, burst)
    return True
