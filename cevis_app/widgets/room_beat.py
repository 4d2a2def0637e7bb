"""A room's phones are here while their sessions are connected: one beat per process says so.

Every BEAT_SECONDS this process tells the store, for each seat of its room_push members
whose session still has its websocket (a phone put away, a closed tab: not connected),
that the seat is here (`heartbeat`; the store counts 30 s as here), and reads each of its
rooms once to make good an announcement it missed (`room_push.check`). Before this, each
phone's room bar ran a fragment every 10 s to say it was here: ~4.5 ms of server CPU each,
0.045 of a core for 100 students. A session that room_push cannot watch (a Streamlit
without the hooks) still says it itself, from the room bar's poll.

The beat starts with the first member (`start`), runs on a daemon timer thread and never
raises: a store fault skips one beat. Time is `_start_timer` (tests fire it by hand).
"""

from __future__ import annotations

import logging
import threading

from cevis_app import streamlit_hooks
from cevis_app.rooms import RoomError
from cevis_app.rooms.store import RoomUnavailable
from cevis_app.widgets import room_push

BEAT_SECONDS = 10.0  # as often as a phone's own heartbeat was
_LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_started = False


def _start_timer(delay: float, function) -> None:
    """Call function() in `delay` s on a daemon thread (tests inject one)."""
    timer = threading.Timer(delay, function)
    timer.daemon = True
    timer.start()


def start() -> None:
    """Start this process's beat, once."""
    global _started
    with _lock:
        if _started:
            return
        _started = True
    _start_timer(BEAT_SECONDS, _tick)


def _tick() -> None:
    try:
        beat()
    finally:
        _start_timer(BEAT_SECONDS, _tick)


def beat() -> int:
    """One beat: heartbeats for the connected seats, a version check per room; the seats told."""
    told = 0
    for code, (store, seats) in room_push.rooms().items():
        for session_id, seat in seats.items():
            if not streamlit_hooks.session_is_active(session_id):
                continue
            try:
                store.heartbeat(code, seat)
                told += 1
            except RoomUnavailable:  # the store stalled: the next beat tries again
                break
            except RoomError:  # ended, or this seat removed: the phone's own runs say so
                continue
            except Exception:  # noqa: BLE001  a store fault must not stop the beat
                _LOG.exception("cevis: a room heartbeat failed")
                break
        room_push.check(code)
    return told
