"""The room bar above every page: the teacher's session publishes, a student's follows.

`room_bar(page)` runs on every page (app.py calls it before the page); after the page
the teacher's session publishes what its run showed (room_publish.py). The store
announces the change, and room_push reruns every student's
session in the room at once; a student's run reads the new version (one cheap
lookup) and, while "follow" is on, takes the teacher's sample and page before
anything is drawn. A slow poll (a fragment every POLL_SECONDS) makes good a lost
announcement; room_beat tells the room the phone is still here while its session is
connected (or, where room_push cannot watch sessions, the poll's own heartbeat does).
A passing store fault (RoomUnavailable) never takes a student out of the room.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from cevis_app import streamlit_hooks
from cevis_app.rooms import RoomError
from cevis_app.rooms import get_store
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import CHANGE_VIEW
from cevis_app.rooms.store import RoomEnded
from cevis_app.rooms.store import RoomUnavailable
from cevis_app.views import descent_settings
from cevis_app.views.room import clean_sample
from cevis_app.views.room import lesson_position
from cevis_app.views.room import sample_view
from cevis_app.widgets import room_bar_round
from cevis_app.widgets import room_beat
from cevis_app.widgets import room_push
from cevis_app.widgets.room import CODE
from cevis_app.widgets.room import ENDED
from cevis_app.widgets.room import ERROR
from cevis_app.widgets.room import FOLLOW
from cevis_app.widgets.room import FOLLOWED
from cevis_app.widgets.room import LESSONS_PAGE
from cevis_app.widgets.room import PENDING
from cevis_app.widgets.room import READ_AT
from cevis_app.widgets.room import ROLE
from cevis_app.widgets.room import ROOM_PAGE
from cevis_app.widgets.room import SETTINGS
from cevis_app.widgets.room import SHOWN
from cevis_app.widgets.room import SNAPSHOT
from cevis_app.widgets.room import STUDENT
from cevis_app.widgets.room import VERSION
from cevis_app.widgets.room import ended_text
from cevis_app.widgets.room import leave_room
from cevis_app.widgets.room import page_files
from cevis_app.widgets.room import restore
from cevis_app.widgets.room_publish import current_sample


def _poll_seconds(text) -> float:
    """CEVIS_ROOM_POLL_SECONDS (tests set it to an hour: then only the push can update).

    >>> _poll_seconds(None), _poll_seconds("3600"), _poll_seconds("nan"), _poll_seconds("0.01")
    (30.0, 3600.0, 30.0, 1.0)
    """
    try:
        seconds = float(text)
    except (TypeError, ValueError):
        return 30.0
    return min(3600.0, max(1.0, seconds)) if seconds == seconds else 30.0


# A student's fallback poll: room_push reaches the class as soon as the teacher changes
# something, and room_beat reads each room every 10 s for an announcement this process
# missed (a Redis reconnect); this is the last net. Each poll is a fragment run, ~4.5 ms of
# server CPU: 100 students at 30 s are 0.015 of a core (at 10 s, with the heartbeat, 0.045).
POLL_SECONDS = _poll_seconds(os.environ.get("CEVIS_ROOM_POLL_SECONDS"))
HEARTBEAT_SECONDS = 10.0  # a phone says "still here" this often (the store counts 30 s as here)


def room_bar(page: str):
    """One line above every page while in a room (in the main area: a phone hides the sidebar).

    A student's session follows here, answers its heartbeat and polls now and then. The
    teacher's bar is returned for `publish`, after the page (None: nothing to publish).
    `page`: url_path.
    """
    state = st.session_state
    restore()
    if state.get(ROLE) not in ("teacher", "student"):
        if ENDED in state and page != ROOM_PAGE:  # the room page shows the ended screen itself
            st.info(ended_text(state[ENDED]), icon=":material/door_open:")
        if ERROR in state and page != ROOM_PAGE:  # the room page shows its own errors
            st.warning(state.pop(ERROR), icon=":material/error:")
        return
    beaten = False  # whether this process says the phone is here (room_beat), not the poll
    if state.get(ROLE) == "student":
        beaten = room_push.watch(state[CODE], state.get(FOLLOW, True), page, seat=state[STUDENT])
        if room_push.take_switched(page):  # a run of this page the teacher's switch asked: the
            streamlit_hooks.announce_query_string()  # browser still shows the last page's query
        if beaten:
            room_beat.start()
        try:
            refresh()  # this run may be room_push's: take what changed now, not at the poll
        except RoomEnded:
            _ended()
            if page != ROOM_PAGE:
                st.info(ended_text(state[ENDED]), icon=":material/door_open:")
            return
        except RoomError:
            pass  # _poll, in the bar below, reads again and says what went wrong
        _keep_followed_view()
        if state.pop(PENDING, False) and state.get(FOLLOW, True):
            take_teachers_view(page)  # may switch page: before anything is drawn
    bar = st.container(border=True, horizontal=True, vertical_alignment="center", key="room-bar") \
        if not (state[ROLE] == "teacher" and page == ROOM_PAGE) else st.empty()
    try:
        if state[ROLE] == "teacher":
            if page == ROOM_PAGE:
                return bar  # the room page shows the code and counts itself
            count = get_store().student_count(state[CODE])
            bar.markdown(f"**Room {state[CODE]}** · {count} student{'s' if count != 1 else ''} · "
                         "they see what you show")
            bar.page_link(page_files()[ROOM_PAGE], label="Room page", icon=":material/groups:")
            return bar  # publish() adds "Ask the class", after the page
        else:
            bar.markdown(f"**Room {state[CODE]}**")
            # persist_state: a run that switches page draws no bar, and a widget's value is
            # otherwise dropped then: the student would silently stop following
            bar.toggle("Follow the teacher", key=FOLLOW, persist_state="session",
                       on_change=_follow_changed, help="Off: explore on your own; on: see what "
                       "the teacher shows.")
            if not state[FOLLOW]:
                bar.button("Back to the teacher's view", on_click=_back_to_teacher)
            with bar:
                (_poll if beaten else _poll_and_beat)(page)
            room_bar_round.student_question(page)  # the class answers on the page it is on
    except RoomUnavailable as err:
        bar.warning(f"{err} You keep your place in the room.", icon=":material/cloud_off:")
    except RoomError as err:
        bar.warning(str(err), icon=":material/error:")
        bar.button("Leave the room", on_click=leave_room, key="room.leave")
    return None


def _ended() -> None:
    """Student: the teacher ended the room; the session leaves it and remembers why."""
    code = st.session_state[CODE]
    leave_room()
    st.session_state[ENDED] = code


def shown_view(logits, temperature) -> tuple:
    """(logits, T) rounded to the controls' steps: what a page's controls show, comparable."""
    return tuple(round(float(v), 2) for v in logits), round(float(temperature), 2)


def _keep_followed_view() -> None:
    """Student, full run: the teacher's sample a fragment rerun showed (room_follow.py) goes into
    the widgets' state, unless the student changed a control meanwhile (the browser's controls,
    outside the fragment, still hold what they showed, and it sends those values back)."""
    state = st.session_state
    followed = state.pop(FOLLOWED, None)
    if followed is None or SHOWN not in state:
        return
    _, logits, _, temperature = sample_view(current_sample())
    if shown_view(logits, temperature) == state[SHOWN]:
        state.update(followed)


def _follow_changed() -> None:
    """Switched back on: the teacher's view at once, as "Back to the teacher's view" does (a
    following page shows no controls, so the student's own sample must not stay on it)."""
    if st.session_state.get(FOLLOW):
        st.session_state[PENDING] = True


def _back_to_teacher() -> None:
    st.session_state[FOLLOW] = True
    st.session_state[PENDING] = True


def take_teachers_view(page: str) -> None:
    """Student: copy the teacher's sample into the widgets' state; go to the teacher's page."""
    snapshot = st.session_state.get(SNAPSHOT) or {}
    published = snapshot.get("state") or {}
    st.session_state.update(clean_sample(published))
    # Descent's settings (defaults where never published): the page reads them while following
    st.session_state[SETTINGS] = descent_settings.clean_settings(published)
    target = published.get("page")
    files = page_files()
    lesson = lesson_position(published.get("lesson"))
    if target == LESSONS_PAGE and lesson:
        query = {"lesson": str(lesson[0] + 1), "step": str(lesson[1] + 1)}
        if target != page or any(st.query_params.get(k) != v for k, v in query.items()):
            st.switch_page(files[target], query_params=query)
    elif isinstance(target, str) and target in files and target != page:
        # an explicit query (not None): st.switch_page's default clears the URL, which raises
        # while the page's widgets are bound to it; the target's widgets write their own
        query = {"room": st.session_state[CODE]} if target == ROOM_PAGE else {}
        st.switch_page(files[target], query_params=query)


def refresh() -> str | None:
    """Student: take the room's new version, if any; None if unchanged, else what changed.

    CHANGE_QUESTION if the question (or its reveal) is new, else CHANGE_VIEW. While
    following, the next run takes the teacher's view (PENDING).
    """
    state = st.session_state
    _take_pushed()
    snap = get_store().read(state[CODE], state[VERSION])
    if snap is None:
        return None
    old = (state.get(SNAPSHOT) or {}).get("question")
    state[VERSION], state[SNAPSHOT] = snap.version, snap._asdict()
    if state.get(FOLLOW, True):
        state[PENDING] = True
    return CHANGE_QUESTION if old != snap.question else CHANGE_VIEW


def _take_pushed() -> None:
    """Student: the version room_push drew in this browser since the last run (a teacher's move
    on this page, same question and classes) goes into the state as a fragment run would take it."""
    state = st.session_state
    pushed = room_push.take_pushed()
    if pushed is None or pushed.get("version", -1) <= state.get(VERSION, -1):
        return
    state[VERSION], state[SNAPSHOT] = pushed["version"], pushed
    state[FOLLOWED] = clean_sample(pushed.get("state") or {})
    state.pop(PENDING, None)


@st.fragment(run_every=POLL_SECONDS)
def _poll(page: str) -> None:
    """Student: a version check every POLL_SECONDS (the push makes it a fallback, and
    room_beat checks each room every 10 s) or when room_push asked for this fragment (the
    teacher went to another page: this switches page at once, without a run of the page
    being left); a full rerun only when the room changed or ended."""
    _check(page)


@st.fragment(run_every=min(POLL_SECONDS, HEARTBEAT_SECONDS))
def _poll_and_beat(page: str) -> None:
    """Student, where room_push cannot watch the session: _poll, every HEARTBEAT_SECONDS (no
    room_beat says this phone is here)."""
    _check(page)


def _check(page: str) -> None:
    """The poll: a heartbeat (which also tells a removed seat), and the version check."""
    state = st.session_state
    if state.get(ROLE) != "student":
        return
    room_push.follow_with_fragment(bar=True)
    now = time.monotonic()
    try:
        get_store().heartbeat(state[CODE], state[STUDENT])
        change = None
        if room_push.take_push() or now - state.setdefault(READ_AT, now) >= POLL_SECONDS - 0.5:
            state[READ_AT] = now
            change = refresh()
    except RoomEnded:
        _ended()
        st.rerun()
    except RoomUnavailable as err:  # a passing fault: keep the seat, say what happened
        st.caption(f"{err} You keep your place in the room.")
        return
    except RoomError as err:
        leave_room()
        state[ERROR] = str(err)
        st.rerun()
    if change == CHANGE_VIEW and state.get(FOLLOW, True):
        take_teachers_view(page)  # the teacher's page (or lesson step): go there now
    if change and (state.get(FOLLOW, True) or change == CHANGE_QUESTION):
        st.rerun(scope="app")  # a new question, or its reveal, shows even to a student exploring alone
