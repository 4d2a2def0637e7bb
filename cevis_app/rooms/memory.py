"""The in-process room store: a dict of rooms behind one lock (the default; Community Cloud).

Every Streamlit session of one server process shares it. Bounded: at most
`max_rooms` rooms (expired ones are dropped to make space), `max_students` per
room, MAX_STATE_BYTES per state, and the abuse bounds of store.py counted per device
and per address in fixed windows. The clock is injectable so tests can let time pass.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time

from cevis_app.rooms import store as rules
from cevis_app.rooms.checks import check_answer
from cevis_app.rooms.checks import check_question
from cevis_app.rooms.checks import public_question
from cevis_app.rooms.checks import state_json
from cevis_app.rooms.store import CHANGE_ENDED
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import CHANGE_VIEW
from cevis_app.rooms.store import RoomEnded
from cevis_app.rooms.store import RoomError
from cevis_app.rooms.store import Snapshot
from cevis_app.rooms.store import Tally
from cevis_app.rooms.store import address_key
from cevis_app.rooms.store import check_secret
from cevis_app.rooms.store import is_credential
from cevis_app.rooms.store import new_code
from cevis_app.rooms.store import new_secret
from cevis_app.rooms.store import new_student_id
from cevis_app.rooms.store import no_room
from cevis_app.rooms.store import normalize_code
from cevis_app.rooms.store import seat_of
from cevis_app.rooms.store import secret_digest

DEFAULT_BOUNDS = rules.Bounds()  # store.py gives the numbers and why
CREATE_ATTEMPTS = 20  # fresh codes tried before giving up (a collision is ~1e-6 at MAX_ROOMS)
MAX_COUNTERS = 100_000  # abuse counters kept; past this, finished windows are dropped
_LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class _Room:
    teachers: list  # secret_digest of each teacher credential (the secret, devices)
    expires: float  # clock() time after which the room is gone
    link: str = ""  # secret_digest of the current one-time teacher link ("" = none)
    version: int = 0
    state_text: str = "{}"  # JSON: a reader gets a fresh copy, never the shared dict
    question: dict | None = None
    question_id: str = ""
    asked: int = 0  # questions asked so far: the next id is f"q{asked + 1}"
    revealed: bool = False
    students: set = dataclasses.field(default_factory=set)  # seats
    seen: dict = dataclasses.field(default_factory=dict)  # seat -> clock() of its last heartbeat
    per_address: dict = dataclasses.field(default_factory=dict)  # address_key -> seats taken
    answers: dict = dataclasses.field(default_factory=dict)  # seat -> answer


class MemoryStore:
    """RoomStore in this process (see store.RoomStore for the operations)."""

    def __init__(self, ttl=rules.ROOM_TTL_SECONDS, max_rooms=rules.MAX_ROOMS,
                 max_students=rules.MAX_STUDENTS, clock=time.monotonic, bounds=DEFAULT_BOUNDS):
        self.ttl, self.max_rooms, self.max_students, self.clock = ttl, max_rooms, max_students, clock
        self.bounds = bounds
        self._rooms: dict[str, _Room] = {}
        self._ended: dict[str, float] = {}  # code -> clock() until which its class reads "ended"
        self._where: dict[str, tuple] = {}  # device digest -> (code, role)
        self._counters: dict[str, tuple] = {}  # bound key -> (window start, count)
        self._lock = threading.Lock()
        self._listeners: list = []  # on_change callbacks, called after the lock is released

    # ------------------------------------------------------------ helpers (lock held)
    def _room(self, code) -> tuple[str, _Room]:
        code = normalize_code(code)
        room = self._rooms.get(code)
        if room is None or room.expires <= self.clock():
            self._rooms.pop(code, None)
            if self._ended.get(code, 0.0) > self.clock():
                raise RoomEnded(f"The teacher ended room {code}.")
            raise no_room(code)
        return code, room

    def _teacher_room(self, code, teacher) -> tuple[str, _Room]:
        code, room = self._room(code)
        check_secret(teacher, room.teachers)
        room.expires = self.clock() + self.ttl
        return code, room

    def _over(self, key, limit, window) -> bool:
        """Count one event against `key`; True if that makes more than `limit` in this window."""
        now = self.clock()
        start, count = self._counters.get(key, (now, 0))
        if now - start >= window:
            start, count = now, 0
        self._counters[key] = (start, count + 1)
        if len(self._counters) > MAX_COUNTERS:
            self._counters = {k: v for k, v in self._counters.items() if now - v[0] < 3600}
        return count + 1 > limit

    def _peek_over(self, key, limit, window) -> bool:
        start, count = self._counters.get(key, (0.0, 0))
        return self.clock() - start < window and count >= limit

    def _remember(self, device, code, role) -> None:
        """The device's whereabouts; entries of rooms that are gone go when the dict grows large."""
        if len(self._where) > 4 * self.max_rooms * self.max_students:
            self._where = {d: w for d, w in self._where.items() if w[0] in self._rooms}
        self._where[secret_digest(device)] = (code, role)

    def _announce(self, code, kind) -> None:
        for callback in list(self._listeners):
            try:
                callback(code, kind)
            except Exception:  # a listener's bug must not undo the teacher's write
                _LOG.exception("cevis: room change listener failed")

    def _tally(self, room) -> Tally:
        question = None if room.question is None else {**room.question, "id": room.question_id}
        since = self.clock() - self.bounds.present_seconds
        here = sum(1 for t in room.seen.values() if t > since)
        return Tally(question, tuple(sorted(room.answers.values())), len(room.students), room.revealed,
                     here)

    # ------------------------------------------------------------ rooms
    def create_room(self, device=None, address=None) -> tuple[str, str]:
        secret = new_secret()
        with self._lock:
            now = self.clock()
            device_over = device is not None and self._over(
                f"rooms:d:{secret_digest(device)}", self.bounds.rooms_per_device_hour, 3600)
            if device_over or (address is not None and self._over(
                    f"rooms:a:{address_key(address)}", self.bounds.rooms_per_address_hour, 3600)):
                raise RoomError(rules.TOO_MANY_ROOMS)
            if len(self._rooms) >= self.max_rooms:
                self._rooms = {c: r for c, r in self._rooms.items() if r.expires > now}
            if len(self._rooms) >= self.max_rooms:
                raise RoomError("Too many rooms are open on this server; try again later.")
            for _ in range(CREATE_ATTEMPTS):
                code = new_code()
                if code not in self._rooms and code not in self._ended:
                    teachers = [secret_digest(secret)] + ([secret_digest(device)] if device else [])
                    self._rooms[code] = _Room(teachers, now + self.ttl)
                    if device:
                        self._remember(device, code, "teacher")
                    return code, secret
        raise RoomError("Could not find a free room code; try again.")

    def teacher_link(self, code, teacher) -> str:
        secret = new_secret()
        with self._lock:
            _, room = self._teacher_room(code, teacher)
            room.link = secret_digest(secret)
        return secret

    def claim(self, code, secret, device) -> None:
        with self._lock:
            code, room = self._room(code)
            if not room.link or not is_credential(secret, [room.link]):
                raise RoomError("This teacher link has been used or replaced: ask for a new one "
                                "on the device that runs the room.")
            if len(room.teachers) >= rules.MAX_TEACHERS:
                raise RoomError("This room has as many teacher devices as it may have.")
            room.link = ""  # one device per link
            if secret_digest(device) not in room.teachers:
                room.teachers.append(secret_digest(device))
            room.expires = self.clock() + self.ttl
            self._remember(device, code, "teacher")

    def is_teacher(self, code, teacher) -> bool:
        with self._lock:
            try:
                _, room = self._room(code)
            except RoomError:
                return False
            return is_credential(teacher, room.teachers)

    def end_room(self, code, teacher) -> None:
        with self._lock:
            code, _ = self._teacher_room(code, teacher)
            del self._rooms[code]
            now = self.clock()
            self._ended = {c: t for c, t in self._ended.items() if t > now}
            self._ended[code] = now + rules.ENDED_SECONDS
        self._announce(code, CHANGE_ENDED)

    # ------------------------------------------------------------ the class
    def join(self, code, device=None, address=None) -> str:
        device = device or new_student_id()
        dkey, akey = f"codes:d:{secret_digest(device)}", f"codes:a:{address_key(address)}"
        with self._lock:
            if (self._peek_over(dkey, self.bounds.wrong_codes_per_device_minute, 60)
                    or self._peek_over(akey, self.bounds.wrong_codes_per_address_minute, 60)):
                raise RoomError(rules.TOO_MANY_CODES)
            try:
                code, room = self._room(code)
            except RoomEnded:
                raise no_room(normalize_code(code)) from None  # the code stops working
            except RoomError:
                self._over(dkey, self.bounds.wrong_codes_per_device_minute, 60)
                self._over(akey, self.bounds.wrong_codes_per_address_minute, 60)
                raise
            seat = seat_of(code, device)
            if seat not in room.students:
                if len(room.students) >= self.max_students:
                    raise RoomError(f"This room is full ({self.max_students} students).")
                where = address_key(address)
                if room.per_address.get(where, 0) >= self.bounds.seats_per_address:
                    raise RoomError(rules.TOO_MANY_SEATS)
                room.per_address[where] = room.per_address.get(where, 0) + 1
                room.students.add(seat)
            room.seen[seat] = self.clock()
            self._remember(device, code, "student")
        return seat

    def whereabouts(self, device) -> tuple[str, str] | None:
        with self._lock:
            where = self._where.get(secret_digest(device))
            if where is None:
                return None
            room = self._rooms.get(where[0])
            if room is None or room.expires <= self.clock():
                return None
            if where[1] == "teacher" and not is_credential(device, room.teachers):
                return None
            return where

    def leave(self, code, device) -> None:
        with self._lock:
            key = secret_digest(device)
            if self._where.get(key, (None,))[0] == code:
                del self._where[key]

    def heartbeat(self, code, seat) -> None:
        with self._lock:
            _, room = self._room(code)
            if seat in room.students:
                room.seen[seat] = self.clock()

    # ------------------------------------------------------------ the view and the question
    def publish(self, code, teacher, state) -> int:
        with self._lock:
            code, room = self._teacher_room(code, teacher)
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

    def ask(self, code, teacher, question) -> str:
        clean = check_question(question)
        with self._lock:
            code, room = self._teacher_room(code, teacher)
            room.asked += 1
            room.question, room.question_id, room.revealed = clean, f"q{room.asked}", False
            room.answers = {}
            room.version += 1
            question_id = room.question_id
        self._announce(code, CHANGE_QUESTION)
        return question_id

    def post_answer(self, code, seat, question_id, answer) -> None:
        with self._lock:
            _, room = self._room(code)
            if not isinstance(seat, str) or seat not in room.students:
                raise RoomError("Join the room before answering.")
            if room.question is None or question_id != room.question_id:
                raise RoomError("That question is no longer open.")
            if room.revealed:
                raise RoomError("The answer has been revealed: answers are closed.")
            room.answers[seat] = check_answer(room.question, answer)
            room.seen[seat] = self.clock()

    def my_answer(self, code, seat, question_id):
        with self._lock:
            _, room = self._room(code)
            return room.answers.get(seat) if question_id == room.question_id else None

    def tally(self, code, teacher) -> Tally:
        with self._lock:
            return self._tally(self._teacher_room(code, teacher)[1])

    def reveal(self, code, teacher) -> Tally:
        with self._lock:
            code, room = self._teacher_room(code, teacher)
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
