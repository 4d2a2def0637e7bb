"""room_beat: one beat per process says which of its room's phones are here (their sessions
connected), and makes good an announcement the process missed.

A real MemoryStore on a fake clock counts who is here; which sessions are connected is
given (streamlit_hooks.session_is_active: Streamlit's own, run by the browser tests); the
waves are recorded as in test_room_push. No sleeps.
"""

import pytest

from cevis_app.rooms.memory import MemoryStore
from cevis_app.rooms.store import Bounds
from cevis_app.widgets import room_beat
from cevis_app.widgets import room_push


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def room(monkeypatch):
    clock = Clock()
    store = MemoryStore(clock=clock, bounds=Bounds(present_seconds=30.0))
    code, secret = store.create_room("laptop-device-0001")
    monkeypatch.setattr(room_push, "_members", {})
    monkeypatch.setattr(room_push, "_waves", {})
    monkeypatch.setattr(room_push, "_stores", {})
    monkeypatch.setattr(room_push, "_listening", {id(store)})  # its announcements are all lost
    waves = []
    monkeypatch.setattr(room_push, "changed", lambda code, kind: waves.append(kind))
    return store, code, secret, clock, waves


def test_a_beat_tells_the_connected_seats_only(room, monkeypatch):
    store, code, secret, clock, _ = room
    seats = {f"s{k}": store.join(code, f"phone-device-000{k}") for k in range(3)}
    for session_id, seat in seats.items():
        room_push.add(store, code, session_id, True, seat=seat)
    room_push.add(store, code, "no-seat", True)  # a session registered without one
    monkeypatch.setattr(room_beat.streamlit_hooks, "session_is_active", lambda sid: sid != "s2")
    clock.now += 31  # every join is now older than "here" allows
    assert store.tally(code, secret).here == 0
    assert room_beat.beat() == 2
    assert store.tally(code, secret).here == 2  # s2's phone is gone: not here


def test_a_beat_makes_good_a_missed_announcement_once(room, monkeypatch):
    store, code, secret, _, waves = room
    room_push.add(store, code, "s0", True, seat=store.join(code, "phone-device-0001"))
    monkeypatch.setattr(room_beat.streamlit_hooks, "session_is_active", lambda sid: True)
    room_beat.beat()  # the first read of the room: nothing to make good
    room_beat.beat()
    assert waves == []
    store.publish(code, secret, {"page": "explorer"})  # its announcement was lost
    room_beat.beat()
    room_beat.beat()
    assert waves == ["view"]
    store.ask(code, secret, {"kind": "choice", "text": "?", "choices": ["a", "b"], "truth": 0})
    room_beat.beat()
    assert waves == ["view", "question"]


def test_a_store_fault_skips_the_room_and_the_beat_goes_on(room, monkeypatch):
    store, code, _, _, _ = room
    room_push.add(store, code, "s0", True, seat=store.join(code, "phone-device-0001"))
    monkeypatch.setattr(room_beat.streamlit_hooks, "session_is_active", lambda sid: True)

    def stalled(code, seat):
        raise ConnectionError("the store stalled")

    monkeypatch.setattr(store, "heartbeat", stalled)
    assert room_beat.beat() == 0  # logged, not raised
