"""The Redis store's round operations: lock, export, the seats list, removal (issue 23).

A mixin of redis_store.RedisStore (it uses the store's connection, keys and scripts);
kept apart so each module holds one idea. Writes are Lua scripts (redis_scripts.py:
LOCK, REMOVE; ASK keeps the answers of the question it replaces, ANSWER refuses a locked
question and one past its deadline by Redis's own clock). See store.RoomStore.
"""

from __future__ import annotations

import json

from cevis_app.rooms import store as rules
from cevis_app.rooms.checks import queue_json
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import Tally
from cevis_app.rooms.store import normalize_code


class RedisRounds:
    """lock, export, seats and remove for RedisStore (self: a RedisStore)."""

    def _round_extras(self, code, revealed: bool, deadline):
        """(the class's answers if revealed, else None; seconds left on the countdown or None)."""
        answers = closes_in = None
        with self._errors():
            if revealed:
                answers = [json.loads(v) for v in self.redis.hvals(self._keys(code)[2])]
            if deadline is not None:
                seconds, micros = self.redis.time()
                closes_in = (int(deadline) - (seconds * 1000 + micros // 1000)) / 1000
        return answers, closes_in

    def lock(self, code, teacher) -> Tally:
        code = normalize_code(code)
        if self._teacher(code, teacher, "lock") == 1:  # 2: locked (or revealed) already
            self.changes.announce(code, CHANGE_QUESTION)
        return self._tally(code)

    def export(self, code, teacher) -> rules.Export:
        code = normalize_code(code)
        self._teacher(code, teacher, "touch")
        keys = self._keys(code)
        with self._errors(), self.redis.pipeline(transaction=True) as pipe:
            room, log, answers, times = pipe.hgetall(keys[0]).lrange(keys[7], 0, -1) \
                .hgetall(keys[2]).hgetall(keys[9]).execute()
        asked = sorted((int(k[3:]), k[2:]) for k in room if k.startswith("q:q"))
        questions = tuple({**json.loads(room["q:" + qid]), "id": qid} for _, qid in asked)
        earlier = [json.loads(item) for item in log]
        rows = [(qid, seat, json.loads(answer), int(ms) / 1000) for qid, seat, answer, ms in earlier]
        current = room.get("qid")
        rows += [(current, seat, json.loads(answer), int(times.get(seat, 0)) / 1000)
                 for seat, answer in answers.items()]
        return rules.Export(questions, tuple(rows))

    def seats(self, code, teacher) -> list:
        code = normalize_code(code)
        self._teacher(code, teacher, "touch")
        keys = self._keys(code)
        with self._errors():
            seconds, micros = self.redis.time()
            since = seconds * 1000 + micros // 1000 - int(self.bounds.present_seconds * 1000)
            with self.redis.pipeline(transaction=True) as pipe:
                students, answered, seen = pipe.smembers(keys[1]).hkeys(keys[2]) \
                    .zrangebyscore(keys[5], f"({since}", "+inf").execute()
        answered, seen = set(answered), set(seen)
        return sorted((rules.Seat(s, rules.seat_label(s), s in seen, s in answered) for s in students),
                      key=lambda s: s.label)

    def remove(self, code, teacher, seat) -> None:
        code = normalize_code(code)
        if not isinstance(seat, str) or len(seat) > 64:
            raise rules.RoomError(rules.NO_SEAT)
        self._teacher(code, teacher, "remove", seat)
        self.changes.announce(code, CHANGE_QUESTION)

    def save_queue(self, code, teacher, questions) -> None:
        self._teacher(code, teacher, "queue", queue_json(questions))

    def queue(self, code, teacher) -> list:
        code = normalize_code(code)
        self._teacher(code, teacher, "touch")
        with self._errors():
            text = self.redis.hget(self._keys(code)[0], "queue")
        return json.loads(text) if text else []
