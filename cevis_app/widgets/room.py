"""A session's place in a room: open, join, a teacher link, back after a reload, leave, end.

Rooms know the browser, not the session (widgets/identity.py): a session that starts
in a browser which was in a room (a reload, a new tab, a deep link, a worker that
died) takes its place back at once: the teacher their room, a student their seat and
answer. The teacher's credential is the device token; no secret is ever in a URL's
query string or published. What every page shows of the room, the teacher's publish
and the class's follow, is room_bar.py; the Room page's panels are room_panels.py.
"""

from __future__ import annotations

import streamlit as st

from cevis_app.nav import all_pages
from cevis_app.rooms import RoomError
from cevis_app.rooms import get_store
from cevis_app.rooms.store import normalize_code
from cevis_app.widgets import identity
from cevis_app.widgets import room_push

CONNECTING = "This browser is still connecting: try again in a moment."
ROOM_PAGE = identity.ROOMS_PAGE  # url_path of app_pages/room.py (one definition)
LESSONS_PAGE = "lessons"  # url_path of app_pages/lessons.py: its ?lesson=&step= are followed too

# session_state keys: all under "room." (none is a URL parameter except the join code)
CODE, ROLE, SECRET, STUDENT = "room.code", "room.role", "room.secret", "room.student"
VERSION, SNAPSHOT, PENDING = "room.version", "room.snapshot", "room.pending"
PUBLISHED, FOLLOW, ERROR, ENDED = "room.published", "room.follow", "room.error", "room.ended"
ANSWERED, TALLY, TRIED = "room.answered", "room.tally", "room.tried_link"
RESTORED, CLAIMED, READ_AT = "room.restored", "room.claimed", "room.read_at"
LINK = "room.teacher_link"
# a follower's view moved by a fragment rerun (room_follow.py): the teacher's sample it shows,
# and (logits, T) as the page's controls last showed them (a full run compares the two)
FOLLOWED, SHOWN = "room.followed", "room.shown"
SETTINGS = "room.settings"  # a follower's copy of the teacher's page settings (Descent's), checked
ALL_KEYS = (CODE, ROLE, SECRET, STUDENT, VERSION, SNAPSHOT, PENDING, PUBLISHED, FOLLOW, ERROR,
            ANSWERED, TALLY, LINK, FOLLOWED, SHOWN, SETTINGS)
# leave_room drops ALL_KEYS; TRIED, RESTORED, CLAIMED outlive a room


def page_files() -> dict:
    """url_path -> page file, for the pages a teacher can take the class to."""
    return {p.url_path: p.file for p in all_pages()}


# ---------------------------------------------------------------- entering and leaving
def open_room() -> None:
    """Callback: this browser becomes the teacher of a new room."""
    device = identity.device()
    if device is None:
        st.session_state[ERROR] = CONNECTING
        return
    leave_room()
    try:
        code, _ = get_store().create_room(device, identity.client_address())
    except RoomError as err:
        st.session_state[ERROR] = str(err)
        return
    _become_teacher(code, device)


def _become_teacher(code: str, device: str) -> None:
    st.session_state.update({CODE: code, ROLE: "teacher", SECRET: device, PUBLISHED: None, VERSION: 0})


def join_room(typed) -> bool:
    """This browser takes its seat in the room `typed`; False (and the message in ERROR) if not."""
    state = st.session_state
    device = identity.device()
    if device is None:
        state[ERROR] = CONNECTING
        return False
    try:
        store = get_store()
        seat = store.join(typed, device, identity.client_address())
        snap = store.read(typed, -1)
    except RoomError as err:
        state[ERROR] = str(err)
        return False
    leave_room(forget=False)
    question = snap.question or {}
    mine = store.my_answer(typed, seat, question["id"]) if question else None
    state.update({CODE: normalize_code(typed), ROLE: "student", STUDENT: seat, VERSION: snap.version,
                  SNAPSHOT: snap._asdict(), PENDING: True, FOLLOW: True,
                  ANSWERED: {} if mine is None else {question["id"]: mine}})
    state.pop(ENDED, None)
    return True


def join_from_link() -> None:
    """Join the room in ?room=CODE once per link (a teacher's own browser ignores it), or, with
    a teacher link's secret in the fragment, become a teacher of that room on this device."""
    state = st.session_state
    typed = st.query_params.get("room")
    if not typed or identity.device() is None:
        return  # no device yet: the identity mount reports it and this runs again
    secret = identity.teacher_link_secret()
    if secret and state.get(CLAIMED) != secret:
        state[CLAIMED] = secret  # one attempt per link
        try:
            get_store().claim(typed, secret, identity.device())
        except RoomError as err:
            state[ERROR] = str(err)
            return
        leave_room(forget=False)
        _become_teacher(normalize_code(typed), identity.device())
        st.rerun()
    if state.get(ROLE) == "teacher" or state.get(TRIED) == typed:
        return
    state[TRIED] = typed  # one attempt per link, not one per rerun
    if state.get(CODE) != typed.strip().upper() and join_room(typed):
        st.rerun()


def leave_room(forget: bool = True) -> None:
    """This session leaves its room; with `forget`, the browser does too (no return on reload)."""
    state = st.session_state
    code, device = state.get(CODE), identity.device()
    if forget and code and device:
        try:
            get_store().leave(code, device)
        except RoomError:
            pass  # the store is away: the seat stays, and a reload may bring the room back
    for key in ALL_KEYS:
        state.pop(key, None)
    room_push.unwatch()


def end_room() -> None:
    """Callback (teacher): end the room for everyone; the class sees "This room has ended"."""
    state = st.session_state
    try:
        get_store().end_room(state[CODE], state[SECRET])
    except RoomError as err:
        state[ERROR] = str(err)
        return
    code = state[CODE]
    leave_room()
    state[ENDED] = code


def make_teacher_link() -> None:
    """Callback (teacher): a fresh one-time link that makes another device a teacher of the room."""
    state = st.session_state
    try:
        state[LINK] = get_store().teacher_link(state[CODE], state[SECRET])
    except RoomError as err:
        state[ERROR] = str(err)


def restore() -> None:
    """Once per session: if this browser was in a room, take its place back (teacher or seat)."""
    state = st.session_state
    device = identity.device()
    if state.get(RESTORED) or state.get(ROLE) or device is None:
        return
    state[RESTORED] = True
    try:
        where = get_store().whereabouts(device)
    except RoomError:
        state[RESTORED] = False  # try again on the next run
        return
    if where is None:
        return
    code, role = where
    if role == "teacher":
        _become_teacher(code, device)
    else:
        join_room(code)
        state.pop(ERROR, None)  # a room that closed meanwhile is no news on a fresh page


def role() -> str | None:
    return st.session_state.get(ROLE)


def following() -> bool:
    """Whether this session is a student following the teacher, with no view question open:
    its page then shows the teacher's view without the sample's controls (widgets/
    shared_sample.py). The controls come back when the student explores alone (the bar's
    toggle off) or answers on the view itself. Why: a page switch reruns every follower's
    page, one after another on one process, and the controls were 15-40 % of such a run's
    script (bench/RESULTS_class.md)."""
    state = st.session_state
    if state.get(ROLE) != "student" or not state.get(FOLLOW, True):
        return False
    question = (state.get(SNAPSHOT) or {}).get("question") or {}
    return question.get("kind") != "view"


def ended_text(code: str) -> str:
    return (f"Room {code} has ended: the teacher closed it. Your answers went nowhere else; "
            "you can keep exploring on your own.")
