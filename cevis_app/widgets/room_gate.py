"""A room's wave of page runs goes a few at a time, so that each phone is done as soon as it can be.

When a teacher switches page (or asks a question), room_push asks every follower's session
of this process for a page run. Started together, 100 runs share one core under the GIL:
each advances a little at a time and nearly all finish together, at the end of the wave
(~16 ms of CPU per follower: ~1.6 s for 100, and the p95 above it), while the teacher's own
next click waits behind all of them. Let through AT_ONCE at a time, the runs finish one
after another: the k-th phone has its page after ~k runs, not ~100, and a run that is not a
wave's (the teacher's, a student's own) is never held. A waiting run holds no CPU; after
WAIT_SECONDS it goes anyway (a slot is never lost to a run that hangs).

    with room_gate.turn():   # app.py: around the room bar and the page
        ...
"""

from __future__ import annotations

import contextlib
import threading

from cevis_app.widgets import room_push

AT_ONCE = 2  # wave runs at a time per process: one computes while another waits on a store
WAIT_SECONDS = 5.0  # the longest a wave's run waits for a slot
_slots = threading.BoundedSemaphore(AT_ONCE)


@contextlib.contextmanager
def turn():
    """Hold one of the AT_ONCE slots for the rest of this script run if a wave asked for it
    (room_push.take_paged); any other run goes at once. Released however the run ends (a
    rerun, a stop, a page switch raise through here)."""
    held = room_push.take_paged() and _slots.acquire(timeout=WAIT_SECONDS)
    try:
        yield
    finally:
        if held:
            _slots.release()
