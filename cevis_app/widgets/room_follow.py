"""A follower's Explorer follows the teacher without a page run: a push, else one fragment.

The Explorer's live view is a fragment. In a room, a student's run registers it with
room_push twice: as a view push (`follow_with_view`: the live component's message of this
run, captured by streamlit_hooks, and how to rebuild its data for another sample) and as a
fragment (`follow_with_fragment`). A teacher's move on this page is then pushed: the
message goes to the browser again with the teacher's sample (the JSON built once per sample
for the whole room, widgets/live.sample_json), and no script runs; the session takes the
new version at its next run (room_bar._take_pushed). Where a push cannot be sent (the
session is in a run, or the hook is missing) the fragment reruns instead: it reads the
room's new version and, if the teacher changed only the logits or the temperature on this
same page, draws the teacher's sample from the payload cached for that sample. Anything
else (another page, other class names or true class, a question) goes the page's way: a
switch of page straight from here, or a full rerun.

The page's own controls (the sliders folded in "Exact logits", the URL) are outside the
fragment and keep showing the old values until the next full run; room_bar's
`_keep_followed_view` then writes the followed sample into them, unless the student
changed one meanwhile.
"""

from __future__ import annotations

import streamlit as st

from cevis_app import streamlit_hooks
from cevis_app.rooms import RoomError
from cevis_app.rooms.store import CHANGE_VIEW
from cevis_app.views.room import clean_sample
from cevis_app.views.room import sample_view
from cevis_app.widgets import live
from cevis_app.widgets import present
from cevis_app.widgets import room_bar
from cevis_app.widgets import room_push
from cevis_app.widgets.room import FOLLOW
from cevis_app.widgets.room import FOLLOWED
from cevis_app.widgets.room import PENDING
from cevis_app.widgets.room import ROLE
from cevis_app.widgets.room import SHOWN
from cevis_app.widgets.room import SNAPSHOT


def sample_live(page: str, prefix: str, names, logits, true_index: int, temperature: float):
    """The Explorer's live view (as widgets.live.sample_live); a student's in a fragment that a
    room's teacher can move alone. `page`: this page's url_path.

    Only a student's: a fragment costs every page run ~1 ms more (its registration and
    container), which a single process at 45 reruns a second feels (bench_class students)."""
    if st.session_state.get(ROLE) != "student":
        return live.sample_live(prefix, names, logits, true_index, temperature)
    return _view(page, prefix, list(names), list(logits), int(true_index), float(temperature))


@st.fragment
def _view(page: str, prefix: str, names: list, logits: list, true_index: int, temperature: float):
    state = st.session_state
    if _own_change(state, prefix, logits, temperature):
        st.rerun(scope="app")  # the student's own drag: the whole page follows it (not a push)
    student = state.get(ROLE) == "student"  # (may have left the room since the page ran)
    if student:
        room_push.follow_with_fragment()
        state[SHOWN] = room_bar.shown_view(logits, temperature)  # the controls show the arguments
        if state.get(FOLLOW, True):
            logits, temperature = _teachers(page, names, logits, true_index, temperature)
    _, message = streamlit_hooks.capture_element(
        lambda: live.sample_live(prefix, names, logits, true_index, temperature))
    if student and message is not None:  # the next teacher's move is pushed, without a run
        room_push.follow_with_view(room_push.View(
            page=page, question=(state.get(SNAPSHOT) or {}).get("question"), message=message,
            text=_push_text(names, true_index, render=state.get(live.RENDERS, 0),
                            ack=state.get(f"{prefix}.live.ack", 0), scale=present.chart_scale())))


def _push_text(names: list, true_index: int, *, render: int, ack: int, scale: float):
    """(published state, push number) -> this browser's live data for the teacher's sample as
    JSON, or None if the teacher's classes differ (then the page must run). Any thread."""
    def text(published: dict, number: int) -> str | None:
        t_names, t_logits, t_index, t_temperature = sample_view(clean_sample(published))
        if (list(t_names), t_index) != (names, true_index):
            return None
        return live.sample_json(names, t_logits, t_index, t_temperature,
                                render=f"{render}+{number}", ack=ack, scale=scale)
    return text


def _own_change(state, prefix: str, logits: list, temperature: float) -> bool:
    """Whether the student's own commit moved the sample since the page ran: the live view's
    callback writes the sample's keys, a teacher's push never does."""
    now = [state.get(f"{prefix}.z{i}") for i in range(len(logits))] + [state.get(f"{prefix}.T")]
    then = [*logits, temperature]
    return any(isinstance(a, (int, float)) and abs(a - b) > 1e-9 for a, b in zip(now, then))


def _teachers(page: str, names: list, logits: list, true_index: int, temperature: float):
    """(logits, T) to draw: the teacher's if only they changed on this page; else this leaves
    the fragment for a switch of page or a full rerun."""
    state = st.session_state
    try:
        change = room_bar.refresh()  # None in a full run: the room bar has just read
    except RoomError:
        change = None  # the room bar's poll says what went wrong
    if change is not None:
        published = (state.get(SNAPSHOT) or {}).get("state") or {}
        if change != CHANGE_VIEW:
            st.rerun(scope="app")  # a question or its reveal: the page shows it
        if published.get("page") != page:
            room_bar.take_teachers_view(page)  # another page: go there now
        t_names, _, t_index, _ = sample_view(published)
        if (t_names, t_index) != (names, true_index):
            st.rerun(scope="app")  # other classes: the whole page changes
        state.pop(PENDING, None)
        state[FOLLOWED] = clean_sample(published)
    followed = state.get(FOLLOWED)
    if followed is None:
        return logits, temperature
    _, t_logits, _, t_temperature = sample_view(followed)
    return t_logits, t_temperature
