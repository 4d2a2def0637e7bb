"""The in-process store's round operations: lock, export, the seats list, removal (issue 23).

A mixin of memory.MemoryStore (it uses the store's lock, rooms and helpers); kept apart so
each module holds one idea. See store.RoomStore for what each operation promises.
"""

from __future__ import annotations

import json

from cevis_app.rooms import store as rules
from cevis_app.rooms.checks import queue_json
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import RoomError
from cevis_app.rooms.store import Tally


class MemoryRounds:
    """lock, export, seats and remove for MemoryStore (self: a MemoryStore)."""

    def lock(self, code, teacher) -> Tally:
        with self._lock:
            code, room = self._teacher_room(code, teacher)
            if room.question is None:
                raise RoomError("There is no question to lock: ask one first.")
            changed = not (room.locked or room.revealed)
            room.locked = True
            room.version += changed
            tally = self._tally(room)
        if changed:
            self._announce(code, CHANGE_QUESTION)
        return tally

    def export(self, code, teacher) -> rules.Export:
        with self._lock:
            _, room = self._teacher_room(code, teacher)
            current = [(room.question_id, seat, answer, room.answered_at[seat])
                       for seat, answer in room.answers.items()]
            return rules.Export(tuple(dict(q) for q in room.history), tuple(room.log + current))

    def seats(self, code, teacher) -> list:
        with self._lock:
            _, room = self._teacher_room(code, teacher)
            since = self.clock() - self.bounds.present_seconds
            seats = [rules.Seat(s, rules.seat_label(s), room.seen.get(s, -1e300) > since, s in room.answers)
                     for s in room.students]
        return sorted(seats, key=lambda s: s.label)

    def remove(self, code, teacher, seat) -> None:
        with self._lock:
            code, room = self._teacher_room(code, teacher)
            if not isinstance(seat, str) or seat not in room.students:
                raise RoomError(rules.NO_SEAT)
            room.students.discard(seat)
            room.removed.add(seat)
            for held in (room.answers, room.answered_at, room.seen):
                held.pop(seat, None)
            room.log = [entry for entry in room.log if entry[1] != seat]
            room.version += 1
        self._announce(code, CHANGE_QUESTION)

    @staticmethod
    def _archive(room) -> None:
        """Keep the open question's answers for the export before a new question replaces them."""
        room.log.extend((room.question_id, seat, answer, room.answered_at[seat])
                        for seat, answer in room.answers.items())
        room.answers, room.answered_at = {}, {}

    def save_queue(self, code, teacher, questions) -> None:
        text = queue_json(questions)
        with self._lock:
            _, room = self._teacher_room(code, teacher)
            room.queue_text = text

    def queue(self, code, teacher) -> list:
        with self._lock:
            return json.loads(self._teacher_room(code, teacher)[1].queue_text)
