"""What a room's wave does to each of this process's members: a push, a run of the teacher's
page, a fragment's rerun or a page's rerun (room_push holds the members and sends the wave).

A teacher's move on the follower's page is a push where its page drew a pushable view
(`View`: no run at all). A change of page is a run of the teacher's page, asked straight
from the server (`Request.page`: the one run the follower needs); where Streamlit lacks
that (streamlit_hooks.can_run_pages), or the new page takes a query of the room's own
(SWITCH_WITH_QUERY), the room bar's fragment reruns and switches page itself. A change on the
follower's page reruns its follow fragment, if it has one; a question, its reveal or the
room's end reruns the page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from cevis_app import streamlit_hooks
from cevis_app.rooms.store import CHANGE_VIEW
from cevis_app.widgets.identity import ROOMS_PAGE

# Pages a follower is switched to with a query the room bar writes (room_bar.take_teachers_view):
# the room page (?room=CODE) and the lessons (?lesson=&step=, room.LESSONS_PAGE)
SWITCH_WITH_QUERY = frozenset({ROOMS_PAGE, "lessons"})


@dataclasses.dataclass
class View:
    """What a follower's page needs to redraw a teacher's move without a run."""

    page: str  # the url_path it was drawn on
    question: dict | None  # the room's question the session has seen (a new one: a page run)
    message: object  # the live component's message from the session's last run (streamlit_hooks)
    text: Callable[[dict, int], str | None]  # (published state, push number) -> the new data
    # as JSON, or None when the page must run (other classes)
    pushes: int = 0  # pushes since that run


@dataclasses.dataclass
class Member:
    following: bool  # follows the teacher (else reruns only for a question, its reveal, an end)
    fragment: str | None = None  # the fragment a view change on its page reruns (None: the page)
    page: str | None = None  # the url_path of its last full run
    bar: str | None = None  # the room bar's fragment: it switches page without a run of this one
    view: View | None = None  # its page can take a view push (follow_with_view)
    pushed: dict | None = None  # the snapshot (Snapshot._asdict()) the last push showed
    seat: str | None = None  # its seat: room_beat says it is here while it is connected


@dataclasses.dataclass(frozen=True)
class Request:
    """A member's rerun: of `fragment`, or of the app's page `page` (a switch), or of its page."""

    fragment: str | None = None
    page: str | None = None  # url_path: a run of that page, the query cleared


def request(member: Member, kind: str, page: str | None) -> Request:
    """What a wave of `kind` reruns of this member, the teacher being on `page` (url_path):
    for a change of page a run of that page (or the room bar's fragment, which switches);
    for a change on its page its follow fragment; else (a question, an end) its page."""
    if kind != CHANGE_VIEW:
        return Request()
    if page is not None and member.page is not None and page != member.page and member.bar:
        if page not in SWITCH_WITH_QUERY and streamlit_hooks.can_run_pages():
            return Request(page=page)
        return Request(fragment=member.bar)
    return Request(fragment=member.fragment)


def push_view(member: Member, snap) -> tuple | None:
    """(view, push number) if this member's browser can be pushed `snap` (lock held): it is on
    the teacher's page, which drew a pushable view, and has seen the room's question."""
    view = member.view
    if view is None or not member.following or view.page != snap.state.get("page") \
            or view.question != snap.question:
        return None
    view.pushes += 1
    return view, view.pushes
