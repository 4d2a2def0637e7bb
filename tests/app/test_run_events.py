"""streamlit_hooks/run_events.py: a session's script events reach the event loop in batches,
in order, each once, with Streamlit's own method doing the scheduling (a real asyncio loop).

The whole app runs with the hook in every server test (tests/e2e/): the room, live view and
presentation tests there see every message of every run through it.
"""

import asyncio
import logging
import threading

import pytest
from streamlit.runtime.app_session import AppSession

from cevis_app import streamlit_hooks
from cevis_app.streamlit_hooks import run_events

STREAMLITS_OWN = getattr(AppSession._call_soon_on_event_loop, "__wrapped__",
                         AppSession._call_soon_on_event_loop)


class CountingLoop:
    """An asyncio loop, counting the callbacks handed to it from outside (the wake-ups)."""

    def __init__(self, loop):
        self.loop, self.calls = loop, 0

    def call_soon_threadsafe(self, callback):
        self.calls += 1
        return self.loop.call_soon_threadsafe(callback)

    def is_closed(self):
        return self.loop.is_closed()


class Session:
    """What Streamlit's method reads of an AppSession: its event loop."""

    def __init__(self, loop):
        self._event_loop = loop


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield CountingLoop(loop)
    loop.close()


def settle(loop: CountingLoop) -> None:
    """Run the loop until nothing is left to run."""
    for _ in range(5):
        loop.loop.run_until_complete(asyncio.sleep(0))


call_soon = run_events.batched(STREAMLITS_OWN)


def test_callbacks_queued_before_the_loop_runs_are_one_loop_call_in_order(loop):
    session, ran = Session(loop), []
    for i in range(100):
        call_soon(session, lambda i=i: ran.append(i))
    assert ran == [] and loop.calls == 1  # one wake-up for a hundred
    settle(loop)
    assert ran == list(range(100))


def test_four_threads_each_callback_once_and_each_threads_in_its_order(loop):
    session, ran = Session(loop), []
    stop = threading.Event()

    def script(t):
        for i in range(500):
            call_soon(session, lambda i=i: ran.append((t, i)))

    def serve():
        while not stop.is_set():
            loop.loop.run_until_complete(asyncio.sleep(0.0005))

    server = threading.Thread(target=serve)
    server.start()
    threads = [threading.Thread(target=script, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    while len(ran) < 2000 and server.is_alive():
        stop.wait(0.01)
    stop.set()
    server.join()
    settle(loop)
    assert sorted(ran) == [(t, i) for t in range(4) for i in range(500)]  # each once
    for t in range(4):
        assert [i for s, i in ran if s == t] == list(range(500))
    assert loop.calls < 2000


def test_a_callback_queued_by_a_running_one_runs_in_the_next_call(loop):
    session, ran = Session(loop), []

    def first():
        ran.append("first")
        call_soon(session, lambda: ran.append("queued meanwhile"))

    call_soon(session, first)
    call_soon(session, lambda: ran.append("second"))
    settle(loop)
    assert ran == ["first", "second", "queued meanwhile"]
    assert loop.calls == 2  # the batch ran the two queued before it; the third asked again


def test_a_failing_callback_is_logged_and_the_next_ones_run(loop, caplog):
    session, ran = Session(loop), []

    def fails():
        raise ValueError("broken")

    call_soon(session, lambda: ran.append(1))
    call_soon(session, fails)
    call_soon(session, lambda: ran.append(3))
    with caplog.at_level(logging.ERROR, logger="cevis_app.streamlit_hooks"):
        settle(loop)
    assert ran == [1, 3] and "event callback failed" in caplog.text


def test_a_loop_that_refuses_raises_and_the_next_callback_asks_again(loop):
    session, ran = Session(loop), []

    class Refusing(CountingLoop):
        def call_soon_threadsafe(self, callback):
            raise RuntimeError("not now")

    session._event_loop = Refusing(loop.loop)
    with pytest.raises(RuntimeError):
        call_soon(session, lambda: ran.append("lost with its loop call"))
    session._event_loop = loop
    call_soon(session, lambda: ran.append("next"))
    assert loop.calls == 1
    settle(loop)
    assert ran == ["lost with its loop call", "next"]  # the queue kept it; the next call ran both


def test_a_closed_loop_drops_the_call_as_streamlit_does(loop):
    session = Session(loop)
    loop.loop.close()
    call_soon(session, lambda: None)  # Streamlit's own drops it on a closed loop, no error


def test_installed_once_on_streamlits_method(monkeypatch):
    monkeypatch.setattr(AppSession, run_events.METHOD, STREAMLITS_OWN)
    assert streamlit_hooks.batch_run_events()
    assert streamlit_hooks.batch_run_events()  # twice: wrapped once
    installed = AppSession._call_soon_on_event_loop
    assert installed.__wrapped__ is STREAMLITS_OWN


def test_without_the_method_each_event_is_its_own_loop_call(monkeypatch, caplog):
    monkeypatch.setattr(AppSession, run_events.METHOD, STREAMLITS_OWN)
    monkeypatch.setattr(run_events, "_app_session", lambda: None)
    streamlit_hooks.registry._fallback.cache_clear()
    with caplog.at_level(logging.WARNING, logger="cevis_app.streamlit_hooks"):
        assert streamlit_hooks.batch_run_events() is False
    assert AppSession._call_soon_on_event_loop is STREAMLITS_OWN
    assert "its own event-loop callback" in caplog.text
    streamlit_hooks.registry._fallback.cache_clear()
