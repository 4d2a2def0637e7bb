"""The Redis room store: rooms shared by several server processes (redis-py; see deploy/).

Per room seven keys (redis_scripts.py lists them), all with the room's time to live,
refreshed by every teacher action. A sorted set `<prefix>rooms` (code -> expiry in ms)
bounds the number of open rooms; `<prefix>ended:<CODE>` marks a room its teacher
ended; `<prefix>where:<device digest>` is a device's last room; `<prefix>limit:...`
are the abuse counters. Writes run as Lua scripts (redis_scripts.py), so each is
atomic and sees whether the room still exists; teacher credentials are compared as
sha256 digests inside the scripts. An idle poll is one HGET of the version. Publish,
ask, reveal and end are announced on the channel `<prefix>changed` (redis_changes.py),
so every process's followers hear of them at once.
"""

from __future__ import annotations

import contextlib
import json

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from cevis_app.rooms import store as rules
from cevis_app.rooms.checks import check_answer
from cevis_app.rooms.checks import check_question
from cevis_app.rooms.checks import public_question
from cevis_app.rooms.checks import state_json
from cevis_app.rooms.redis_changes import ChangeFeed
from cevis_app.rooms.redis_scripts import HIT
from cevis_app.rooms.redis_scripts import REFUSALS
from cevis_app.rooms.redis_scripts import SCRIPTS
from cevis_app.rooms.store import CHANGE_ENDED
from cevis_app.rooms.store import CHANGE_QUESTION
from cevis_app.rooms.store import CHANGE_VIEW
from cevis_app.rooms.store import RoomEnded
from cevis_app.rooms.store import RoomError
from cevis_app.rooms.store import RoomUnavailable
from cevis_app.rooms.store import Snapshot
from cevis_app.rooms.store import Tally
from cevis_app.rooms.store import address_key
from cevis_app.rooms.store import new_code
from cevis_app.rooms.store import new_secret
from cevis_app.rooms.store import new_student_id
from cevis_app.rooms.store import no_room
from cevis_app.rooms.store import normalize_code
from cevis_app.rooms.store import seat_of
from cevis_app.rooms.store import secret_digest

PREFIX = "cevis:room:"
# Reads are plain pipelines, not MULTI transactions: Redis refuses every command queued in a
# MULTI once it is over maxmemory, so a full server could not even be read (or followed).
SOCKET_TIMEOUT = 2.0  # s per attempt: a stalled Redis shows an error instead of hanging every page
RETRIES = 3  # after the first attempt: attempts start at ~0, 2.5, 5.5, 9.5 s into a stall
BACKOFF_BASE, BACKOFF_CAP = 0.25, 2.0  # s: sleeps 0.5, 1, 2 between attempts (redis-py doubles them)
# So a stall shorter than ~9 s (a restart, a fork for the AOF rewrite, a SIGSTOP) is ridden out;
# a refused connection (Redis down) gives up after ~3.5 s of backoff with RoomUnavailable. A retried
# write may run twice if the first attempt reached Redis before the stall: every script is safe
# to repeat (version counters move one more; a repeated create costs an unused code).
DEFAULT_BOUNDS = rules.Bounds()  # store.py gives the numbers and why
CREATE_ATTEMPTS = 20  # as in memory.py
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

    def __init__(self, url, ttl=rules.ROOM_TTL_SECONDS, max_rooms=rules.MAX_ROOMS,
                 max_students=rules.MAX_STUDENTS, prefix=PREFIX, bounds=DEFAULT_BOUNDS):
        self.ttl_ms, self.max_rooms, self.max_students, self.prefix = (
            max(1, int(ttl * 1000)), max_rooms, max_students, prefix)
        self.bounds = bounds
        self.redis = connect(url)
        self._scripts = {name: self.redis.register_script(src) for name, src in SCRIPTS.items()}
        self._hit = self.redis.register_script(HIT)
        self.changes = ChangeFeed(url, prefix + "changed", self.redis)

    # ------------------------------------------------------------ helpers
    def _keys(self, code):
        room = self.prefix + code
        return [room, room + ":students", room + ":answers", self.prefix + "rooms", room + ":teachers",
                room + ":seen", room + ":addresses"]

    def _run(self, name, code, *args):
        with _redis_errors():
            result = self._scripts[name](keys=self._keys(code), args=[self.ttl_ms, code, *args])
        if result == -1:
            with _redis_errors():
                ended = self.redis.exists(self.prefix + "ended:" + code)
            if ended:
                raise RoomEnded(f"The teacher ended room {code}.")
            raise no_room(code)
        if isinstance(result, int) and result in REFUSALS:
            raise RoomError(REFUSALS[result].format(max_students=self.max_students))
        return result

    def _teacher(self, code, teacher, name, *args):
        """Run a teacher's script: the credential's digest goes first (refused as -8)."""
        digest = secret_digest(teacher) if isinstance(teacher, str) and len(teacher) < 200 else "-"
        return self._run(name, normalize_code(code), digest, *args)

    def _over(self, key, limit, window_s, count=True) -> bool:
        with _redis_errors():
            if not count:
                value = self.redis.get(self.prefix + "limit:" + key)
                return value is not None and int(value) >= limit
            return self._hit(keys=[self.prefix + "limit:" + key], args=[int(window_s * 1000), limit]) == 1

    def _where(self, device):
        return self.prefix + "where:" + secret_digest(device)

    def _tally(self, code) -> Tally:
        room, students, answers, _, _, seen, _ = self._keys(code)
        with _redis_errors():
            seconds, micros = self.redis.time()
            since = seconds * 1000 + micros // 1000 - int(self.bounds.present_seconds * 1000)
            with self.redis.pipeline(transaction=False) as pipe:
                fields, count, values, here = pipe.hmget(room, "question", "qid", "revealed") \
                    .scard(students).hvals(answers).zcount(seen, f"({since}", "+inf").execute()
        question, qid, revealed = fields
        full = None if question is None else {**json.loads(question), "id": qid}
        return Tally(full, tuple(sorted(json.loads(v) for v in values)), count, revealed == "1", here)

    # ------------------------------------------------------------ rooms
    def create_room(self, device=None, address=None) -> tuple[str, str]:
        if ((device is not None and self._over(f"rooms:d:{secret_digest(device)}",
                                               self.bounds.rooms_per_device_hour, 3600))
                or (address is not None and self._over(f"rooms:a:{address_key(address)}",
                                                       self.bounds.rooms_per_address_hour, 3600))):
            raise RoomError(rules.TOO_MANY_ROOMS)
        secret = new_secret()
        for _ in range(CREATE_ATTEMPTS):
            code = new_code()
            with _redis_errors():
                if self.redis.exists(self.prefix + "ended:" + code):
                    continue
            device_digest = secret_digest(device) if device else ""
            if self._run("create", code, self.max_rooms, secret_digest(secret), device_digest) == 1:
                if device:
                    with _redis_errors():
                        self.redis.set(self._where(device), f"{code} teacher", px=self.ttl_ms)
                return code, secret
        raise RoomError("Could not find a free room code; try again.")

    def teacher_link(self, code, teacher) -> str:
        secret = new_secret()
        self._teacher(code, teacher, "link", secret_digest(secret))
        return secret

    def claim(self, code, secret, device) -> None:
        code = normalize_code(code)
        digest = secret_digest(secret) if isinstance(secret, str) and len(secret) < 200 else "-"
        self._run("claim", code, digest, secret_digest(device), rules.MAX_TEACHERS)
        with _redis_errors():
            self.redis.set(self._where(device), f"{code} teacher", px=self.ttl_ms)

    def is_teacher(self, code, teacher) -> bool:
        try:
            code = normalize_code(code)
        except RoomError:
            return False
        if not isinstance(teacher, str) or len(teacher) >= 200:
            return False
        with _redis_errors():
            return bool(self.redis.sismember(self._keys(code)[4], secret_digest(teacher)))

    def end_room(self, code, teacher) -> None:
        code = normalize_code(code)
        self._teacher(code, teacher, "end", self.prefix + "ended:" + code, int(rules.ENDED_SECONDS * 1000))
        self.changes.announce(code, CHANGE_ENDED)

    # ------------------------------------------------------------ the class
    def join(self, code, device=None, address=None) -> str:
        device = device or new_student_id()
        dkey, akey = f"codes:d:{secret_digest(device)}", f"codes:a:{address_key(address)}"
        if (self._over(dkey, self.bounds.wrong_codes_per_device_minute, 60, count=False)
                or self._over(akey, self.bounds.wrong_codes_per_address_minute, 60, count=False)):
            raise RoomError(rules.TOO_MANY_CODES)
        try:
            code = normalize_code(code)
            seat = seat_of(code, device)
            self._run("join", code, self.max_students, seat, address_key(address),
                      self.bounds.seats_per_address)
        except RoomEnded:
            raise no_room(code) from None  # the code stops working
        except RoomError as err:
            if str(err).startswith("No open room"):
                self._over(dkey, self.bounds.wrong_codes_per_device_minute, 60)
                self._over(akey, self.bounds.wrong_codes_per_address_minute, 60)
            raise
        with _redis_errors():
            self.redis.set(self._where(device), f"{code} student", px=self.ttl_ms)
        return seat

    def whereabouts(self, device) -> tuple[str, str] | None:
        with _redis_errors():
            where = self.redis.get(self._where(device))
        if not where:
            return None
        code, _, role = where.partition(" ")
        with _redis_errors():
            alive = self.redis.exists(self.prefix + code)
        if not alive or (role == "teacher" and not self.is_teacher(code, device)):
            return None
        return code, role

    def leave(self, code, device) -> None:
        with _redis_errors():
            where = self.redis.get(self._where(device))
            if where and where.partition(" ")[0] == code:
                self.redis.delete(self._where(device))

    def heartbeat(self, code, seat) -> None:
        if isinstance(seat, str):
            self._run("heartbeat", normalize_code(code), seat)

    # ------------------------------------------------------------ the view and the question
    def publish(self, code, teacher, state) -> int:
        text = state_json(state)
        version = int(self._teacher(code, teacher, "publish", text))
        self.changes.announce(normalize_code(code), CHANGE_VIEW)
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
            with _redis_errors():
                if self.redis.exists(self.prefix + "ended:" + code):
                    raise RoomEnded(f"The teacher ended room {code}.")
            raise no_room(code)
        question = None if question is None else json.loads(question)
        return Snapshot(int(version), json.loads(state), public_question(question, qid, revealed == "1"))

    def ask(self, code, teacher, question) -> str:
        clean = check_question(question)
        question_id = self._teacher(code, teacher, "ask", json.dumps(clean, allow_nan=False))
        self.changes.announce(normalize_code(code), CHANGE_QUESTION)
        return question_id

    def post_answer(self, code, seat, question_id, answer) -> None:
        code = normalize_code(code)
        room, students = self._keys(code)[:2]
        if not isinstance(seat, str):
            raise RoomError(REFUSALS[-4])
        with _redis_errors(), self.redis.pipeline(transaction=False) as pipe:
            exists, member, (question, qid) = pipe.exists(room).sismember(students, seat) \
                .hmget(room, "question", "qid").execute()
        if not exists:
            self._run("heartbeat", code, seat)  # raises: ended, or no such room
        if not member:
            raise RoomError(REFUSALS[-4])
        if question is None or qid != question_id:
            raise RoomError(REFUSALS[-5])
        value = check_answer(json.loads(question), answer)
        self._run("answer", code, seat, question_id, json.dumps(value))  # re-checks atomically

    def my_answer(self, code, seat, question_id):
        code = normalize_code(code)
        room, _, answers = self._keys(code)[:3]
        if not isinstance(seat, str):
            return None
        with _redis_errors(), self.redis.pipeline(transaction=False) as pipe:
            qid, value = pipe.hget(room, "qid").hget(answers, seat).execute()
        return json.loads(value) if value is not None and qid == question_id else None

    def tally(self, code, teacher) -> Tally:
        self._teacher(code, teacher, "touch")
        return self._tally(normalize_code(code))

    def reveal(self, code, teacher) -> Tally:
        code = normalize_code(code)
        if self._teacher(code, teacher, "reveal") == 1:  # 2: it was revealed already, nothing changed
            self.changes.announce(code, CHANGE_QUESTION)
        return self._tally(code)

    def student_count(self, code) -> int:
        code = normalize_code(code)
        room = self._keys(code)
        with _redis_errors(), self.redis.pipeline(transaction=False) as pipe:
            exists, count = pipe.exists(room[0]).scard(room[1]).execute()
        if not exists:
            raise no_room(code)
        return count

    def on_change(self, callback) -> None:
        self.changes.listen(callback)
