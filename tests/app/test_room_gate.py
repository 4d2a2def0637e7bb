"""room_gate: a wave's page runs go AT_ONCE at a time; any other run never waits; a slot comes
back however a run ends. Threads stand in for script runs; events order them (no sleeps)."""

import threading

import pytest

from cevis_app.widgets import room_gate


@pytest.fixture
def gate(monkeypatch):
    """A fresh gate of 2 slots; `asked` holds whether the next run is a wave's (per thread)."""
    monkeypatch.setattr(room_gate, "AT_ONCE", 2)
    monkeypatch.setattr(room_gate, "_slots", threading.BoundedSemaphore(2))
    asked = threading.local()
    monkeypatch.setattr(room_gate.room_push, "take_paged", lambda: getattr(asked, "wave", False))
    return asked


def run(asked, wave: bool, inside: threading.Condition, leave: threading.Event, log: list, name):
    asked.wave = wave
    with room_gate.turn():
        with inside:
            log.append(name)
            inside.notify_all()
        leave.wait(10)


def test_at_most_two_wave_runs_at_once_and_others_never_wait(gate):
    log, leave, inside = [], threading.Event(), threading.Condition()
    waves = [threading.Thread(target=run, args=(gate, True, inside, leave, log, f"wave{k}"))
             for k in range(3)]
    for t in waves:
        t.start()
    with inside:
        assert inside.wait_for(lambda: len(log) == 2, 5)
        assert not inside.wait_for(lambda: len(log) > 2, 0.3)  # the third waits for a slot
    teacher = threading.Thread(target=run, args=(gate, False, inside, leave, log, "teacher"))
    teacher.start()
    with inside:  # a run no wave asked for goes at once, slots full or not
        assert inside.wait_for(lambda: "teacher" in log, 5)
    assert len(log) == 3
    leave.set()
    for t in [*waves, teacher]:
        t.join(5)
    assert sorted(log) == ["teacher", "wave0", "wave1", "wave2"]  # the third went once one left


def test_a_slot_comes_back_when_a_run_raises(gate):
    gate.wave = True
    for _ in range(5):  # more than the slots: each raise gave its slot back
        with pytest.raises(RuntimeError):
            with room_gate.turn():
                raise RuntimeError("st.rerun and st.switch_page raise through the page")
    assert room_gate._slots.acquire(blocking=False) and room_gate._slots.acquire(blocking=False)


def test_a_wave_run_waits_at_most_wait_seconds(gate, monkeypatch):
    monkeypatch.setattr(room_gate, "WAIT_SECONDS", 0.01)
    assert room_gate._slots.acquire(blocking=False) and room_gate._slots.acquire(blocking=False)
    gate.wave = True
    with room_gate.turn():  # no slot comes: it goes anyway, and gives back none it did not take
        pass
    with pytest.raises(ValueError):  # BoundedSemaphore: a release it never took would raise here
        room_gate._slots.release()
        room_gate._slots.release()
        room_gate._slots.release()
