"""The teacher's side of the room bar: after each page run, publish what the run showed.

The shared Explorer sample, the page (and on Lessons the step and the topic of the next
question) and that page's own settings (Descent's: η, the loss, ε, the steps) go to the
store when they changed; the store announces the change and room_push reruns the class
(room_bar.py is the students' side). After the page, not before: a page's first run gives
its controls their values (a link's, or the defaults), and the class must see those. The
bar's *Ask the class* popover comes after the publish, so it asks about what was shown.
"""

from __future__ import annotations

import streamlit as st

from cevis_app.rooms import RoomError
from cevis_app.rooms import get_store
from cevis_app.rooms.store import RoomUnavailable
from cevis_app.views import descent_settings
from cevis_app.views.lessons import position as lesson_url_position
from cevis_app.views.room import SAMPLE_KEYS
from cevis_app.views.room import clean_sample
from cevis_app.widgets import room_bar_round
from cevis_app.widgets.room import CODE
from cevis_app.widgets.room import LESSONS_PAGE
from cevis_app.widgets.room import PUBLISHED
from cevis_app.widgets.room import ROOM_PAGE
from cevis_app.widgets.room import SECRET
from cevis_app.widgets.room import VERSION
from cevis_app.widgets.room import leave_room


def publish(page: str, bar) -> None:
    """Teacher, after the page's run (a stopped one too): publish what it showed, if it
    changed; then the bar's popover. ``bar``: room_bar's return (None: nothing to publish).
    A store fault is a line in the bar; the next run publishes what this one could not."""
    if bar is None:
        return
    try:
        _publish(page)
    except RoomUnavailable as err:
        bar.warning(f"{err} The class keeps the view you showed last.", icon=":material/cloud_off:")
    except RoomError as err:
        bar.warning(str(err), icon=":material/error:")
        bar.button("Leave the room", on_click=leave_room, key="room.leave")
        return
    if page != ROOM_PAGE:  # ask, lock, reveal without leaving the page (the Room page has its own)
        room_bar_round.teacher_popover(bar)


def current_sample() -> dict:
    """The shared Explorer sample as it stands in this session (only the keys it has)."""
    return clean_sample({k: st.session_state[k] for k in SAMPLE_KEYS if k in st.session_state})


def _publish(page: str) -> None:
    """Publish the sample, page and page settings if any changed since the last publish."""
    state = st.session_state
    last = state.get(PUBLISHED) or {}
    wanted = {**last, **current_sample(), "page": page}
    if page == LESSONS_PAGE:  # the step the teacher shows, and the topic of the next question
        li, si, _ = lesson_url_position(st.query_params.get("lesson"), st.query_params.get("step"))
        wanted.update(lesson=[li, si], topic="lesson")
    elif page != ROOM_PAGE:
        wanted["topic"] = "sample"
    if page == descent_settings.PAGE:  # as this run's controls showed them
        shown = {k: state[k] for k in descent_settings.KEYS if k in state}
        wanted.update(descent_settings.state_of(descent_settings.settings_of(shown)))
    if wanted != last:
        state[VERSION] = get_store().publish(state[CODE], state[SECRET], wanted)
        state[PUBLISHED] = wanted
