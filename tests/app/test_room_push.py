"""room_push: which sessions a room change reruns, and how changes fold into waves.

A real MemoryStore announces the changes; the sessions are recorded instead of rerun
(`find_session` and `rerun_sessions` are the calls into Streamlit's runtime: the browser
test tests/e2e/test_room_browser.py runs them for real, against a server that never
polls).
"""

import threading
import time

import pytest

from cevis_app.rooms.memory import MemoryStore
from cevis_app.widgets import room_push

GAP = 0.2  # s: room_push.WAVE_GAP for these tests (shorter waits; the rule is the same)
SETTLE = 5 * GAP + 0.3  # s: every wave due has fired, even on a busy machine


@pytest.fixture
def reruns(monkeypatch):
    """reruns(): the session ids asked to rerun, one sorted list per wave (calls closer in time
    than half the gap); sessions named 'gone...' are gone from the server."""
    calls, lock = [], threading.Lock()

    class Session:
        def __init__(self, session_id):
            self.id = session_id

    def find(session_id):
        return None if session_id.startswith("gone") else Session(session_id)

    def record(sessions):
        with lock:
            calls.extend((time.monotonic(), s.id) for s in sessions)

    def waves():
        out, last = [], None
        for when, session_id in sorted(calls):
            if last is None or when - last > GAP / 2:
                out.append([])
            out[-1].append(session_id)
            last = when
        return [sorted(ids) for ids in out]

    monkeypatch.setattr(room_push, "WAVE_GAP", GAP)
    monkeypatch.setattr(room_push, "find_session", find)
    monkeypatch.setattr(room_push, "rerun_sessions", record)
    monkeypatch.setattr(room_push, "_members", {})
    monkeypatch.setattr(room_push, "_waves", {})
    monkeypatch.setattr(room_push, "_listening", set())
    return waves


@pytest.fixture
def room():
    store = MemoryStore()
    code, secret = store.create_room()
    return store, code, secret


def test_followers_rerun_for_every_change_and_others_only_for_questions(reruns, room):
    store, code, secret = room
    room_push.add(store, code, "follower", True)
    room_push.add(store, code, "alone", False)
    store.publish(code, secret, {"page": "explorer"})
    time.sleep(SETTLE)
    store.ask(code, secret, {"kind": "choice", "text": "?", "choices": ["a", "b"], "truth": 0})
    time.sleep(SETTLE)
    assert reruns() == [["follower"], ["alone", "follower"]]


def test_changes_within_the_gap_fold_into_one_later_wave_that_keeps_a_question(reruns, room):
    store, code, secret = room
    room_push.add(store, code, "alone", False)
    room_push.add(store, code, "follower", True)
    start = time.monotonic()
    for i in range(5):  # a teacher clicking fast
        store.publish(code, secret, {"page": "explorer", "explorer.z0": float(i)})
    store.ask(code, secret, {"kind": "choice", "text": "?", "choices": ["a", "b"], "truth": 0})
    assert time.monotonic() - start < GAP  # else this test says nothing
    time.sleep(SETTLE)
    waves = reruns()  # the first change's wave may have fired before the others came, or not
    assert waves in ([["alone", "follower"]], [["follower"], ["alone", "follower"]]), waves


def test_a_session_is_in_one_room_and_a_gone_session_is_forgotten(reruns):
    store = MemoryStore()
    (a, secret_a), (b, secret_b) = store.create_room(), store.create_room()
    room_push.add(store, a, "moved", True)
    room_push.add(store, b, "moved", True)  # joined another room: left the first
    room_push.add(store, a, "gone-tab", True)
    store.publish(a, secret_a, {})
    time.sleep(SETTLE)
    assert reruns() == []
    assert a not in room_push._members  # its only session was gone: the room is dropped
    store.publish(a, secret_a, {"page": "binary"})
    store.publish(b, secret_b, {})
    time.sleep(SETTLE)
    assert reruns() == [["moved"]]


def test_a_store_is_listened_to_once_however_many_sessions_join(reruns, room):
    store, code, secret = room
    for k in range(20):
        room_push.add(store, code, f"s{k}", True)
    assert len(store._listeners) == 1
    store.publish(code, secret, {})
    time.sleep(SETTLE)
    assert reruns() == [sorted(f"s{k}" for k in range(20))]

