"""The Room page's panels: the lobby (open or join), the teacher's projector view, a student's phone view."""

from __future__ import annotations

import streamlit as st

from cevis_app import charts
from cevis_app.text.escape import markdown as plain
from cevis_app.views.room import lesson_position
from cevis_app.views.room import lesson_question
from cevis_app.views.room import lesson_step_text
from cevis_app.views.room import loss_question
from cevis_app.views.room import sample_view
from cevis_app.views.sample import explain_sample
from cevis_app.widgets import controls
from cevis_app.widgets import join_slide
from cevis_app.widgets import room
from cevis_app.widgets import room_answer
from cevis_app.widgets import room_round


def _sample():
    """(names, SampleBreakdown) of the shared sample in this session's state."""
    names, logits, y, t = sample_view(dict(st.session_state))
    return names, explain_sample(logits, y, temperature=t)


# ---------------------------------------------------------------- lobby
def lobby() -> None:
    """Not in a room: join one with a code, or open one as the teacher."""
    if room.ENDED in st.session_state:
        st.info(room.ended_text(st.session_state[room.ENDED]), icon=":material/door_open:")
    show_error()
    join, teach = st.columns(2, gap="large")
    with join, st.form("room.join", border=True):
        st.subheader("Join a class")
        typed = st.text_input("Room code", max_chars=24, placeholder="e.g. K7PQ2M", key="room.typed")
        if st.form_submit_button("Join", type="primary"):
            if room.join_room(typed):
                st.rerun()
            show_error()  # under the code that caused it
    with teach, st.container(border=True):
        st.subheader("Teach a class")
        st.write("Open a room and show its code: students follow what you show on their phones, "
                 "answer your question, and you reveal their answers beside the true value.")
        st.button("Open a room", type="primary", on_click=room.open_room, key="room.open")


def show_error() -> None:
    if room.ERROR in st.session_state:
        st.error(st.session_state.pop(room.ERROR), icon=":material/error:")


# ---------------------------------------------------------------- teacher
def teacher_panel() -> None:
    """The projector: code and QR code on top, the sample, ask and reveal, the class's answers."""
    state = st.session_state
    code = state[room.CODE]
    show_error()
    if join_slide.slide_shown():
        join_slide.join_slide(code)  # the projector shows only how to join
        return
    join_slide.join_head(code)
    question, context = next_question()
    room_round.teacher_round(question)
    if room_round.revealed():  # the class's answers across the projector, the context under them
        room_round.results()
        _context(context)
    else:
        left, right = st.columns(2, gap="medium")
        with left:
            _context(context)
        with right:
            room_round.results()
    room_round.seats_panel()
    _teacher_link(join_slide.current_link(code).url)
    st.button("End the room", on_click=room.end_room, key="room.close", icon=":material/logout:",
              help="Ends it for everyone: every phone shows that the room has ended, and the "
              "code stops working. To just step away, leave this page: the room stays yours.")


def _teacher_link(join: str) -> None:
    """A one-time link that makes another device (a tablet, a colleague's laptop) a teacher."""
    with st.expander("Teach from another device"):
        st.caption("This browser stays the teacher after a reload. To drive the room from another "
                   "device too, open a one-time teacher link there. Never show it to the class: "
                   "whoever opens it can drive the room.")
        st.button("Make a teacher link", on_click=room.make_teacher_link, key="room.make_link")
        secret = st.session_state.get(room.LINK)
        if secret:
            st.code(f"{join}#teach={secret}", language=None, wrap_lines=True)


def next_question() -> tuple[dict, tuple | None]:
    """The question "Ask" opens, and the lesson step it is about (None: the Explorer sample).

    The current lesson step's question when the teacher came from the Lessons page and the
    step asks one; otherwise "what is the loss?" about the shared Explorer sample.
    """
    published = st.session_state.get(room.PUBLISHED) or {}
    lesson = lesson_position(published.get("lesson"))
    if published.get("topic") == "lesson" and lesson and (question := lesson_question(*lesson)):
        return question, lesson
    _, sample = _sample()
    return loss_question(sample.logits, sample.true_index, sample.temperature), None


def _context(lesson) -> None:
    """What the question is about: the lesson step's text, or the shared sample's probabilities."""
    if lesson:
        st.info(plain(lesson_step_text(*lesson)), icon=":material/school:")
        return
    names, sample = _sample()
    controls.chart(charts.make_probability_figure(sample.probs, names, sample.true_index),
                   key="room.fig.p")


# ---------------------------------------------------------------- student
def student_panel() -> None:
    state = st.session_state
    show_error()
    snapshot = state.get(room.SNAPSHOT) or {}
    question = snapshot.get("question")
    if question:
        room_answer.student_question(question)
    published = snapshot.get("state") or {}
    lesson = lesson_position(published.get("lesson")) if published.get("topic") == "lesson" else None
    _context(lesson)
