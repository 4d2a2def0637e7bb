"""The teacher's own questions: a form to write one, and a short queue of them for the lesson.

The queue is kept in the room (store.save_queue), so it survives a reload of the teacher's
tab and is the same on every teacher device; the session keeps a copy read once per room.
Each entry is already checked (rooms/checks.author_question), so asking it cannot fail on
its content. Teacher text is shown escaped, never as Markdown.
"""

from __future__ import annotations

import math

import streamlit as st

from cevis_app.rooms import RoomError
from cevis_app.rooms import get_store
from cevis_app.rooms.checks import MAX_QUEUE
from cevis_app.rooms.checks import VIEW_PRESET
from cevis_app.rooms.checks import author_question
from cevis_app.text.escape import markdown as plain
from cevis_app.widgets import room

QUEUE = "room.queue"  # session key: (room code, the teacher's own questions in the order written)
AUTHOR_ERROR = "room.author.error"  # session key: why the last question could not be added
KIND_NAMES = {"choice": "Multiple choice", "estimate": "A number",
              "view": "On the live view"}  # view: the phones drag their logits; the target loss below


def queue() -> list[dict]:
    """The teacher's own questions: the room's, read once per session and room."""
    state = st.session_state
    code = state.get(room.CODE)
    kept = state.get(QUEUE)
    if not kept or kept[0] != code:
        try:
            kept = (code, get_store().queue(code, state[room.SECRET]))
        except RoomError:
            kept = (None, [])  # read again on the next run
        state[QUEUE] = kept
    return kept[1]


def _save(questions: list[dict]) -> None:
    """Keep the new queue in the room (and this session); on a store error, say so, keep none."""
    state = st.session_state
    try:
        get_store().save_queue(state[room.CODE], state[room.SECRET], questions)
    except RoomError as err:
        state[AUTHOR_ERROR] = str(err)
        return
    state[QUEUE] = (state[room.CODE], questions)


def _number(text, name):
    """A number typed in a text field; None if empty; RoomError if not a finite number."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text.replace("−", "-"))
    except ValueError:
        raise RoomError(f"The {name} must be a number, like 1.5.") from None
    if not math.isfinite(value):
        raise RoomError(f"The {name} must be a finite number.")
    return value


def _add() -> None:
    """Form callback: check the question written; add it to the queue or say why not."""
    state = st.session_state
    state.pop(AUTHOR_ERROR, None)
    try:
        if len(queue()) >= MAX_QUEUE:
            raise RoomError(f"The queue holds {MAX_QUEUE} questions: remove one first.")
        kind = state.get("room.author.kind", "choice")
        question = author_question(
            kind, state.get("room.author.text", ""), state.get("room.author.options", ""),
            _number(state.get("room.author.low"), "lowest answer"),
            _number(state.get("room.author.high"), "highest answer"),
            _number(state.get("room.author.truth"), "true value"))
    except RoomError as err:
        state[AUTHOR_ERROR] = str(err)
        return
    _save([*queue(), question])
    if AUTHOR_ERROR in state:
        return
    state["room.author.text"] = ""  # ready for the next one
    state["room.author.options"] = ""
    state["room.author.truth"] = ""


def _add_preset() -> None:
    """Add the live-view question "Set the logits so that the loss is 1" (checks.VIEW_PRESET)."""
    state = st.session_state
    state.pop(AUTHOR_ERROR, None)
    if len(queue()) >= MAX_QUEUE:
        state[AUTHOR_ERROR] = f"The queue holds {MAX_QUEUE} questions: remove one first."
        return
    _save([*queue(), dict(VIEW_PRESET)])


def _drop(index: int) -> None:
    questions = list(queue())
    if 0 <= index < len(questions):
        del questions[index]
        _save(questions)


def author_panel() -> None:
    """The form and the queue, in an expander under the round's controls."""
    count = len(queue())
    with st.expander(f"Your questions ({count})", icon=":material/edit_note:", expanded=False):
        with st.form("room.author", border=False):
            st.radio("Kind", list(KIND_NAMES), format_func=KIND_NAMES.get, horizontal=True,
                     key="room.author.kind")
            st.text_input("Question", max_chars=300, key="room.author.text",
                          placeholder="e.g. Which logit should rise to lower the loss?")
            st.text_area("Options, for multiple choice", key="room.author.options", height=130,
                         placeholder="cat\n* dog\nbird",
                         help="One option per line, 2 to 6; start the right one with * (or none).")
            low, high, truth = st.columns(3)
            low.text_input("Lowest answer, for a number", value="0", key="room.author.low")
            high.text_input("Highest answer", value="10", key="room.author.high")
            truth.text_input("True value (optional)", key="room.author.truth",
                             help="On the live view: the target loss (needed); each phone sends "
                                  "its own logits and the loss is computed from them.")
            st.form_submit_button("Add to the queue", icon=":material/add:", on_click=_add)
        st.button(f"Add: {VIEW_PRESET['text']}", key="room.author.view_preset", on_click=_add_preset,
                  icon=":material/touch_app:", help="The phones answer by dragging their logits on "
                  "the Explorer, then Send my view; the results are points on the −log p curve.")
        if AUTHOR_ERROR in st.session_state:
            st.error(st.session_state[AUTHOR_ERROR], icon=":material/error:")  # our text only
        for i, question in enumerate(queue()):
            line, drop = st.columns([6, 1], vertical_alignment="center")
            line.markdown(f"{i + 1}\\. {plain(question['text'])} · {KIND_NAMES[question['kind']].lower()}")
            drop.button("Remove", key=f"room.author.drop.{i}", on_click=_drop, args=(i,),
                        type="tertiary", icon=":material/delete:")
