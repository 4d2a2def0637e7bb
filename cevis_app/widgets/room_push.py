"""A teacher's change reaches the class at once: the room's sessions rerun when it changes.

A student's session registers here on every full run while in a room (`watch`). The
room store announces each publish, ask and reveal (`RoomStore.on_change`; across
processes through Redis), and this process asks each of its sessions in that room
for a rerun, as Streamlit does itself when a source file changes and "run on save"
is on. The rerun's room bar reads the new version and takes the teacher's view.
Followers rerun for every change; a student exploring alone only for a new question
or its reveal. A room's waves are at least WAVE_GAP apart; changes meanwhile fold
into one later wave, so a teacher clicking through steps costs each student one
rerun per WAVE_GAP at most. Before this, every student polled once a second
(~3.5 ms of server CPU a poll: 0.35 of a core for 100 students, idle or not) and
saw a change 0.5 s late on average; the poll stays, slow, for a lost announcement.

A follower's rerun is a fragment's where the page offers one (`follow_with_fragment`,
called inside the fragment: the Explorer's live view, widgets/room_follow.py): a fraction
of a page run; else, and for a question, its reveal or the room's end, the page's.
The calls into Streamlit's runtime (find a session, ask it for a rerun) are in
cevis_app/streamlit_hooks.py; without them `watch` returns False and the class follows
at the slow poll. Time is `_now` and `_start_timer` (tests inject a clock).
"""

from __future__ import annotations

import dataclasses
import threading
import time

from cevis_app import streamlit_hooks
from cevis_app.rooms import get_store
from cevis_app.rooms.store import CHANGE_ENDED
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import CHANGE_VIEW


@dataclasses.dataclass
class _Wave:
    last: float = -1e9  # _now() of the room's last wave
    kind: str | None = None  # what the due wave carries: an end, then a question, wins over a view
    timer: object | None = None  # the due wave's timer (has .cancel()), if one is due


@dataclasses.dataclass
class _Member:
    following: bool  # follows the teacher (else reruns only for a question, its reveal, an end)
    fragment: str | None = None  # the fragment a view change reruns (None: the whole page)


WAVE_GAP = 0.5  # s between a room's reruns of its class: a wave of 100 pages costs ~2 s of CPU
_lock = threading.Lock()
_members: dict[str, dict[str, _Member]] = {}  # room code -> {session id: its member}
_waves: dict[str, _Wave] = {}  # room code -> its wave state
_listening: set[int] = set()  # id() of the stores whose announcements reach `changed`
_now = time.monotonic  # the clock of the waves (tests inject one)


def _start_timer(delay: float, function, args: tuple):
    """Call function(*args) in `delay` s on a daemon thread; the timer (tests inject one)."""
    timer = threading.Timer(delay, function, args)
    timer.daemon = True
    timer.start()
    return timer


def watch(code: str, following: bool) -> bool:
    """This script run's session is in room `code` (and follows, or explores alone); its page
    reruns whole until a fragment of this run calls `follow_with_fragment`."""
    session_id = streamlit_hooks.script_session_id()
    if session_id is None or not streamlit_hooks.can_rerun_sessions():
        return False
    add(get_store(), code, session_id, following)
    return True


def follow_with_fragment() -> bool:
    """Called inside a fragment during a full run: a view change reruns this fragment, not the
    page. False (the page reruns whole) outside a room, a fragment, or a capable Streamlit."""
    session_id, fragment_id = streamlit_hooks.script_session_id(), streamlit_hooks.current_fragment_id()
    if session_id is None or fragment_id is None:
        return False
    with _lock:
        for members in _members.values():
            if session_id in members:
                members[session_id].fragment = fragment_id
                return True
    return False


def add(store, code: str, session_id: str, following: bool, fragment: str | None = None) -> None:
    """Session `session_id` is in room `code` of `store` (and in no other room)."""
    with _lock:
        if session_id not in _members.get(code, ()):
            _forget(session_id)  # a session is in one room at a time
        _members.setdefault(code, {})[session_id] = _Member(following, fragment)
        listen = id(store) not in _listening
        _listening.add(id(store))
    if listen:
        store.on_change(changed)


def unwatch() -> None:
    """This script run's session left its room."""
    session_id = streamlit_hooks.script_session_id()
    if session_id is not None:
        with _lock:
            _forget(session_id)


def changed(code: str, kind: str) -> None:
    """The store's announcement (any thread): rerun the room's sessions now or at the gap's end."""
    with _lock:
        if code not in _members:
            return
        wave = _waves.setdefault(code, _Wave())
        kinds = (kind, wave.kind)  # the wave carries the weightiest: an end, a question, a view
        wave.kind = next((k for k in (CHANGE_ENDED, CHANGE_QUESTION) if k in kinds), CHANGE_VIEW)
        if wave.timer is not None:
            return  # a wave is due: it takes this change too
        wave.timer = _start_timer(max(0.0, wave.last + WAVE_GAP - _now()), _wave, (code,))


def _wave(code: str) -> None:
    with _lock:
        wave = _waves.get(code)
        if wave is None:
            return
        kind, wave.kind, wave.timer, wave.last = wave.kind, None, None, _now()
        chosen = {sid: (m.fragment if kind == CHANGE_VIEW else None)
                  for sid, m in _members.get(code, {}).items() if m.following or kind != CHANGE_VIEW}
    requests = [(session, chosen[sid]) for sid in chosen
                if (session := find_session(sid)) is not None]
    gone = set(chosen) - {session.id for session, _ in requests}
    if gone:
        with _lock:
            for session_id in gone:
                _forget(session_id)
    if requests:
        rerun_sessions(requests)


def find_session(session_id: str):
    """The AppSession with this id in this process, or None if it is gone."""
    return streamlit_hooks.find_session(session_id)


def rerun_sessions(requests: list) -> None:
    """Ask each (session, fragment id or None) for a rerun of that fragment or of its page.

    All at once: pacing them a few at a time (tried: 3 running per process, started as
    others finished) gave no better p95 for a room of 100 and missed more moves.
    """
    streamlit_hooks.rerun_sessions(requests)


def _forget(session_id: str) -> None:
    """Drop a session from every room (lock held); a room without sessions goes too."""
    for code in [c for c, members in _members.items() if members.pop(session_id, None) is not None
                 and not members]:
        del _members[code]
        wave = _waves.pop(code, None)
        if wave and wave.timer is not None:
            wave.timer.cancel()
