"""A room's wave of page runs is started one at a time, each as the one before it ends.

When a teacher switches page (or asks a question), room_push asks every follower's session
of this process for a page run. Asked all at once, the server's event loop starts 100
script threads in one go; each new thread takes the GIL from the loop as it starts, so the
loop spent ~2 s (35 ms of its own CPU) starting a class of 100, sending nothing meanwhile:
no phone had its page before ~1.3-2 s, and all of them finished together, at the end of the
wave, with the teacher's own next click behind them (measured: bench/RESULTS_class.md).
Here the runs are started AT_ONCE at a time, the next as one ends (`turn`, around the room
bar and the page in app.py): the k-th phone has its page after ~k runs. One at a time, not
two or four: every CPU-bound script thread holds the GIL for up to 5 ms (the switch
interval) each time the loop lets go of it to poll its sockets, so each extra run at once
slows the loop that sends every run's messages (measured: with 2 at once, a phone's page
came 0.5-0.8 s after its run ended; with 1, the median phone had its page 0.6 s sooner).

A session asked again while it waits keeps its place with the newest request. A run that
never ends here (its browser went, the script failed before app.py's `turn`) frees its
place after STALL_SECONDS. Time is `_now` and `_start_timer` (tests inject a clock).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict

from cevis_app import streamlit_hooks

AT_ONCE = 1  # wave runs at a time per process (see above)
STALL_SECONDS = 2.0  # a run asked for this long ago and not ended here frees its place
_lock = threading.Lock()
_waiting: OrderedDict[str, tuple] = OrderedDict()  # session id -> (session, None, url_path|None)
_running: dict[str, float] = {}  # session id -> _now() when its run was asked for
_timer: list = []  # the one pending stall check, if any
_now = time.monotonic


def _start_timer(delay: float, function, args: tuple):
    """Call function(*args) in `delay` s on a daemon thread (tests inject one)."""
    timer = threading.Timer(delay, function, args)
    timer.daemon = True
    timer.start()
    return timer


def ask(requests: list) -> None:
    """Queue each (session, None, url_path or None): a run of that page, or of its own page."""
    if not requests:
        return
    with _lock:
        for request in requests:
            _waiting[streamlit_hooks.session_id(request[0])] = request  # keeps its place
    _pump()


def _pump() -> None:
    """Start waiting runs while fewer than AT_ONCE are running (any thread)."""
    with _lock:
        now = _now()
        for sid in [sid for sid, asked in _running.items() if now - asked >= STALL_SECONDS]:
            del _running[sid]
        batch = []
        while _waiting and len(_running) < AT_ONCE:
            sid, request = _waiting.popitem(last=False)
            _running[sid] = now
            batch.append(request)
        check = bool(_running) and not _timer
        if check:
            _timer.append(True)
    if batch:
        streamlit_hooks.rerun_sessions(batch)
    if check:  # while runs are out, one check at a time frees a stalled place
        _start_timer(STALL_SECONDS, _check, ())


def _check() -> None:
    with _lock:
        _timer.clear()
    _pump()


@contextlib.contextmanager
def turn():
    """Around a script run (app.py): when it ends, however it ends (a rerun, a stop, a page
    switch raise through here), a run of a wave that waits is started in its place."""
    try:
        yield
    finally:
        session_id = streamlit_hooks.script_session_id()
        with _lock:
            ended = _running.pop(session_id, None) is not None
        if ended:
            _pump()
