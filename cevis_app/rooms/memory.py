"""The in-process room store: a dict of rooms behind one lock (the default; Community Cloud).

Every Streamlit session of one server process shares it. Bounded: at most
`max_rooms` rooms (expired ones are dropped to make space), `max_students` per
room, MAX_STATE_BYTES per state. The clock is injectable so tests can expire rooms.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time

from cevis_app.rooms.checks import check_answer
from cevis_app.rooms.checks import check_question
from cevis_app.rooms.checks import public_question
from cevis_app.rooms.checks import state_json
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import CHANGE_VIEW
from cevis_app.rooms.store import MAX_ROOMS
from cevis_app.rooms.store import MAX_STUDENTS
from cevis_app.rooms.store import ROOM_TTL_SECONDS
from cevis_app.rooms.store import RoomError
from cevis_app.rooms.store import Snapshot
from cevis_app.rooms.store import Tally
from cevis_app.rooms.store import check_secret
from cevis_app.rooms.store import new_code
from cevis_app.rooms.store import new_secret
from cevis_app.rooms.store import new_student_id
from cevis_app.rooms.store import no_room
from cevis_app.rooms.store import normalize_code
from cevis_app.rooms.store import secret_digest

CREATE_ATTEMPTS = 20  # fresh codes tried before giving up (a collision is ~1e-6 at MAX_ROOMS)
_LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class _Room:
    digest: str  # secret_digest(teacher secret)
    expires: float  # clock() time after which the room is gone
    version: int = 0
    state_text: str = "{}"  # JSON: a reader gets a fresh copy, never the shared dict
    question: dict | None = None
    question_id: str = ""
    asked: int = 0  # questions asked so far: the next id is f"q{asked + 1}"
    revealed: bool = False
    students: set = dataclasses.field(default_factory=set)
    answers: dict = dataclasses.field(default_factory=dict)  # student id -> answer


class MemoryStore:
    """RoomStore in this process (see store.RoomStore for the operations)."""

    def __init__(self, ttl=ROOM_TTL_SECONDS, max_rooms=MAX_ROOMS, max_students=MAX_STUDENTS,
                 clock=time.monotonic):
        self.ttl, self.max_rooms, self.max_students, self.clock = ttl, max_rooms, max_students, clock
        self._rooms: dict[str, _Room] = {}
        self._lock = threading.Lock()
        self._listeners: list = []  # on_change callbacks, called after the lock is released

    # ------------------------------------------------------------ helpers (lock held)
    def _room(self, code) -> tuple[str, _Room]:
        code = normalize_code(code)
        room = self._rooms.get(code)
        if room is None or room.expires <= self.clock():
            self._rooms.pop(code, None)
            raise no_room(code)
        return code, room

    def _teacher_room(self, code, secret) -> tuple[str, _Room]:
        code, room = self._room(code)
        check_secret(secret, room.digest)
        room.expires = self.clock() + self.ttl
        return code, room

    def _announce(self, code, kind) -> None:
        for callback in list(self._listeners):
            try:
                callback(code, kind)
            except Exception:  # a listener's bug must not undo the teacher's write
                _LOG.exception("cevis: room change listener failed")

    def _tally(self, room) -> Tally:
        question = None if room.question is None else {**room.question, "id": room.question_id}
        return Tally(question, tuple(sorted(room.answers.values())), len(room.students), room.revealed)

    # ------------------------------------------------------------ the protocol
    def create_room(self) -> tuple[str, str]:
        secret = new_secret()
        with self._lock:
            now = self.clock()
            if len(self._rooms) >= self.max_rooms:
                self._rooms = {c: r for c, r in self._rooms.items() if r.expires > now}
            if len(self._rooms) >= self.max_rooms:
                raise RoomError("Too many rooms are open on this server; try again later.")
            for _ in range(CREATE_ATTEMPTS):
                code = new_code()
                if code not in self._rooms:
                    self._rooms[code] = _Room(secret_digest(secret), now + self.ttl)
                    return code, secret
        raise RoomError("Could not find a free room code; try again.")

    def join(self, code) -> str:
        student = new_student_id()
        with self._lock:
            _, room = self._room(code)
            if len(room.students) >= self.max_students:
                raise RoomError(f"This room is full ({self.max_students} students).")
            room.students.add(student)
            room.expires = self.clock() + self.ttl
        return student

    def publish(self, code, secret, state) -> int:
        with self._lock:
            code, room = self._teacher_room(code, secret)
            room.state_text = state_json(state)
            room.version += 1
            version = room.version
        self._announce(code, CHANGE_VIEW)
        return version

    def read(self, code, since_version) -> Snapshot | None:
        with self._lock:
            _, room = self._room(code)
            if room.version == since_version:
                return None
            version, text, revealed = room.version, room.state_text, room.revealed
            question = public_question(room.question, room.question_id, revealed)
        return Snapshot(version, json.loads(text), question)

    def ask(self, code, secret, question) -> str:
        clean = check_question(question)
        with self._lock:
            code, room = self._teacher_room(code, secret)
            room.asked += 1
            room.question, room.question_id, room.revealed = clean, f"q{room.asked}", False
            room.answers = {}
            room.version += 1
            question_id = room.question_id
        self._announce(code, CHANGE_QUESTION)
        return question_id

    def post_answer(self, code, student_id, question_id, answer) -> None:
        with self._lock:
            _, room = self._room(code)
            if not isinstance(student_id, str) or student_id not in room.students:
                raise RoomError("Join the room before answering.")
            if room.question is None or question_id != room.question_id:
                raise RoomError("That question is no longer open.")
            if room.revealed:
                raise RoomError("The answer has been revealed: answers are closed.")
            room.answers[student_id] = check_answer(room.question, answer)
            room.expires = self.clock() + self.ttl

    def tally(self, code, secret) -> Tally:
        with self._lock:
            return self._tally(self._teacher_room(code, secret)[1])

    def reveal(self, code, secret) -> Tally:
        with self._lock:
            code, room = self._teacher_room(code, secret)
            if room.question is None:
                raise RoomError("There is no question to reveal: ask one first.")
            changed = not room.revealed
            room.revealed = True
            room.version += changed
            tally = self._tally(room)
        if changed:
            self._announce(code, CHANGE_QUESTION)
        return tally

    def student_count(self, code) -> int:
        with self._lock:
            return len(self._room(code)[1].students)

    def on_change(self, callback) -> None:
        with self._lock:
            self._listeners.append(callback)
