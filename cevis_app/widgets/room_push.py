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

The hook, for Streamlit 1.67:
- `Runtime.get_app_session(session_id)` (runtime/runtime.py line 318): any thread.
- `AppSession.request_rerun(self._client_state)` on the session's event loop
  (`_event_loop`, app_session.py line 226) is what `_on_source_file_changed` does
  (line 911-912). `_client_state` holds the last run's page and query string
  (scriptrunner/script_runner.py line 464-472) and no widget states, so every
  widget keeps its value.
If they are missing (another Streamlit), `watch` logs once and returns False: the
class then follows at the slow poll; tests/e2e/test_room_browser.py fails.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time

from streamlit.runtime.scriptrunner import get_script_run_ctx

from cevis_app.rooms import get_store
from cevis_app.rooms.store import CHANGE_ENDED
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import CHANGE_VIEW


@dataclasses.dataclass
class _Wave:
    last: float = -1e9  # time.monotonic() of the room's last wave
    kind: str | None = None  # what the due wave carries: an end, then a question, wins over a view
    timer: threading.Timer | None = None  # the due wave, if one is


WAVE_GAP = 0.5  # s between a room's reruns of its class: a wave of 100 costs ~2 s of CPU
_LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_members: dict[str, dict[str, bool]] = {}  # room code -> {session id: following the teacher}
_waves: dict[str, _Wave] = {}  # room code -> its wave state
_listening: set[int] = set()  # id() of the stores whose announcements reach `changed`


def watch(code: str, following: bool) -> bool:
    """This script run's session is in room `code` (and follows, or explores alone)."""
    ctx = get_script_run_ctx()
    if ctx is None or not _hook_present():
        return False
    add(get_store(), code, ctx.session_id, following)
    return True


def add(store, code: str, session_id: str, following: bool) -> None:
    """Session `session_id` is in room `code` of `store` (and in no other room)."""
    with _lock:
        if session_id not in _members.get(code, ()):
            _forget(session_id)  # a session is in one room at a time
        _members.setdefault(code, {})[session_id] = following
        listen = id(store) not in _listening
        _listening.add(id(store))
    if listen:
        store.on_change(changed)


def unwatch() -> None:
    """This script run's session left its room."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        with _lock:
            _forget(ctx.session_id)


def changed(code: str, kind: str) -> None:
    """The store's announcement (any thread): rerun the room's sessions now or at the gap's end."""
    with _lock:
        if code not in _members:
            return
        wave = _waves.setdefault(code, _Wave())
        kinds = (kind, wave.kind)  # the wave carries the weightiest: an end, a question, a view
        wave.kind = next(k for k in (CHANGE_ENDED, CHANGE_QUESTION) if k in kinds) if (
            CHANGE_ENDED in kinds or CHANGE_QUESTION in kinds) else CHANGE_VIEW
        if wave.timer is not None:
            return  # a wave is due: it takes this change too
        wave.timer = threading.Timer(max(0.0, wave.last + WAVE_GAP - time.monotonic()), _wave, (code,))
        wave.timer.daemon = True
        wave.timer.start()


def _wave(code: str) -> None:
    with _lock:
        wave = _waves.get(code)
        if wave is None:
            return
        kind, wave.kind, wave.timer, wave.last = wave.kind, None, None, time.monotonic()
        members = dict(_members.get(code, {}))
    chosen = [sid for sid, following in members.items() if following or kind != CHANGE_VIEW]
    sessions = [session for session in map(find_session, chosen) if session is not None]
    gone = set(chosen) - {session.id for session in sessions}
    if gone:
        with _lock:
            for session_id in gone:
                _forget(session_id)
    if sessions:
        rerun_sessions(sessions)


def find_session(session_id: str):
    """The AppSession with this id in this process, or None if it is gone."""
    from streamlit.runtime import Runtime

    return Runtime.instance().get_app_session(session_id) if Runtime.exists() else None


def rerun_sessions(sessions: list) -> None:
    """Ask each session for a rerun with its last page and widget values.

    All at once: pacing them a few at a time (tried: 3 running per process, started as
    others finished) gave no better p95 for a room of 100 and missed more moves.
    """
    loop = getattr(sessions[0], "_event_loop", None)  # the server's one loop, every session's
    if loop is None or not hasattr(sessions[0], "_client_state"):
        _warn_missing_hook()  # another Streamlit: the class follows at the slow poll
        return

    def rerun_all():
        for session in sessions:
            try:
                session.request_rerun(session._client_state)
            except Exception:  # one broken session must not hold up the class
                _LOG.exception("cevis: a room rerun failed")

    try:
        loop.call_soon_threadsafe(rerun_all)
    except RuntimeError:  # the loop closed: the server is stopping
        pass


def _forget(session_id: str) -> None:
    """Drop a session from every room (lock held); a room without sessions goes too."""
    for code in [c for c, members in _members.items() if members.pop(session_id, None) is not None
                 and not members]:
        del _members[code]
        wave = _waves.pop(code, None)
        if wave and wave.timer is not None:
            wave.timer.cancel()


@functools.cache
def _warn_missing_hook() -> None:
    _LOG.warning("cevis: this Streamlit lacks Runtime.get_app_session or AppSession's "
                 "request_rerun/_event_loop/_client_state; students follow their teacher at "
                 "the slow poll only")


@functools.cache
def _hook_present() -> bool:
    """Whether Streamlit has what room_push calls (checked once per process)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession

    ok = hasattr(Runtime, "get_app_session") and hasattr(AppSession, "request_rerun")
    if not ok:
        _warn_missing_hook()
    return ok
