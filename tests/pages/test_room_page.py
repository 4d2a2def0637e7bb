"""AppTest: the Room page and the room bar, a teacher and students as separate sessions.

AppTest sessions of one process share the in-process store (cevis_app.rooms.get_store), as
the sessions of one `streamlit run` do. A student's poll runs in the room bar's fragment,
which also runs with every full run: `student.run()` stands for a second passing.
"""

import math
import pathlib
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cevis_app.rooms import get_store
from cevis_app.widgets.shared_sample import FOLLOWING_NOTE
from tests.pages.test_pages import live_readout

TIMEOUT = 30  # s: the first run imports plotly and pandas
APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")
ROOM = "app_pages/room.py"


def session(query=None, page=ROOM):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def texts(at):
    return " ".join(str(e.value) for kind in ("markdown", "caption", "error", "warning", "success", "info",
                                              "text") for e in getattr(at, kind))


def open_room():
    teacher = session()
    teacher.button(key="room.open").click().run()
    assert not teacher.exception, teacher.exception
    return teacher, teacher.session_state["room.code"]


def test_the_lobby_offers_to_join_and_to_open():
    at = session()
    labels = [b.label for b in at.button]
    assert "Open a room" in labels and "Join" in labels


def test_a_teacher_opens_a_room_and_its_secret_stays_in_the_session():
    teacher, code = open_room()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{6}", code)
    secret = teacher.session_state["room.secret"]
    assert secret not in str(dict(teacher.query_params))
    assert "**0** students here · 0 joined" in texts(teacher)
    assert {"Ask the question", "Reveal the answers"} <= {b.label for b in teacher.button}


def test_a_student_joins_by_link_follows_a_move_and_answers():
    teacher, code = open_room()
    student = session({"room": code.lower()})
    assert student.session_state["room.role"] == "student"
    assert not {"Ask the question", "Reveal the answers", "Open a room"} & {b.label for b in student.button}
    teacher.switch_page("app_pages/explorer.py").run()
    teacher.slider(key="explorer.z1").set_value(4.0).run()  # the teacher's session publishes it
    student.run()  # the poll sees the new version and reruns with the teacher's sample and page
    assert not student.exception, student.exception
    assert student.title[0].value == "Explorer"
    # following: the teacher's view (the live view's loss, -log softmax([0, 4, 0])[0]), and no
    # controls of the sample (they come back when the student explores alone, see below)
    assert live_readout(student, "Loss") == f"{math.log(2 + math.exp(4.0)):.4f}"
    assert not [w for w in student.slider if w.key and w.key.startswith("explorer.")]
    student.run()  # (AppTest goes back to the page it switched to last: the Room)
    teacher.switch_page(ROOM).run()
    teacher.button(key="room.ask").click().run()
    student.run()
    [estimate] = student.number_input
    estimate.set_value(1.5)
    student.button[[b.label for b in student.button].index("Send answer")].click().run()
    assert "Answer sent: 1.500" in texts(student)
    tally = get_store().tally(code, teacher.session_state["room.secret"])
    assert tally.answers == (1.5,)
    assert tally.question["truth"] == math.log(2 + math.exp(4.0))  # -log softmax([0, 4, 0])[0]
    teacher.button(key="room.reveal").click().run()
    assert len(teacher.get("plotly_chart")) == 2  # the sample and the class's answers


def test_a_wrong_code_in_the_link_gets_the_no_room_message():
    at = session({"room": "ZZZZZZ"})
    assert "No open room has the code ZZZZZZ" in texts(at)
    at = session({"room": "<b>x</b>"})
    assert "A room code is 6 letters and digits" in texts(at)


def test_the_class_follows_a_lesson_step_and_is_asked_its_question():
    from cevis_app.views.lessons import question_for

    teacher, code = open_room()
    student = session({"room": code})
    teacher.query_params.update({"lesson": "2", "step": "3"})
    teacher.switch_page("app_pages/lessons.py").run()
    assert not teacher.exception, teacher.exception
    student.run()  # follows to the same lesson step
    assert not student.exception, student.exception
    assert student.query_params.get("lesson") in ("2", ["2"])
    assert student.query_params.get("step") in ("3", ["3"])
    teacher.switch_page(ROOM).run()
    expected = question_for(1, 2)  # lesson 2, step 3: a choice
    assert expected["kind"] == "choice" and expected["prompt"] in texts(teacher).replace("\\", "")
    teacher.button(key="room.ask").click().run()
    student.run()
    [radio] = student.radio
    assert list(radio.options) == expected["options"]
    radio.set_value(expected["truth"])
    student.button[[b.label for b in student.button].index("Send answer")].click().run()
    tally = get_store().tally(code, teacher.session_state["room.secret"])
    assert tally.answers == (expected["truth"],) and tally.question["truth"] == expected["truth"]


@pytest.mark.parametrize("raw", [" ", "A" * 5000, "**bold** $x^2$", "ABC DEF GH", "💥💥💥💥💥💥",
                                 "k7pq2m\n", "../../etc", "<script>alert(1)</script>"])
def test_a_hostile_room_parameter_gets_a_message_never_an_exception(raw):
    at = session({"room": raw})
    assert "room.role" not in at.session_state
    shown = texts(at)
    assert "Open a room" in [b.label for b in at.button]  # still the lobby
    assert "<script>" not in shown and "**bold**" not in shown  # never echoed as markup


def test_a_student_keeps_following_through_the_teachers_page_switches():
    # The follow toggle is drawn in the room bar, which a run that switches page does not
    # draw; Streamlit drops such a widget's value unless it persists, and the student
    # then silently stopped following after the teacher's first page switch.
    teacher, code = open_room()
    student = session({"room": code})
    for page, z1 in [("explorer", 3.0), ("room", None), ("explorer", -2.0)]:
        teacher.switch_page(f"app_pages/{page}.py").run()
        if z1 is not None:
            teacher.slider(key="explorer.z1").set_value(z1).run()
        student.run()  # a second passes: the poll sees the version, the student follows
        assert not student.exception, student.exception
        assert student.session_state["room.follow"] is True
        if z1 is not None:
            assert student.title[0].value == "Explorer"
            assert live_readout(student, "Loss") == f"{math.log(2 + math.exp(z1)):.4f}"


def sample_sliders(at):
    return {w.key: w.value for w in at.slider if w.key and w.key.startswith("explorer.")}


@pytest.mark.parametrize("page", ["explorer", "descent", "gradients"])
def test_a_follower_sees_the_teachers_view_and_gets_the_controls_when_exploring_alone(page):
    # A page switch reruns every follower's page, one after another on one process: a
    # following student's page draws the view without the sample's controls (issue 26).
    teacher, code = open_room()
    teacher.switch_page("app_pages/explorer.py").run()
    teacher.slider(key="explorer.z1").set_value(2.5).run()
    teacher.slider(key="explorer.T").set_value(2.0).run()
    if page != "explorer":
        teacher.switch_page(f"app_pages/{page}.py").run()
    student = session({"room": code})
    student.switch_page(f"app_pages/{page}.py").run()  # (AppTest reruns the page it last named)
    assert not student.exception, student.exception
    assert student.session_state["explorer.z1"] == 2.5 and student.session_state["explorer.T"] == 2.0
    assert sample_sliders(student) == {} and not student.text_input and not student.selectbox
    assert FOLLOWING_NOTE in texts(student)
    assert not [b for b in student.button if b.key and ".preset." in b.key]
    student.toggle(key="room.follow").set_value(False).run()  # exploring alone
    assert not student.exception, student.exception
    sliders = sample_sliders(student)  # the controls, at the teacher's values
    assert (sliders["explorer.z0"], sliders["explorer.z1"], sliders["explorer.T"]) == (0.0, 2.5, 2.0)
    assert FOLLOWING_NOTE not in texts(student)
    student.slider(key="explorer.z0").set_value(1.0).run()  # the student's own sample now
    teacher.slider(key="explorer.z1").set_value(-1.0).run() if page == "explorer" else None
    student.run()
    assert sample_sliders(student)["explorer.z0"] == 1.0
    student.toggle(key="room.follow").set_value(True).run()  # back: the teacher's view again
    student.run()
    assert not student.exception, student.exception
    assert sample_sliders(student) == {}
    assert student.session_state["explorer.z0"] == 0.0  # the toggle takes the teacher's view
    assert student.session_state["explorer.z1"] == (-1.0 if page == "explorer" else 2.5)


def smoothed_descent(z, y, eta, eps, steps):
    """Plain numpy reference: `steps` steps of z <- z - eta (softmax(z) - t), t the label-smoothed
    target; (the loss -sum t log softmax(z) after them, p(y) after them)."""
    z = np.array(z, dtype=float)
    t = np.full(z.size, eps / z.size)
    t[y] += 1 - eps
    for _ in range(steps):
        p = np.exp(z - z.max())
        z = z - eta * (p / p.sum() - t)
    log_p = z - z.max() - np.log(np.exp(z - z.max()).sum())
    return -(t * log_p).sum(), math.exp(log_p[y])


def descent_line(at):
    return next((c.value for c in at.caption if c.value.startswith("The teacher's settings")), None)


def test_a_follower_on_descent_sees_the_teachers_settings_and_gets_them_in_the_controls():
    # "they see what you show": η, the loss, ε and the steps are the teacher's too, and a
    # following page draws none of their controls (issue 26: a page switch reruns every follower)
    teacher, code = open_room()
    teacher.switch_page("app_pages/descent.py").run()
    student = session({"room": code})
    student.switch_page("app_pages/descent.py").run()
    assert not student.select_slider and not student.slider and not student.button_group
    assert descent_line(student).startswith(
        "The teacher's settings: η = 1, cross-entropy with ε = 0, 50 steps")
    teacher.select_slider(key="descent.lr").set_value(30.0).run()
    teacher.slider(key="descent.eps").set_value(0.2).run()
    teacher.slider(key="descent.steps").set_value(20).run()
    student.run()
    assert not student.exception, student.exception
    assert descent_line(student).startswith(
        "The teacher's settings: η = 30, cross-entropy with ε = 0.2, 20 steps")
    loss, p_true = smoothed_descent([0, 0, 0], 0, 30.0, 0.2, 20)
    metrics = {m.label: m.value for m in student.metric}
    assert metrics["Loss after 20 steps"] == f"{loss:.4f}" and metrics["p(panda) after"] == f"{p_true:.4f}"
    student.toggle(key="room.follow").set_value(False).run()  # exploring alone: the controls, there
    assert not student.exception, student.exception
    assert student.select_slider(key="descent.lr").value == 30.0
    assert (student.slider(key="descent.eps").value, student.slider(key="descent.steps").value) == (0.2, 20)
    assert descent_line(student) is None
    student.select_slider(key="descent.lr").set_value(0.1).run()  # the student's own
    student.toggle(key="room.follow").set_value(True).run()
    student.run()
    assert descent_line(student).startswith("The teacher's settings: η = 30,")
    teacher.switch_page("app_pages/explorer.py").run()  # away and back: still what the teacher shows
    student.run()
    teacher.switch_page("app_pages/descent.py").run()
    student.run()
    assert student.title[0].value == "Gradient descent on the loss"
    shown = teacher.select_slider(key="descent.lr").value
    assert descent_line(student).startswith(f"The teacher's settings: η = {shown:g},")


def charts(at) -> int:
    return len(at.get("plotly_chart"))


def test_a_follower_on_descent_has_the_comparisons_folded_until_it_opens_them():
    # a page switch runs every follower's page one after another on one process (issue 26):
    # a following phone sends the player and its numbers, the comparisons only when opened
    teacher, code = open_room()
    teacher.switch_page("app_pages/descent.py").run()
    assert charts(teacher) == 3 and "descent.comparisons" not in teacher.session_state
    student = session({"room": code})
    student.switch_page("app_pages/descent.py").run()
    assert not student.exception, student.exception
    assert charts(student) == 0 and len(student.metric) == 3
    folded = [e for e in student.expander if e.label.startswith("Learning rates side by side;")]
    assert len(folded) == 1
    student.session_state["descent.comparisons"] = True  # what opening it sends
    student.run()
    assert not student.exception, student.exception
    assert charts(student) == 3
    assert [h.value for h in student.subheader][:2] == [
        "Learning rates side by side", "Cross-entropy against squared error, from the same start"]
    student.toggle(key="room.follow").set_value(False).run()  # exploring alone: as the teacher's
    assert charts(student) == 3 and not [e for e in student.expander if e.label.startswith(
        "Learning rates side by side;")]


def test_a_view_question_gives_a_follower_the_controls_to_answer_with():
    teacher, code = open_room()
    student = session({"room": code})
    teacher.button(key="room.author.view_preset").click().run()
    teacher.selectbox(key="room.pick").set_value(1).run()
    student.switch_page("app_pages/explorer.py").run()
    assert sample_sliders(student) == {}  # no question yet: following, no controls
    teacher.button(key="room.ask").click().run()
    student.run()  # the poll: the question (and the teacher's page, the Room)
    student.switch_page("app_pages/explorer.py").run()  # its link: "Drag your logits on the Explorer"
    assert not student.exception, student.exception
    assert student.session_state["room.follow"] is True
    assert "explorer.z0" in sample_sliders(student)  # answering on the view: the exact sliders


def test_a_publish_the_store_cannot_take_says_so_in_the_teachers_bar(monkeypatch):
    # the teacher publishes after the page has run (room_publish.publish): a passing store fault
    # there is a line in the bar, not a traceback, and the next run publishes what it missed
    from cevis_app.rooms.store import RoomUnavailable

    teacher, code = open_room()
    teacher.switch_page("app_pages/descent.py").run()
    store = get_store()

    def down(*args, **kwargs):
        raise RoomUnavailable("The classroom server did not answer.")

    monkeypatch.setattr(store, "publish", down)
    teacher.select_slider(key="descent.lr").set_value(10.0).run()
    assert not teacher.exception, teacher.exception
    assert any("The class keeps the view you showed last." in w.value for w in teacher.warning)
    assert store.read(code, -1).state["descent.lr"] == 1.0  # (nothing went out)
    monkeypatch.undo()
    teacher.run()
    assert not [w for w in teacher.warning if "keeps the view" in w.value]
    assert store.read(code, -1).state["descent.lr"] == 10.0
