"""room_push: which sessions a room change reruns (page or fragment), and how changes fold
into waves.

A real MemoryStore announces the changes; the sessions are recorded instead of rerun
(`find_session` and `rerun_sessions` are the calls into Streamlit's runtime: the browser
tests tests/e2e/test_room_browser.py and test_room_follow_fragment.py run them for real,
against a server that never polls). Time is a fake clock and the wave timers are fired
by the test: no sleeps, no thresholds.
"""

import pytest

from cevis_app.rooms.memory import MemoryStore
from cevis_app.widgets import room as room_module
from cevis_app.widgets import room_plan
from cevis_app.widgets import room_push

GAP = room_push.WAVE_GAP


class Clock:
    """The waves' clock and timers: a timer fires only when the test advances past it."""

    def __init__(self):
        self.now, self.timers = 100.0, []  # [due, function, args, cancelled]

    def __call__(self):
        return self.now

    def start(self, delay, function, args):
        timer = Timer(self.now + delay, function, args)
        self.timers.append(timer)
        return timer

    def advance(self, seconds):
        """Move time on, firing each timer that falls due, in order."""
        end = self.now + seconds
        while due := sorted((t for t in self.timers if not t.cancelled and t.due <= end),
                            key=lambda t: t.due):
            timer = due[0]
            self.timers.remove(timer)
            self.now = timer.due
            timer.function(*timer.args)
        self.now = end


class Timer:
    def __init__(self, due, function, args):
        self.due, self.function, self.args, self.cancelled = due, function, args, False

    def cancel(self):
        self.cancelled = True


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(room_push, "_now", clock)
    monkeypatch.setattr(room_push, "_start_timer", clock.start)
    return clock


@pytest.fixture
def reruns(monkeypatch, clock):
    """reruns(): one list per wave of (session id, fragment id or None: the page, or
    "run:<url_path>": a run of that page), sorted; sessions named 'gone...' are gone."""
    waves = []

    class Session:
        def __init__(self, session_id):
            self.id = session_id

    def find(session_id):
        return None if session_id.startswith("gone") else Session(session_id)

    def record(requests):
        waves.append(sorted((s.id, f"run:{page}" if page else fragment)
                            for s, fragment, page in requests))

    monkeypatch.setattr(room_push, "find_session", find)
    monkeypatch.setattr(room_push, "rerun_sessions", record)
    monkeypatch.setattr(room_push, "_members", {})
    monkeypatch.setattr(room_push, "_waves", {})
    monkeypatch.setattr(room_push, "_listening", set())
    return lambda: list(waves)


@pytest.fixture
def room():
    store = MemoryStore()
    code, secret = store.create_room()
    return store, code, secret


QUESTION = {"kind": "choice", "text": "?", "choices": ["a", "b"], "truth": 0}


def test_followers_rerun_for_every_change_and_others_only_for_questions(reruns, room, clock):
    store, code, secret = room
    room_push.add(store, code, "follower", True)
    room_push.add(store, code, "alone", False)
    store.publish(code, secret, {"page": "explorer"})
    clock.advance(0)  # the first wave of a quiet room goes at once
    assert reruns() == [[("follower", None)]]
    clock.advance(GAP)
    store.ask(code, secret, QUESTION)
    clock.advance(0)
    assert reruns() == [[("follower", None)], [("alone", None), ("follower", None)]]


def test_a_view_change_reruns_a_followers_fragment_and_a_question_its_page(reruns, room, clock):
    store, code, secret = room
    room_push.add(store, code, "on-explorer", True, fragment="live-view")
    room_push.add(store, code, "on-lessons", True)  # its page offers no fragment: the page reruns
    store.publish(code, secret, {"page": "explorer", "explorer.z0": 1.0})
    clock.advance(GAP)
    store.ask(code, secret, QUESTION)
    clock.advance(GAP)
    assert reruns() == [[("on-explorer", "live-view"), ("on-lessons", None)],
                        [("on-explorer", None), ("on-lessons", None)]]


def test_changes_within_the_gap_fold_into_one_later_wave_that_keeps_a_question(reruns, room, clock):
    store, code, secret = room
    room_push.add(store, code, "alone", False)
    room_push.add(store, code, "follower", True, fragment="live-view")
    store.publish(code, secret, {"page": "explorer", "explorer.z0": -1.0})
    clock.advance(0)  # wave 1, now
    for i in range(5):  # a teacher clicking fast, 0.05 s apart
        clock.advance(0.05)
        store.publish(code, secret, {"page": "explorer", "explorer.z0": float(i)})
    store.ask(code, secret, QUESTION)
    clock.advance(GAP - 0.25 - 1e-9)
    assert len(reruns()) == 1  # the gap is not over: the changes wait
    clock.advance(2e-9)
    assert reruns() == [[("follower", "live-view")],
                        [("alone", None), ("follower", None)]]  # one wave, with the question
    clock.advance(10 * GAP)
    assert len(reruns()) == 2  # nothing more


def test_a_fragment_registration_lasts_until_the_next_page_run(reruns, room, clock, monkeypatch):
    store, code, secret = room
    monkeypatch.setattr(room_push.streamlit_hooks, "script_session_id", lambda: "s")
    monkeypatch.setattr(room_push.streamlit_hooks, "current_fragment_id", lambda: "live-view")
    monkeypatch.setattr(room_push.streamlit_hooks, "can_rerun_sessions", lambda: True)
    monkeypatch.setattr(room_push, "get_store", lambda: store)
    assert room_push.follow_with_fragment() is False  # not in a room yet
    assert room_push.watch(code, True)  # a page run: the page reruns...
    assert room_push.follow_with_fragment()  # ...until its fragment registers
    store.publish(code, secret, {"page": "explorer"})
    clock.advance(GAP)
    assert room_push.watch(code, True)  # a run of a page without the fragment
    store.publish(code, secret, {"page": "lessons"})
    clock.advance(GAP)
    assert reruns() == [[("s", "live-view")], [("s", None)]]


def test_a_session_is_in_one_room_and_a_gone_session_is_forgotten(reruns, clock):
    store = MemoryStore()
    (a, secret_a), (b, secret_b) = store.create_room(), store.create_room()
    room_push.add(store, a, "moved", True)
    room_push.add(store, b, "moved", True)  # joined another room: left the first
    room_push.add(store, a, "gone-tab", True)
    store.publish(a, secret_a, {})
    clock.advance(GAP)
    assert reruns() == []
    assert a not in room_push._members  # its only session was gone: the room is dropped
    store.publish(a, secret_a, {"page": "binary"})
    store.publish(b, secret_b, {})
    clock.advance(GAP)
    assert reruns() == [[("moved", None)]]


def test_a_store_is_listened_to_once_however_many_sessions_join(reruns, room, clock):
    store, code, secret = room
    for k in range(20):
        room_push.add(store, code, f"s{k}", True)
    assert len(store._listeners) == 1
    store.publish(code, secret, {})
    clock.advance(0)
    assert reruns() == [sorted((f"s{k}", None) for k in range(20))]


def test_a_change_of_page_runs_the_teachers_page_and_marks_the_run(reruns, room, clock,
                                                                   monkeypatch):
    store, code, secret = room
    room_push.add(store, code, "explorer", True, fragment="live-view", page="explorer", bar="bar")
    room_push.add(store, code, "descent", True, page="descent", bar="bar")  # no view fragment
    room_push.add(store, code, "old", True, page="descent")  # no bar registered: its page
    store.publish(code, secret, {"page": "descent", "explorer.z0": 1.0})
    clock.advance(GAP)
    store.publish(code, secret, {"page": "explorer", "explorer.z0": 2.0})
    clock.advance(GAP)
    assert reruns() == [[("descent", None), ("explorer", "run:descent"), ("old", None)],
                        [("descent", "run:explorer"), ("explorer", "live-view"), ("old", None)]]
    monkeypatch.setattr(room_push.streamlit_hooks, "script_session_id", lambda: "descent")
    assert room_push.take_switched("descent") is False  # its own run of its old page (a click
    # while the wave's run waits in room_gate) leaves the mark...
    assert room_push.take_switched("explorer") is True  # ...for the run of the teacher's page,
    assert room_push.take_switched("explorer") is False  # which tells its browser the query once
    assert room_push.take_push() is False  # no room bar fragment was asked for


def test_a_change_of_page_reruns_the_room_bar_where_the_page_takes_the_rooms_query(
        reruns, room, clock, monkeypatch):
    store, code, secret = room
    room_push.add(store, code, "s", True, fragment="live-view", page="explorer", bar="bar")
    for page in ("room", "lessons"):  # ?room=CODE, ?lesson=&step=: the room bar writes them
        store.publish(code, secret, {"page": page})
        clock.advance(GAP)
    assert reruns() == [[("s", "bar")], [("s", "bar")]]
    monkeypatch.setattr(room_push.streamlit_hooks, "script_session_id", lambda: "s")
    assert room_push.take_push() is True  # its bar's run reads the room at once...
    assert room_push.take_push() is False  # ...once: its timer's runs read every POLL_SECONDS
    assert room_push.take_switched("room") is False and room_push.take_switched("lessons") is False


def test_without_the_page_run_hook_the_room_bar_switches_page(reruns, room, clock, monkeypatch):
    monkeypatch.setattr(room_plan.streamlit_hooks, "can_run_pages", lambda: False)
    store, code, secret = room
    room_push.add(store, code, "s", True, fragment="live-view", page="explorer", bar="bar")
    store.publish(code, secret, {"page": "descent"})
    clock.advance(GAP)
    assert reruns() == [[("s", "bar")]]


def test_the_pages_switched_with_the_rooms_query_are_the_room_bars():
    assert room_plan.SWITCH_WITH_QUERY == {room_module.ROOM_PAGE, room_module.LESSONS_PAGE}


@pytest.fixture
def pushes(monkeypatch, reruns):
    """pushes(): one list per wave of (session id, message text, fallback fragment), sorted;
    the message is the view's text (element_with_json is Streamlit's, run in the e2e tests)."""
    waves = []
    monkeypatch.setattr(room_push.streamlit_hooks, "element_with_json", lambda message, text: text)
    monkeypatch.setattr(room_push.streamlit_hooks, "push_elements",
                        lambda items: waves.append(sorted((s.id, m, f) for s, m, f in items)) or True)
    return lambda: list(waves)


def view(page="explorer", question=None, classes=("panda", "seal", "duck")):
    """A View whose text names the published logit z0 and the push number, or None for other
    classes (as room_follow's: then the page must run)."""
    def text(published, number):
        names = tuple(published.get("explorer.names", "panda, seal, duck").split(", "))
        return None if names != classes else f"z0={published.get('explorer.z0')} #{number}"
    return room_push.View(page=page, question=question, message=object(), text=text)


def test_a_move_on_a_followers_page_is_pushed_not_rerun(pushes, reruns, room, clock):
    store, code, secret = room
    room_push.add(store, code, "viewer", True, fragment="live-view", page="explorer")
    room_push._members[code]["viewer"].view = view()
    room_push.add(store, code, "no-view", True, fragment="live-view", page="explorer")
    room_push.add(store, code, "alone", False, fragment="live-view", page="explorer")
    room_push._members[code]["alone"].view = view()  # explores alone: neither pushed nor rerun
    store.publish(code, secret, {"page": "explorer", "explorer.z0": 1.0})
    clock.advance(GAP)
    store.publish(code, secret, {"page": "explorer", "explorer.z0": 2.0})
    clock.advance(GAP)
    assert pushes() == [[("viewer", "z0=1.0 #1", "live-view")], [("viewer", "z0=2.0 #2", "live-view")]]
    assert reruns() == [[("no-view", "live-view")], [("no-view", "live-view")]]
    assert room_push._members[code]["viewer"].pushed["version"] == store.read(code, -1).version


def test_what_a_push_cannot_show_reruns_as_before(pushes, reruns, room, clock):
    store, code, secret = room
    room_push.add(store, code, "other-page", True, fragment="live-view", page="explorer", bar="bar")
    room_push._members[code]["other-page"].view = view()
    room_push.add(store, code, "old-question", True, fragment="live-view", page="descent")
    room_push._members[code]["old-question"].view = view(page="descent", question=QUESTION)
    room_push.add(store, code, "renamed", True, fragment="live-view", page="descent")
    room_push._members[code]["renamed"].view = view(page="descent")
    store.publish(code, secret, {"page": "descent", "explorer.names": "cat, dog, fox"})
    clock.advance(GAP)
    assert pushes() == []
    assert reruns() == [[("old-question", "live-view"), ("other-page", "run:descent"),
                         ("renamed", "live-view")]]
    assert all(m.pushed is None for m in room_push._members[code].values())


def test_a_pushed_version_is_taken_once_and_survives_the_next_page_run(pushes, room, clock,
                                                                        monkeypatch):
    store, code, secret = room
    monkeypatch.setattr(room_push.streamlit_hooks, "script_session_id", lambda: "s")
    room_push.add(store, code, "s", True, fragment="live-view", page="explorer")
    assert room_push.follow_with_view(view())
    version = store.publish(code, secret, {"page": "explorer", "explorer.z0": 3.0})
    clock.advance(GAP)
    room_push.add(store, code, "s", True, page="explorer")  # its next page run registers anew
    assert room_push._members[code]["s"].view is None  # that run must draw the view again
    assert room_push.take_pushed()["version"] == version
    assert room_push.take_pushed() is None


def test_a_push_the_server_cannot_send_falls_back_to_the_rerun(reruns, room, clock, monkeypatch):
    store, code, secret = room
    monkeypatch.setattr(room_push.streamlit_hooks, "element_with_json", lambda message, text: text)
    monkeypatch.setattr(room_push.streamlit_hooks, "push_elements", lambda items: False)
    room_push.add(store, code, "viewer", True, fragment="live-view", page="explorer")
    room_push._members[code]["viewer"].view = view()
    store.publish(code, secret, {"page": "explorer", "explorer.z0": 1.0})
    clock.advance(GAP)
    assert reruns() == [[("viewer", "live-view")]]


def test_a_teacher_clicking_fast_is_one_push_per_gap_with_the_last_sample(pushes, reruns, room,
                                                                          clock):
    store, code, secret = room
    room_push.add(store, code, "viewer", True, fragment="live-view", page="explorer")
    room_push._members[code]["viewer"].view = view()
    store.publish(code, secret, {"page": "explorer", "explorer.z0": -1.0})
    clock.advance(0)  # wave 1, now
    for i in range(5):  # 0.05 s apart
        clock.advance(0.05)
        store.publish(code, secret, {"page": "explorer", "explorer.z0": float(i)})
    clock.advance(GAP)
    assert pushes() == [[("viewer", "z0=-1.0 #1", "live-view")], [("viewer", "z0=4.0 #2", "live-view")]]
    assert reruns() == []


def test_fragment_reruns_go_at_once_and_page_runs_through_the_gate(monkeypatch):
    now, gated = [], []
    monkeypatch.setattr(room_push.streamlit_hooks, "rerun_sessions", now.extend)
    monkeypatch.setattr(room_push.room_gate, "ask", gated.extend)
    room_push.rerun_sessions([("s1", "live-view", None), ("s2", None, "descent"),
                              ("s3", None, None), ("s4", "bar", None)])
    assert now == [("s1", "live-view", None), ("s4", "bar", None)]
    assert gated == [("s2", None, "descent"), ("s3", None, None)]
