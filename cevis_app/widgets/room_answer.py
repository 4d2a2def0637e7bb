"""A student's side of a round: the question, a countdown, "locked", and the class's answers.

The question comes from the room's snapshot (store.read): while it is open the phone shows
the form (and the seconds left, when the teacher set a countdown); once it is locked, or its
countdown ran out, it says answers are closed; after the reveal it shows the class's
answers as a chart, the truth marked, the student's own answer highlighted. The store
refuses a late answer by its own clock whatever the phone shows.
"""

from __future__ import annotations

import time

import streamlit as st

from cevis_app.rooms import RoomError
from cevis_app.rooms import get_store
from cevis_app.rooms.store import seat_label
from cevis_app.text.escape import markdown as plain
from cevis_app.widgets import controls
from cevis_app.widgets import room
from cevis_app.widgets import room_view_answer
from cevis_app.widgets.room_results import answers_figure

DEADLINES = "room.deadlines"  # session key: {question id: time.monotonic() its countdown ends}


def student_question(question: dict, page: str | None = None) -> None:
    """The open, locked or revealed question on a student's phone (``page``: the page it is on)."""
    state = st.session_state
    answered = state.setdefault(room.ANSWERED, {})
    mine = answered.get(question["id"])
    if room.STUDENT in state:  # what the teacher's list of students shows, to remove a seat
        st.caption(f"Your seat: {seat_label(state[room.STUDENT])}")
    with st.container(border=True, key="cevis-room-question"):
        st.markdown(f"**{plain(question['text'])}**")  # the teacher's text, escaped: never markup
        if question.get("revealed"):
            st.info(revealed_text(question, mine), icon=":material/visibility:")
            if question.get("answers") is not None:
                controls.chart(answers_figure(question, question["answers"], mine),
                               key=f"room.fig.class.{question['id']}", numbers=False)
            return
        left = _seconds_left(question)
        if question.get("locked") or (left is not None and left <= 0):
            closed = "Time is up: answers are closed." if left is not None and left <= 0 and not \
                question.get("locked") else "The teacher locked the answers."
            st.warning(closed + (f" Yours: {shown(question, mine)}." if mine is not None else
                                 " You did not answer."), icon=":material/lock:")
            return
        if left is not None:
            _countdown(question["id"])
        _form(question, page)
        mine = answered.get(question["id"])
        if mine is not None:
            st.success(f"Answer sent: {shown(question, mine)}. You can change it until the teacher "
                       "locks the answers.", icon=":material/check:")


def _seconds_left(question) -> float | None:
    """Seconds left on the question's countdown by this server's clock (None: no countdown).

    The snapshot says how long was left when it was read; the end is kept per question, so
    a rerun does not restart the countdown."""
    if question.get("closes_in") is None:
        return None
    ends = st.session_state.setdefault(DEADLINES, {})
    end = ends.setdefault(question["id"], time.monotonic() + question["closes_in"])
    return end - time.monotonic()


@st.fragment(run_every=1.0)
def _countdown(question_id: str) -> None:
    end = st.session_state.get(DEADLINES, {}).get(question_id)
    if end is None:
        return
    left = end - time.monotonic()
    if left <= 0:
        st.rerun(scope="app")  # the form goes, "time is up" comes
    st.markdown(f"**{int(left + 0.999)} s** left to answer")


def _form(question: dict, page: str | None) -> None:
    if question["kind"] == "view":  # answered on the live view itself
        room_view_answer.view_form(question, page)
        return
    with st.form(f"room.answer.{question['id']}", border=False):
        if question["kind"] == "estimate":
            value = st.number_input("Your estimate", min_value=question["low"],
                                    max_value=question["high"], value=None, step=0.1,
                                    placeholder="a number", key=f"room.estimate.{question['id']}")
        else:
            value = st.radio("Your answer", range(len(question["choices"])),
                             format_func=lambda i: plain(question["choices"][i]), index=None)
        sent = st.form_submit_button("Send answer", type="primary")
    if sent:
        _send(question, value)


def shown(question, value) -> str:
    """An answer or the truth as a student reads it (Markdown): a number, or the choice's text."""
    if question["kind"] == "choice":
        return plain(question["choices"][value]) if isinstance(value, int) else "?"
    if question["kind"] == "view":  # [loss, p_true] as stored, or the target loss
        if isinstance(value, list) and len(value) == 2:
            return f"loss {value[0]:.3f} (p = {value[1]:.3f})"
        return f"loss {value:g} ± {question['tolerance']:g}" if isinstance(value, (int, float)) else "?"
    return f"{value:.3f}" if isinstance(value, (int, float)) else "?"


def revealed_text(question, mine) -> str:
    truth = question.get("target_loss") if question["kind"] == "view" else question.get("truth")
    said = "The target" if question["kind"] == "view" else "The answer"
    text = "Answers are closed." if truth is None else f"{said}: {shown(question, truth)}."
    return text if mine is None else f"{text} Yours: {shown(question, mine)}."


def _send(question, value) -> None:
    state = st.session_state
    if value is None:
        st.warning("Enter an answer first.")
        return
    try:
        get_store().post_answer(state[room.CODE], state[room.STUDENT], question["id"], value)
    except RoomError as err:
        st.error(str(err), icon=":material/error:")
        return
    state[room.ANSWERED][question["id"]] = value
