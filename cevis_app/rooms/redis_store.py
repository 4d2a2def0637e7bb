"""The Redis room store: rooms shared by several server processes (redis-py; see deploy/).

Per room three keys, all with the room's time to live (refreshed by every write):
`<prefix><CODE>` a hash (digest, version, state, question, qid, asked, revealed),
`...:students` a set of student ids, `...:answers` a hash student id -> answer.
A sorted set `<prefix>rooms` (code -> expiry in ms) bounds the number of open rooms.
Writes run as Lua scripts, so each is atomic and sees whether the room still exists;
the teacher secret is checked here in Python with hmac.compare_digest. An idle poll
is one HGET of the version. Publish, ask and reveal are announced on the channel
`<prefix>changed` (redis_changes.py), so every process's followers hear of them at once.
"""

from __future__ import annotations

import contextlib
import json

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from cevis_app.rooms.checks import check_answer
from cevis_app.rooms.checks import check_question
from cevis_app.rooms.checks import public_question
from cevis_app.rooms.checks import state_json
from cevis_app.rooms.redis_changes import ChangeFeed
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import CHANGE_VIEW
from cevis_app.rooms.store import MAX_ROOMS
from cevis_app.rooms.store import MAX_STUDENTS
from cevis_app.rooms.store import ROOM_TTL_SECONDS
from cevis_app.rooms.store import RoomError
from cevis_app.rooms.store import RoomUnavailable
from cevis_app.rooms.store import Snapshot
from cevis_app.rooms.store import Tally
from cevis_app.rooms.store import check_secret
from cevis_app.rooms.store import new_code
from cevis_app.rooms.store import new_secret
from cevis_app.rooms.store import new_student_id
from cevis_app.rooms.store import no_room
from cevis_app.rooms.store import normalize_code
from cevis_app.rooms.store import secret_digest

PREFIX = "cevis:room:"
SOCKET_TIMEOUT = 2.0  # s per attempt: a stalled Redis shows an error instead of hanging every page
RETRIES = 3  # after the first attempt: attempts start at ~0, 2.5, 5.5, 9.5 s into a stall
BACKOFF_BASE, BACKOFF_CAP = 0.25, 2.0  # s: sleeps 0.5, 1, 2 between attempts (redis-py doubles them)
# So a stall shorter than ~9 s (a restart, a fork for the AOF rewrite, a SIGSTOP) is ridden out;
# a refused connection (Redis down) gives up after ~3.5 s of backoff with RoomUnavailable. A retried
# write may run twice if the first attempt reached Redis before the stall: every script is safe
# to repeat (version counters move one more; a repeated create costs an unused code).
CREATE_ATTEMPTS = 20  # as in memory.py

# KEYS = room hash, students set, answers hash, rooms zset; ARGV[1] = ttl ms, ARGV[2] = code.
# Each script returns a negative number for a refusal (see REFUSALS) before it writes anything.
_PRELUDE = """
local ttl = tonumber(ARGV[1])
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function touch()
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ttl) end
  redis.call('ZADD', KEYS[4], 'XX', now_ms() + ttl, ARGV[2])
end
"""
_CREATE = _PRELUDE + """
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[3]) then return -2 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'digest', ARGV[4], 'version', 0, 'state', '{}', 'asked', 0, 'revealed', 0)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[4], now + ttl, ARGV[2])
return 1
"""
_JOIN = _PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[3]) then return -3 end
redis.call('SADD', KEYS[2], ARGV[4])
touch()
return 1
"""
_PUBLISH = _PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
redis.call('HSET', KEYS[1], 'state', ARGV[3])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
touch()
return version
"""
_ASK = _PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local qid = 'q' .. redis.call('HINCRBY', KEYS[1], 'asked', 1)
redis.call('HSET', KEYS[1], 'question', ARGV[3], 'qid', qid, 'revealed', 0)
redis.call('DEL', KEYS[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
touch()
return qid
"""
_ANSWER = _PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 0 then return -4 end
if redis.call('HGET', KEYS[1], 'qid') ~= ARGV[4] then return -5 end
if redis.call('HGET', KEYS[1], 'revealed') == '1' then return -6 end
redis.call('HSET', KEYS[3], ARGV[3], ARGV[5])
touch()
return 1
"""
_REVEAL = _PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if not redis.call('HGET', KEYS[1], 'qid') then return -7 end
local changed = 2
if redis.call('HGET', KEYS[1], 'revealed') ~= '1' then
  redis.call('HSET', KEYS[1], 'revealed', 1)
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  changed = 1
end
touch()
return changed
"""
_TOUCH = _PRELUDE + """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
touch()
return 1
"""
REFUSALS = {  # script result -> message (-1, no room, names the code: see _run)
    -2: "Too many rooms are open on this server; try again later.",
    -3: "This room is full ({max_students} students).",
    -4: "Join the room before answering.",
    -5: "That question is no longer open.",
    -6: "The answer has been revealed: answers are closed.",
    -7: "There is no question to reveal: ask one first.",
}


UNAVAILABLE = "The classroom server (Redis) did not answer; try again in a moment."
FULL = ("The classroom server is full and could not save this; the room stays open. Try again "
        "later. (For whoever runs the server: Redis reached its maxmemory.)")


@contextlib.contextmanager
def _redis_errors():
    """A Redis outage becomes a RoomUnavailable a page can show, not a traceback; a Redis out of
    memory (maxmemory with the noeviction policy: it refuses writes, evicts nothing) says so."""
    try:
        yield
    except redis.exceptions.OutOfMemoryError as exc:
        raise RoomUnavailable(FULL) from exc
    except redis.exceptions.RedisError as exc:
        raise RoomUnavailable(UNAVAILABLE) from exc


def connect(url: str, **options) -> redis.Redis:
    """A client that retries a lost or stalled connection with exponential backoff."""
    return redis.Redis.from_url(
        url, decode_responses=True, socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT, socket_keepalive=True, health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=BACKOFF_CAP, base=BACKOFF_BASE), RETRIES),
        retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
        **options)


class RedisStore:
    """RoomStore in Redis (see store.RoomStore for the operations)."""

    def __init__(self, url, ttl=ROOM_TTL_SECONDS, max_rooms=MAX_ROOMS, max_students=MAX_STUDENTS,
                 prefix=PREFIX):
        self.ttl_ms, self.max_rooms, self.max_students, self.prefix = (
            max(1, int(ttl * 1000)), max_rooms, max_students, prefix)
        self.redis = connect(url)
        self._scripts = {name: self.redis.register_script(src) for name, src in [
            ("create", _CREATE), ("join", _JOIN), ("publish", _PUBLISH), ("ask", _ASK),
            ("answer", _ANSWER), ("reveal", _REVEAL), ("touch", _TOUCH)]}
        self.changes = ChangeFeed(url, prefix + "changed", self.redis)

    # ------------------------------------------------------------ helpers
    def _keys(self, code):
        room = self.prefix + code
        return [room, room + ":students", room + ":answers", self.prefix + "rooms"]

    def _run(self, name, code, *args):
        with _redis_errors():
            result = self._scripts[name](keys=self._keys(code), args=[self.ttl_ms, code, *args])
        if result == -1:
            raise no_room(code)
        if isinstance(result, int) and result in REFUSALS:
            raise RoomError(REFUSALS[result].format(max_students=self.max_students))
        return result

    def _teacher_code(self, code, secret) -> str:
        code = normalize_code(code)
        with _redis_errors():
            digest = self.redis.hget(self.prefix + code, "digest")
        if digest is None:
            raise no_room(code)
        check_secret(secret, digest)
        return code

    def _tally(self, code) -> Tally:
        room, students, answers = self._keys(code)[:3]
        with _redis_errors(), self.redis.pipeline(transaction=True) as pipe:
            fields, count, values = pipe.hmget(room, "question", "qid", "revealed").scard(students) \
                .hvals(answers).execute()
        question, qid, revealed = fields
        full = None if question is None else {**json.loads(question), "id": qid}
        return Tally(full, tuple(sorted(json.loads(v) for v in values)), count, revealed == "1")

    # ------------------------------------------------------------ the protocol
    def create_room(self) -> tuple[str, str]:
        secret = new_secret()
        for _ in range(CREATE_ATTEMPTS):
            code = new_code()
            if self._run("create", code, self.max_rooms, secret_digest(secret)) == 1:
                return code, secret
        raise RoomError("Could not find a free room code; try again.")

    def join(self, code) -> str:
        student = new_student_id()
        self._run("join", normalize_code(code), self.max_students, student)
        return student

    def publish(self, code, secret, state) -> int:
        code = self._teacher_code(code, secret)
        version = int(self._run("publish", code, state_json(state)))
        self.changes.announce(code, CHANGE_VIEW)
        return version

    def read(self, code, since_version) -> Snapshot | None:
        code = normalize_code(code)
        room = self.prefix + code
        with _redis_errors():
            version = self.redis.hget(room, "version")  # the idle poll: one round trip
            if version is not None and int(version) == since_version:
                return None
            fields = self.redis.hmget(room, "version", "state", "question", "qid", "revealed")
        version, state, question, qid, revealed = fields
        if version is None:
            raise no_room(code)
        question = None if question is None else json.loads(question)
        return Snapshot(int(version), json.loads(state), public_question(question, qid, revealed == "1"))

    def ask(self, code, secret, question) -> str:
        clean = check_question(question)
        code = self._teacher_code(code, secret)
        question_id = self._run("ask", code, json.dumps(clean, allow_nan=False))
        self.changes.announce(code, CHANGE_QUESTION)
        return question_id

    def post_answer(self, code, student_id, question_id, answer) -> None:
        code = normalize_code(code)
        room, students = self._keys(code)[:2]
        if not isinstance(student_id, str):
            raise RoomError(REFUSALS[-4])
        with _redis_errors(), self.redis.pipeline(transaction=True) as pipe:
            exists, member, (question, qid) = pipe.exists(room).sismember(students, student_id) \
                .hmget(room, "question", "qid").execute()
        if not exists:
            raise no_room(code)
        if not member:
            raise RoomError(REFUSALS[-4])
        if question is None or qid != question_id:
            raise RoomError(REFUSALS[-5])
        value = check_answer(json.loads(question), answer)
        self._run("answer", code, student_id, question_id, json.dumps(value))  # re-checks atomically

    def tally(self, code, secret) -> Tally:
        code = self._teacher_code(code, secret)
        self._run("touch", code)
        return self._tally(code)

    def reveal(self, code, secret) -> Tally:
        code = self._teacher_code(code, secret)
        if self._run("reveal", code) == 1:  # 2: it was revealed already, nothing changed
            self.changes.announce(code, CHANGE_QUESTION)
        return self._tally(code)

    def student_count(self, code) -> int:
        code = normalize_code(code)
        room = self._keys(code)
        with _redis_errors(), self.redis.pipeline(transaction=True) as pipe:
            exists, count = pipe.exists(room[0]).scard(room[1]).execute()
        if not exists:
            raise no_room(code)
        return count

    def on_change(self, callback) -> None:
        self.changes.listen(callback)
