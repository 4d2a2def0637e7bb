"""The teacher's round: pick a question, ask it (with an optional countdown), lock, reveal.

"M of N answered" refreshes on its own; the class's answers appear large after the reveal;
the whole session's answers download as CSV (text/answers_csv.py); the seats list lets
the teacher remove a participant. Every action goes through the room store, which holds
the round's state (open, locked, its deadline, revealed), so a second teacher device and
every phone agree.
"""

from __future__ import annotations

import functools
import logging
import os

import streamlit as st

from cevis_app.rooms import RoomError
from cevis_app.rooms import get_store
from cevis_app.rooms.checks import MAX_SECONDS
from cevis_app.rooms.checks import MIN_SECONDS
from cevis_app.text.answers_csv import answers_csv
from cevis_app.text.answers_csv import export_name
from cevis_app.text.escape import markdown as plain
from cevis_app.widgets import controls
from cevis_app.widgets import room
from cevis_app.widgets.room_author import author_panel
from cevis_app.widgets.room_author import queue
from cevis_app.widgets.room_results import answers_figure

COUNT_SECONDS = 2.0  # the teacher's "M of N answered" refreshes this often
DEFAULT_COUNTDOWNS = (15, 30, 60, 120)  # s: time to read and think, up to a long estimate
LOG = logging.getLogger(__name__)


def countdowns(text: str | None) -> tuple[int, ...]:
    """The countdown menu in seconds, 0 (off) first: CEVIS_ROOM_COUNTDOWNS, whole seconds separated
    by commas, each from MIN_SECONDS to MAX_SECONDS (the store's own bounds), else DEFAULT_COUNTDOWNS.

    A setting of whoever starts the server, never of a link: the browser tests set "5, 15" to see
    a countdown run out in seconds; a value out of bounds or not a number keeps the default.

    >>> countdowns(None), countdowns("5, 15"), countdowns("15,5,15")
    ((0, 15, 30, 60, 120), (0, 5, 15), (0, 5, 15))
    >>> countdowns("2"), countdowns("ten"), countdowns("")
    ((0, 15, 30, 60, 120), (0, 15, 30, 60, 120), (0, 15, 30, 60, 120))
    """
    if not text:
        return (0, *DEFAULT_COUNTDOWNS)
    try:
        seconds = sorted({int(part) for part in text.split(",")})
    except ValueError:
        seconds = []
    if not seconds or not all(MIN_SECONDS <= s <= MAX_SECONDS for s in seconds):
        LOG.warning("CEVIS_ROOM_COUNTDOWNS=%r is not whole seconds from %d to %d separated by commas; "
                    "the countdowns are %s s", text, MIN_SECONDS, MAX_SECONDS, DEFAULT_COUNTDOWNS)
        return (0, *DEFAULT_COUNTDOWNS)
    return (0, *seconds)


# seconds a question stays open by itself; 0: until locked
COUNTDOWNS = countdowns(os.environ.get("CEVIS_ROOM_COUNTDOWNS"))
PICK, COUNTDOWN = "room.pick", "room.countdown"  # session keys of the two pickers
LABEL_CHARS = 70  # of a question in the picker


def _label(question: dict, index: int) -> str:
    text = question["text"]
    text = text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"
    return ("This page's question: " if index == 0 else f"Your question {index}: ") + text


def teacher_round(page_question: dict, *, compact: bool = False) -> None:
    """The round's controls for the question of the page (``page_question``) or one of the queue;
    ``compact``: the buttons two to a row (the room bar's popover is narrow)."""
    state = st.session_state
    questions = [page_question, *queue()]
    if state.get(PICK, 0) >= len(questions):
        state[PICK] = 0
    pick, countdown = st.columns([3, 1], vertical_alignment="bottom")
    index = pick.selectbox("Question", range(len(questions)), key=PICK,
                           format_func=lambda i: _label(questions[i], i))  # shown as text, not Markdown
    seconds = countdown.selectbox("Countdown", COUNTDOWNS, key=COUNTDOWN,
                                  format_func=lambda s: f"{s} s" if s else "off",
                                  help="Locks the answers by itself after this long; off: lock by hand")
    question = {**questions[index], **({"seconds": seconds} if seconds else {})}
    st.markdown(f"**Question:** {plain(question['text'])}")  # whole, for the class to read
    if compact:
        (ask, lock), (reveal, export) = st.columns(2), st.columns(2)
    else:
        ask, lock, reveal, export = st.columns(4)
    ask.button("Ask the question", type="primary", on_click=_ask, args=(question,), key="room.ask",
               width="stretch", help="A new question; the last one's answers are kept for the export")
    lock.button("Lock answers", on_click=_lock, key="room.lock", width="stretch", icon=":material/lock:")
    reveal.button("Reveal the answers", on_click=_reveal, key="room.reveal", width="stretch")
    # the data is made on click, in another thread: it gets the code and credential, not the session
    csv_of_room = functools.partial(_csv, state[room.CODE], state[room.SECRET])
    export.download_button("Answers (CSV)", data=csv_of_room, file_name=export_name(state[room.CODE]),
                           mime="text/csv", key="room.export", width="stretch", on_click="ignore",
                           icon=":material/download:")
    status()
    author_panel()


@st.fragment(run_every=COUNT_SECONDS)
def status() -> None:
    """Students here and joined, "M answers of N", and whether the question is open, locked or
    revealed (the question's text is on the page above)."""
    state = st.session_state
    try:
        tally = get_store().tally(state[room.CODE], state[room.SECRET])
    except RoomError as err:
        st.warning(str(err), icon=":material/error:")
        return
    here, m = tally.here, len(tally.answers)
    line = f"**{here}** student{'s' if here != 1 else ''} here · {tally.students} joined"
    if tally.question:  # "M of N answered": N the phones heard from lately (at least M)
        line += (f" · **{m}** answer{'s' if m != 1 else ''} of {max(here, m)} · "
                 + ("revealed :material/visibility:" if tally.revealed else
                    "locked :material/lock:" if tally.locked else "open :material/how_to_vote:"))
    st.markdown(line)


def revealed() -> bool:
    """Whether the teacher revealed the question the page shows results of."""
    tally = st.session_state.get(room.TALLY)
    return bool(tally and tally["revealed"] and tally["question"])


def results() -> None:
    """The class's answers, large, once the teacher revealed them."""
    tally = st.session_state.get(room.TALLY)
    if revealed():
        controls.chart(answers_figure(tally["question"], tally["answers"]), key="room.fig.answers")
    else:
        st.info("The class's answers appear here when you reveal them.", icon=":material/bar_chart:")


def seats_panel() -> None:
    """The room's students by seat, to remove one (their answers go; they cannot rejoin)."""
    state = st.session_state
    try:
        seats = get_store().seats(state[room.CODE], state[room.SECRET])
    except RoomError as err:
        st.warning(str(err), icon=":material/error:")
        return
    with st.expander(f"Students ({len(seats)})", icon=":material/group:"):
        st.caption("Each phone shows its seat. Removing a seat drops its answers; that browser "
                   "cannot rejoin this room.")
        for seat in seats:
            line, drop = st.columns([4, 1], vertical_alignment="center")
            line.markdown(f"`{seat.label}` · {'here' if seat.here else 'away'}"
                          + (" · answered" if seat.answered else ""))
            drop.button("Remove", key=f"room.remove.{seat.seat}", on_click=_remove, args=(seat.seat,),
                        type="tertiary", icon=":material/person_remove:")


def _csv(code: str, teacher: str) -> str:
    try:
        export = get_store().export(code, teacher)
    except RoomError as err:
        return f"error\r\n{err}\r\n"
    return "\ufeff" + answers_csv(export.questions, export.answers)  # BOM: spreadsheets read UTF-8


def _act(action, *args) -> None:
    state = st.session_state
    try:
        return action(state[room.CODE], state[room.SECRET], *args)
    except RoomError as err:
        state[room.ERROR] = str(err)


def _ask(question) -> None:
    _act(get_store().ask, question)
    st.session_state[room.TALLY] = None


def _lock() -> None:
    _act(get_store().lock)


def _reveal() -> None:
    tally = _act(get_store().reveal)
    if tally is not None:
        st.session_state[room.TALLY] = tally._asdict()


def _remove(seat) -> None:
    _act(get_store().remove, seat)
