"""AppTest: the teacher's own questions on the Room page (issue 23): the form, its refusals,
hostile text shown as text, the queue kept in the room; a student's locked and revealed views.

A teacher and students are separate AppTest sessions sharing the in-process store, as in
test_room_page.py (whose helpers these are).
"""

from cevis_app.rooms import get_store
from tests.pages.test_room_page import open_room
from tests.pages.test_room_page import session
from tests.pages.test_room_page import texts

HOSTILE = "**bold** [link](http://evil.example) <b>x</b> $x^2$"


def write(teacher, text, options="", low="0", high="10", truth="", kind="choice"):
    teacher.radio(key="room.author.kind").set_value(kind)
    teacher.text_input(key="room.author.text").input(text)
    teacher.text_area(key="room.author.options").input(options)
    teacher.text_input(key="room.author.low").input(low)
    teacher.text_input(key="room.author.high").input(high)
    teacher.text_input(key="room.author.truth").input(truth)
    teacher.button(key="FormSubmitter:room.author-Add to the queue").click().run()
    assert not teacher.exception, teacher.exception


def test_a_written_question_joins_the_queue_kept_in_the_room_and_shows_as_text():
    teacher, code = open_room()
    write(teacher, HOSTILE, f"up\n* {HOSTILE}")
    kept = get_store().queue(code, teacher.session_state["room.secret"])
    assert [q["choices"] for q in kept] == [["up", HOSTILE]] and kept[0]["truth"] == 1
    shown = texts(teacher)
    assert "**bold**" not in shown and "\\*\\*bold\\*\\*" in shown  # escaped Markdown, never bold
    assert "&lt;b\\>x" in shown and "<b>" not in shown  # escape.markdown: < as an entity
    labels = teacher.selectbox(key="room.pick").options
    assert labels[1].startswith("Your question 1: **bold**")  # a selectbox shows plain text


def test_a_question_that_cannot_be_asked_is_refused_with_a_plain_reason():
    teacher, code = open_room()
    write(teacher, "Which one?", "only one option")
    assert "Write 2 to 6 options, one per line (you wrote 1)." in [e.value for e in teacher.error]
    write(teacher, "How much?", kind="estimate", low="5", high="1")
    assert any("low < high; got 5 and 1" in e.value for e in teacher.error)
    write(teacher, "How much?", kind="estimate", truth="a lot")
    assert "The true value must be a number, like 1.5." in [e.value for e in teacher.error]
    assert get_store().queue(code, teacher.session_state["room.secret"]) == []


def test_a_phone_is_told_when_the_answers_are_locked_and_sees_the_class_after_the_reveal():
    teacher, code = open_room()
    write(teacher, "Which way?", "* up\ndown")
    teacher.selectbox(key="room.pick").set_value(1).run()
    teacher.button(key="room.ask").click().run()
    answering, late = session({"room": code}), session({"room": code})
    answering.radio[0].set_value(0)
    answering.button[-1].click().run()  # the form's "Send answer"
    assert "Answer sent: up." in " ".join(s.value for s in answering.success)
    teacher.button(key="room.lock").click().run()
    late.run()
    assert not late.exception, late.exception
    assert "The teacher locked the answers. You did not answer." in [w.value for w in late.warning]
    assert not [b for b in late.button if b.label == "Send answer"]
    teacher.button(key="room.reveal").click().run()
    answering.run()
    assert "The answer: up. Yours: up." in [i.value for i in answering.info]
    assert answering.get("plotly_chart")  # the class's answers
