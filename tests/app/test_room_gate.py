"""room_gate: a wave's page runs are started AT_ONCE at a time, the next as one ends; a
session asked again keeps its place; a run that never ends frees its place after
STALL_SECONDS; runs no wave asked for are never counted. The calls into Streamlit are
recorded instead (tests/e2e/test_room_browser.py runs them for real); time is a fake clock
whose timers fire only when the test advances it (no sleeps)."""

import pytest

from cevis_app.widgets import room_gate


class Session:
    def __init__(self, session_id):
        self.id = session_id


@pytest.fixture
def gate(monkeypatch):
    """started(): the session ids asked to run, in order; end(sid): that session's run ends;
    advance(s): time moves on, firing due timers."""
    started, timers, now = [], [], [0.0]
    monkeypatch.setattr(room_gate, "AT_ONCE", 2)
    monkeypatch.setattr(room_gate, "_waiting", room_gate.OrderedDict())
    monkeypatch.setattr(room_gate, "_running", {})
    monkeypatch.setattr(room_gate, "_timer", [])
    monkeypatch.setattr(room_gate, "_now", lambda: now[0])
    monkeypatch.setattr(room_gate, "_start_timer",
                        lambda delay, function, args: timers.append((now[0] + delay, function, args)))
    monkeypatch.setattr(room_gate.streamlit_hooks, "rerun_sessions",
                        lambda batch: started.extend((s.id, page) for s, _, page in batch))
    current = [None]
    monkeypatch.setattr(room_gate.streamlit_hooks, "script_session_id", lambda: current[0])

    def end(session_id):
        current[0] = session_id
        with room_gate.turn():
            pass

    def advance(seconds):
        now[0] += seconds
        for due in sorted([t for t in timers if t[0] <= now[0]], key=lambda t: t[0]):
            timers.remove(due)
            due[1](*due[2])

    return started, end, advance


def ask(*session_ids, page="descent"):
    room_gate.ask([(Session(sid), None, page) for sid in session_ids])


def test_two_runs_go_at_once_and_each_end_starts_the_next_in_order(gate):
    started, end, _ = gate
    ask("a", "b", "c", "d", "e")
    assert started == [("a", "descent"), ("b", "descent")]
    end("b")
    assert [s for s, _ in started] == ["a", "b", "c"]
    end("teacher")  # a run no wave asked for (the teacher's, a student's own) starts nothing
    assert len(started) == 3
    end("a")
    end("c")
    end("d")
    assert [s for s, _ in started] == ["a", "b", "c", "d", "e"]
    end("e")
    assert room_gate._running == {} and not room_gate._waiting


def test_a_session_asked_again_keeps_its_place_with_the_newest_request(gate):
    started, end, _ = gate
    ask("a", "b", "c", "d")
    ask("d", "c", page="explorer")  # the teacher switched again: c and d still wait, in order
    end("a")
    end("b")
    assert started[2:] == [("c", "explorer"), ("d", "explorer")]


def test_a_run_that_never_ends_frees_its_place_after_the_stall_time(gate):
    started, end, advance = gate
    ask("gone", "slow", "c")
    assert [s for s, _ in started] == ["gone", "slow"]
    advance(room_gate.STALL_SECONDS - 0.5)
    assert len(started) == 2  # not yet
    advance(0.5)  # both are out for STALL_SECONDS: their places go to the waiting run
    assert [s for s, _ in started] == ["gone", "slow", "c"]
    end("slow")  # a late end of a freed run starts nothing more (nothing waits)
    end("c")
    assert room_gate._running == {}
