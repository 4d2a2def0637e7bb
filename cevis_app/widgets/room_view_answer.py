"""A phone's answer on the live view (issue 23, item 7): "Send my view".

For a question of kind "view" the phone shows the target, its own sample's loss and p of the
true class as they are now, and a button that posts the sample (logits, true class,
temperature: never a loss, which the store recomputes with cevis). The student drags the
logits on the Explorer itself; the box sits above the page, so the drag is the answer.
"""

from __future__ import annotations

import streamlit as st

from cevis_app.rooms import RoomError
from cevis_app.rooms import get_store
from cevis_app.rooms.view_answers import view_loss
from cevis_app.text.escape import markdown as plain
from cevis_app.views.room import sample_view
from cevis_app.widgets import room
from cevis_app.widgets.shared_sample import kept_sample

EXPLORER = "explorer"  # the page with the live view (nav.py's url path)


def my_view() -> tuple[list[str], list[float], int, float]:
    """(names, logits, true index, T) of this session's sample: the Explorer's widgets, or the
    sample kept across a page switch."""
    return sample_view(kept_sample())


def view_form(question: dict, page: str | None = None) -> None:
    """The target, the student's view now, and "Send my view"."""
    names, logits, y, t = my_view()
    loss, p = view_loss(logits, y, t)
    st.markdown(f"Target: loss **{question['target_loss']:g}** ± {question['tolerance']:g}. "
                f"Your view now: loss **{loss:.3f}**, p({plain(names[y])}) = {p:.3f}.")
    if page != EXPLORER and EXPLORER in room.page_files():
        st.page_link(room.page_files()[EXPLORER], label="Drag your logits on the Explorer",
                     icon=":material/tune:")
    if st.button("Send my view", type="primary", key=f"room.view.send.{question['id']}",
                 icon=":material/send:"):
        _send(question, {"logits": logits, "y": y, "T": t})


def _send(question: dict, view: dict) -> None:
    state = st.session_state
    store = get_store()
    try:
        store.post_answer(state[room.CODE], state[room.STUDENT], question["id"], view)
        stored = store.my_answer(state[room.CODE], state[room.STUDENT], question["id"])
    except RoomError as err:
        st.error(str(err), icon=":material/error:")
        return
    state[room.ANSWERED][question["id"]] = stored  # [loss, p_true], as the store keeps it
