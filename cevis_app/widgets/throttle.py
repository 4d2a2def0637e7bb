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

The hook (cevis_app/streamlit_hooks/ holds both Streamlit internals it needs):
- ``wrap_rerun_requests``: the server's handler of a browser's "rerun_script" message, on
  its event loop; only browser-sent reruns are bounded, not the runtime's own.
- ``fold_rerun_requests``: two requests as one, the widget states by Streamlit's own merge
  (keeps triggers), resolved once when the hook is installed.
- With Streamlit's default ``runner.fastReruns`` every rerun request stops the running
  script and starts a new script thread: unbounded, one client sending 1,000
  requests/s started ~1,000 threads a second and took everyone else from 40 ms to 12 s.
  Bounded here, a flood starts at most ``rate`` a second.
If the hook is missing (another Streamlit), ``install`` returns False (the hooks module logs
its fallback once): the app still works, unbounded; tests/app/test_streamlit_hooks.py lists
the capabilities present, so an upgrade shows it at once.
Installed once per process by cevis_app/widgets/startup.py ``once_per_process``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import weakref

from cevis_app import streamlit_hooks

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
    """Fold an older rerun request (or None) into a newer one.

    The newer page, query string and widget values win; a trigger (button press) only
    in the older one is kept. If either is a full rerun, so is the result (a full
    rerun also runs every fragment), and likewise if they name different fragments.
    """
    if older is None or older is _NOTHING:
        return newer
    if newer is None:
        return older
    return streamlit_hooks.fold_rerun_requests(older, newer)


class _SessionState:
    def __init__(self, rate, burst, now: float):
        self.bucket = Bucket(rate, burst, now)
        self.pending = _NOTHING
        self.timer = None


class SessionBound:
    """The bound itself: a bucket per session; an over-rate request is deferred onto the
    event loop and folded with any that follow. ``clock`` is injectable for tests."""

    def __init__(self, original, rate: float, burst: int, clock=time.monotonic):
        self.original, self.rate, self.burst, self.clock = original, rate, burst, clock
        self.sessions = weakref.WeakKeyDictionary()  # session -> _SessionState

    def request(self, session, client_state=None):
        """A browser asked ``session`` to rerun: now if a token is free, else later, folded."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on the server's event loop: nothing to defer onto
            return self.original(session, client_state)
        state = self.sessions.get(session)
        if state is None:
            state = self.sessions[session] = _SessionState(self.rate, self.burst, self.clock())
        if state.pending is _NOTHING:
            wait = state.bucket.delay(self.clock())
            if wait == 0:
                return self.original(session, client_state)
        else:
            wait = max(0.0, (1.0 - state.bucket.tokens) / self.rate)
        state.pending = merge(state.pending, client_state)
        if state.timer is None:
            state.timer = loop.call_later(wait, self.flush, session, state)
        return None

    def flush(self, session, state) -> None:
        """Run the folded request when its token is due (again later if the timer was early)."""
        state.timer = None
        wait = state.bucket.delay(self.clock())
        if wait > 0:  # the clock of call_later ran a little early
            state.timer = asyncio.get_running_loop().call_later(wait, self.flush, session, state)
            return
        request, state.pending = state.pending, _NOTHING
        try:
            self.original(session, request)
        except Exception as err:  # as Streamlit does for a request it runs itself
            _LOG.exception("cevis: deferred rerun failed")
            streamlit_hooks.report_deferred_rerun_error(session, err)


def install(rate: float | None = None, burst: int | None = None) -> bool:
    """Bound every session's browser-sent reruns (once per process; later calls no-op).

    ``rate``/``burst`` default to RATE/BURST, or to the environment variables
    CEVIS_RERUN_RATE/CEVIS_RERUN_BURST; a rate of 0 turns the bound off. Returns True
    if the hook is in place.
    """
    rate = float(os.environ.get("CEVIS_RERUN_RATE", RATE)) if rate is None else rate
    burst = int(os.environ.get("CEVIS_RERUN_BURST", BURST)) if burst is None else burst
    if rate <= 0:
        return False
    def wrap(original):
        bound = SessionBound(original, rate, burst)

        def bounded(session, client_state=None):
            return bound.request(session, client_state)

        bounded.cevis_throttle = bound
        return bounded

    if not streamlit_hooks.wrap_rerun_requests(wrap):
        return False
    _LOG.info("cevis: reruns bounded to %s/s per session (burst %s)", rate, burst)
    return True
