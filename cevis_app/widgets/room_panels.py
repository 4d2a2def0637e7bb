"""The Room page's panels: the lobby (open or join), the teacher's projector view, a student's phone view."""

from __future__ import annotations

from urllib.parse import urlencode
from urllib.parse import urlsplit

import segno
import streamlit as st

from cevis_app import charts
from cevis_app.rooms import RoomError
from cevis_app.rooms import get_store
from cevis_app.text.escape import markdown as plain
from cevis_app.views.room import answer_histogram
from cevis_app.views.room import lesson_position
from cevis_app.views.room import lesson_question
from cevis_app.views.room import lesson_step_text
from cevis_app.views.room import loss_question
from cevis_app.views.room import sample_view
from cevis_app.views.sample import explain_sample
from cevis_app.widgets import controls
from cevis_app.widgets import room

COUNT_SECONDS = 2.0  # the teacher's student and answer counts refresh this often
QR_SCALE = 8  # px per QR module in the SVG (it scales; QR_WIDTH sets the size shown)
QR_WIDTH = 190  # px: phones read it from a few metres off a projector
CODE_STYLE = ("font: 700 3.6rem/1.1 ui-monospace, monospace; letter-spacing: .15em; "
              "color: #264653; margin: .2rem 0 .6rem")  # the code, readable from the back row


def join_link(code: str) -> str:
    """This app's Room page with ?room=CODE, at the address the teacher's browser uses."""
    url = urlsplit(st.context.url or "")
    path = url.path if url.path.rstrip("/").endswith(room.ROOM_PAGE) else url.path.rstrip("/") + "/room"
    base = f"{url.scheme}://{url.netloc}" if url.netloc else ""
    return f"{base}{path}?{urlencode({'room': code})}"


def qr_data_uri(link: str) -> str:
    """The link as a QR code (SVG data URI; segno: pure Python, error correction M)."""
    return segno.make(link, error="m").svg_data_uri(scale=QR_SCALE, border=2)


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
    link = join_link(code)
    top, qr = st.columns([2.2, 1], gap="medium", vertical_alignment="center")
    with top:
        st.html(f'<div data-testid="cevis-room-code" style="{CODE_STYLE}">{code}</div>')
        st.caption(f"Join: scan the code, open the link below, or type {code} on the Room page.")
        st.code(link, language=None, wrap_lines=True)
    qr.image(qr_data_uri(link), width=QR_WIDTH)
    _counts()
    question, context = _next_question()
    st.markdown(f"**Question:** {plain(question['text'])}")
    ask, reveal, close = st.columns([1.3, 1, 1])
    ask.button("Ask the question", type="primary", on_click=_ask, args=(question,), key="room.ask",
               width="stretch")
    reveal.button("Reveal the answers", on_click=_reveal, key="room.reveal", width="stretch")
    close.button("End the room", on_click=room.end_room, key="room.close", width="stretch",
                 help="Ends it for everyone: every phone shows that the room has ended, and the "
                 "code stops working. To just step away, leave this page: the room stays yours.")
    _teacher_link(link)
    left, right = st.columns(2, gap="medium")
    with left:
        _context(context)
    with right:
        tally = state.get(room.TALLY)
        if tally and tally["revealed"] and tally["question"]:
            controls.chart(_answers_figure(tally), key="room.fig.answers")
        else:
            st.info("The class's answers appear here when you reveal them.", icon=":material/bar_chart:")


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


def _next_question() -> tuple[dict, tuple | None]:
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


def _answers_figure(tally):
    hist = answer_histogram(tally["question"], tally["answers"])
    if tally["question"]["kind"] == "choice":
        return charts.make_answers_figure(hist.counts, choices=hist.labels, truth=hist.truth)
    return charts.make_answers_figure(hist.counts, hist.edges, truth=hist.truth)


@st.fragment(run_every=COUNT_SECONDS)
def _counts() -> None:
    """Students and answers so far, refreshed on their own (no page rerun)."""
    state = st.session_state
    try:
        tally = get_store().tally(state[room.CODE], state[room.SECRET])
    except RoomError as err:
        st.warning(str(err), icon=":material/error:")
        return
    line = (f"**{tally.here}** student{'s' if tally.here != 1 else ''} here · "
            f"{tally.students} joined")
    if tally.question:
        n = len(tally.answers)
        line += f" · **{n}** answer{'s' if n != 1 else ''}" + (" (revealed)" if tally.revealed else "")
    st.markdown(line)


def _ask(question) -> None:
    state = st.session_state
    try:
        get_store().ask(state[room.CODE], state[room.SECRET], question)
    except RoomError as err:
        state[room.ERROR] = str(err)
    state[room.TALLY] = None


def _reveal() -> None:
    state = st.session_state
    try:
        state[room.TALLY] = get_store().reveal(state[room.CODE], state[room.SECRET])._asdict()
    except RoomError as err:
        state[room.ERROR] = str(err)


# ---------------------------------------------------------------- student
def student_panel() -> None:
    state = st.session_state
    show_error()
    snapshot = state.get(room.SNAPSHOT) or {}
    question = snapshot.get("question")
    if question:
        _question(question)
    published = snapshot.get("state") or {}
    lesson = lesson_position(published.get("lesson")) if published.get("topic") == "lesson" else None
    _context(lesson)


def _question(question: dict) -> None:
    state = st.session_state
    answered = state.setdefault(room.ANSWERED, {})
    with st.container(border=True):
        st.markdown(f"**{plain(question['text'])}**")  # the teacher's text, escaped: never markup
        if question.get("revealed"):
            st.info(_revealed_text(question, answered.get(question["id"])), icon=":material/visibility:")
            return
        with st.form(f"room.answer.{question['id']}", border=False):
            if question["kind"] == "estimate":
                value = st.number_input("Your estimate", min_value=question["low"],
                                        max_value=question["high"], value=None, step=0.1,
                                        placeholder="a number", key=f"room.estimate.{question['id']}")
            else:
                value = st.radio("Your answer", range(len(question["choices"])),
                                 format_func=lambda i: question["choices"][i], index=None)
            sent = st.form_submit_button("Send answer", type="primary")
        if sent:
            _send(question, value)
        if question["id"] in answered:
            st.success(f"Answer sent: {_shown(question, answered[question['id']])}. You can change it "
                       "until the reveal.", icon=":material/check:")


def _shown(question, value) -> str:
    """An answer or the truth as a student reads it: a number, or the choice's text."""
    if question["kind"] == "choice":
        return question["choices"][value] if isinstance(value, int) else "?"
    return f"{value:.3f}" if isinstance(value, (int, float)) else "?"


def _revealed_text(question, mine) -> str:
    truth = question.get("truth")
    text = "Answers are closed." if truth is None else f"The answer: {_shown(question, truth)}."
    return text if mine is None else f"{text} Yours: {_shown(question, mine)}."


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
