"""A teacher's change reaches the class at once: the room's sessions rerun when it changes.

A student's session registers here on every full run while in a room (`watch`). The
room store announces each publish, ask and reveal (`RoomStore.on_change`; across
processes through Redis), and this process asks each of its sessions in that room
for a rerun, as Streamlit does itself when a source file changes and "run on save"
is on. The rerun's room bar reads the new version and takes the teacher's view.
Followers rerun for every change; a student exploring alone only for a new question
or its reveal. A room's waves are at least WAVE_GAP apart; changes meanwhile fold
into one later wave, so a teacher clicking through steps costs each student one
rerun per WAVE_GAP at most. A slow poll stays for a lost announcement.

A follower on the teacher's page needs no run at all where the page offers a view push
(`follow_with_view`, the Explorer's live view, widgets/room_follow.py): the wave reads the
room once and sends each such follower its live component's last message again with the
teacher's sample (the data built once per sample for the whole room); the session takes the
new version into its state at its next run (`take_pushed`). A change of page is the one run
of the teacher's page, asked from here (the run tells its browser the new query:
`take_switched`). Otherwise a follower's rerun is a fragment's where the page offers one
(`follow_with_fragment`): a fraction of a page run; else, and for a question, its reveal or
the room's end, the page's. What each member gets is widgets/room_plan.py.
The calls into Streamlit's runtime (find a session, ask it for a rerun, push a message) are in
cevis_app/streamlit_hooks/; without them `watch` returns False and the class follows
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
from cevis_app.widgets import room_gate
from cevis_app.widgets.room_plan import Member as _Member
from cevis_app.widgets.room_plan import View  # noqa: F401  (room_follow's: room_push.View)
from cevis_app.widgets.room_plan import push_view
from cevis_app.widgets.room_plan import request


@dataclasses.dataclass
class _Wave:
    last: float = -1e9  # _now() of the room's last wave
    kind: str | None = None  # what the due wave carries: an end, then a question, wins over a view
    timer: object | None = None  # the due wave's timer (has .cancel()), if one is due
    seen: tuple | None = None  # (version, question) of the room as the last wave or check read it


WAVE_GAP = 0.5  # s between a room's reruns of its class: a wave of 100 pages costs ~2 s of CPU
_lock = threading.Lock()
_members: dict[str, dict[str, _Member]] = {}  # room code -> {session id: its member}
_waves: dict[str, _Wave] = {}  # room code -> its wave state
_listening: set[int] = set()  # id() of the stores whose announcements reach `changed`
_stores: dict[str, object] = {}  # room code -> its store (the wave reads the teacher's page)
_pushed: set[str] = set()  # sessions whose room bar fragment a wave asked for (take_push)
_switched: dict[str, str] = {}  # session id -> the page a wave asked it to run (take_switched)
_now = time.monotonic  # the clock of the waves (tests inject one)


def _start_timer(delay: float, function, args: tuple):
    """Call function(*args) in `delay` s on a daemon thread; the timer (tests inject one)."""
    timer = threading.Timer(delay, function, args)
    timer.daemon = True
    timer.start()
    return timer


def watch(code: str, following: bool, page: str | None = None, seat: str | None = None) -> bool:
    """This script run's session is in room `code` (and follows, or explores alone) on `page`;
    its page reruns whole until a fragment of this run calls `follow_with_fragment`. With
    `seat`, this process says the seat is here while the session is connected (room_beat)."""
    session_id = streamlit_hooks.script_session_id()
    if session_id is None or not streamlit_hooks.can_rerun_sessions():
        return False
    add(get_store(), code, session_id, following, page=page, seat=seat)
    return True


def follow_with_fragment(bar: bool = False) -> bool:
    """Called inside a fragment during a full run: a view change on this page reruns this
    fragment, not the page; with `bar` (the room bar's), a change of page does. False (the
    page reruns whole) outside a room, a fragment, or a capable Streamlit."""
    session_id, fragment_id = streamlit_hooks.script_session_id(), streamlit_hooks.current_fragment_id()
    if session_id is None or fragment_id is None:
        return False
    with _lock:
        for members in _members.values():
            if session_id in members:
                setattr(members[session_id], "bar" if bar else "fragment", fragment_id)
                return True
    return False


def follow_with_view(view: View) -> bool:
    """Called in a run that drew the followed view: a teacher's move on `view.page` is pushed
    to this session's browser (no run). False outside a room or without the hook."""
    session_id = streamlit_hooks.script_session_id()
    if session_id is None or view.message is None:
        return False
    with _lock:
        for members in _members.values():
            if session_id in members:
                members[session_id].view = view
                return True
    return False


def take_pushed() -> dict | None:
    """The snapshot (as Snapshot._asdict()) this session's browser was last pushed, once."""
    session_id = streamlit_hooks.script_session_id()
    with _lock:
        for members in _members.values():
            if session_id in members:
                pushed, members[session_id].pushed = members[session_id].pushed, None
                return pushed
    return None


def take_push() -> bool:
    """Whether a wave asked for this session's room bar fragment since the last call."""
    session_id = streamlit_hooks.script_session_id()
    with _lock:
        if session_id in _pushed:
            _pushed.discard(session_id)
            return True
    return False


def take_switched(page: str) -> bool:
    """Whether a wave asked for this session's run of `page` (url_path), once: the browser
    still shows the last page's query (streamlit_hooks.announce_query_string). A run of
    another page (the student's own click while the wave's run waits in room_gate) leaves
    the mark for the wave's."""
    session_id = streamlit_hooks.script_session_id()
    with _lock:
        if _switched.get(session_id) == page:
            del _switched[session_id]
            return True
    return False


def add(store, code: str, session_id: str, following: bool, fragment: str | None = None,
        page: str | None = None, bar: str | None = None, seat: str | None = None) -> None:
    """Session `session_id` is in room `code` of `store` (and in no other room)."""
    with _lock:
        old = _members.get(code, {}).get(session_id)
        if old is None:
            _forget(session_id)  # a session is in one room at a time
        _members.setdefault(code, {})[session_id] = _Member(
            following, fragment, page, bar, seat=seat,
            pushed=old.pushed if old else None)  # (not yet taken)
        _stores[code] = store
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
        store = _stores.get(code)
    snap = _teachers_snapshot(store, code)
    if snap is not None:
        wave.seen = (snap.version, snap.question)  # what check() compares with
    snap = snap if kind == CHANGE_VIEW else None  # a view change: followers may be pushed
    page = snap.state.get("page") if snap is not None else None
    page = page if isinstance(page, str) else None
    with _lock:
        members = _members.get(code, {})
        chosen = {sid: request(m, kind, page) for sid, m in members.items()
                  if m.following or kind != CHANGE_VIEW}
        views = {sid: view for sid in chosen
                 if snap is not None and (view := push_view(members[sid], snap)) is not None}
        _pushed.update(sid for sid, r in chosen.items() if r.fragment and r.fragment == members[sid].bar)
        _switched.update({sid: r.page for sid, r in chosen.items() if r.page})
    sessions = {sid: session for sid in chosen if (session := find_session(sid)) is not None}
    gone = set(chosen) - set(sessions)
    if gone:
        with _lock:
            for session_id in gone:
                _forget(session_id)
    pushes = _messages(snap, views, sessions, chosen)
    with _lock:  # the session takes this version into its state at its next run (take_pushed)
        for sid in pushes:
            if sid in _members.get(code, {}):
                _members[code][sid].pushed = snap._asdict()
    requests = [(sessions[sid], chosen[sid].fragment, chosen[sid].page)
                for sid in sessions if sid not in pushes]
    if pushes and not streamlit_hooks.push_elements(list(pushes.values())):
        requests += [(session, fragment, None) for session, _, fragment in pushes.values()]
    if requests:
        rerun_sessions(requests)


def rooms() -> dict:
    """{code: (store, {session id: seat})} of this process's members with a seat (room_beat)."""
    with _lock:
        return {code: (_stores[code], {sid: m.seat for sid, m in members.items() if m.seat})
                for code, members in _members.items() if code in _stores}


def check(code: str) -> None:
    """Make good an announcement this process missed (a Redis reconnect): a wave if the room's
    version moved past what the last wave or check read. One read per room (room_beat)."""
    with _lock:
        store, wave = _stores.get(code), _waves.setdefault(code, _Wave())
        seen = wave.seen
    snap = _teachers_snapshot(store, code) if store is not None else None
    if snap is None:
        return
    with _lock:
        wave.seen = (snap.version, snap.question)
    if seen is not None and snap.version > seen[0]:
        changed(code, CHANGE_QUESTION if snap.question != seen[1] else CHANGE_VIEW)


def _messages(snap, views: dict, sessions: dict, chosen: dict) -> dict:
    """{session id: (session, message, fragment)} for the members a push can update."""
    out = {}
    for sid, (view, number) in views.items():
        if sid not in sessions:
            continue
        try:
            text = view.text(snap.state, number)
        except Exception:  # noqa: BLE001  a view that cannot be built: the fragment runs
            text = None
        if text is not None:
            out[sid] = (sessions[sid], streamlit_hooks.element_with_json(view.message, text),
                        chosen[sid].fragment)
    return out


def _teachers_snapshot(store, code: str):
    """What the teacher shows (one read per wave, not per student), or None."""
    try:
        return store.read(code, -1)
    except Exception:  # noqa: BLE001  a store fault: every follower reruns its page, as before
        return None


def find_session(session_id: str):
    """The session with this id in this process, or None if it is gone (streamlit_hooks)."""
    return streamlit_hooks.find_session(session_id)


def rerun_sessions(requests: list) -> None:
    """Ask each (session, fragment id or None, url_path or None) for a rerun of that fragment
    (at once: a fraction of a page run), or for a run of that page or of its own page (through
    room_gate: a few at a time, so that a class's runs do not start together)."""
    fragments = [r for r in requests if r[1] is not None]
    if fragments:
        streamlit_hooks.rerun_sessions(fragments)
    room_gate.ask([r for r in requests if r[1] is None])


def _forget(session_id: str) -> None:
    """Drop a session from every room (lock held); a room without sessions goes too."""
    _pushed.discard(session_id)
    _switched.pop(session_id, None)
    for code in [c for c, members in _members.items() if members.pop(session_id, None) is not None
                 and not members]:
        del _members[code]
        _stores.pop(code, None)
        wave = _waves.pop(code, None)
        if wave and wave.timer is not None:
            wave.timer.cancel()
