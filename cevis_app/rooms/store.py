"""The room store protocol: what a teacher and a class share, whatever holds it.

A room is a code (shown on the projector), the teachers' credentials (digests only),
a published view state with a version number, at most one open question, and the
class's anonymous answers to it. Two stores implement the same behaviour:
`memory.MemoryStore` (one process; the default) and `redis_store.RedisStore`
(several server processes share rooms through Redis).

Identity lives in the browser, not in the server session: every browser holds a
random device token (a cookie, see widgets/identity.py). A student's seat is derived
from the room and the device, so a reload, a new tab, a re-join under any spelling of
the code or a worker's death is the same seat with the same answer. The teacher is
known by the device that opened the room (or claimed it with a one-time teacher link).

Rules every store keeps:
- a room is reachable only by its exact code; a wrong and an expired code get the
  same "no such room" answer; an ended room answers RoomEnded to its class, and to a
  new join the same "no such room" as any other code;
- only a teacher credential (the opening device, a claimed device, or the secret
  create_room returns) can publish, ask, tally, reveal, make a teacher link or end;
- a student's answer is validated against the open question; one answer per seat
  per question, a new answer replaces the old;
- a room expires after `ROOM_TTL_SECONDS` without a teacher's action; the class's
  joins, answers and reads do not keep it alive (a student cannot hold a room open);
- abuse bounds hold across sessions: rooms opened per device and per address per
  hour, wrong codes per device and per address per minute, seats per address per room
  (see the constants below and README);
- a write that changes what students read (publish: CHANGE_VIEW; ask and reveal:
  CHANGE_QUESTION; end: CHANGE_ENDED) is announced to every `on_change` listener of
  every process sharing the store, so a class follows at once instead of at its next poll.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
from typing import NamedTuple
from typing import Protocol

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: readable off a projector
CODE_LENGTH = 6  # 31**6 ≈ 8.9e8 codes: guessing one of 1,000 open rooms takes ~900,000 tries
ROOM_TTL_SECONDS = 3 * 3600  # a class period and then some; idle rooms free their memory
MAX_ROOMS = 1000  # per store; x MAX_STATE_BYTES bounds the state memory at ~16 MB
MAX_STUDENTS = 300  # per room: a lecture hall, not a broadcast
MAX_STATE_BYTES = 16_384  # UTF-8 JSON of a published state; a view state is ~300 bytes
SECRET_BYTES = 24  # token_urlsafe(24): 192 random bits for the teacher secret
STUDENT_ID_BYTES = 12  # 96 bits: a student cannot answer in another student's name
CHANGE_VIEW, CHANGE_QUESTION, CHANGE_ENDED = "view", "question", "ended"  # see on_change
MAX_TEACHERS = 8  # devices that may drive one room (a laptop, a tablet, a colleague's, ...)
PRESENT_SECONDS = 30.0  # a seat is "here" if its browser was heard from this recently
ENDED_SECONDS = 3600.0  # how long an ended room's class is told "ended" (then: no such room)


@dataclasses.dataclass(frozen=True)
class Bounds:
    """The abuse bounds, per device (one browser) and per client address, never per session
    (a new session or a cleared cache must not reset them). A school's class shares one
    address, so the address bounds are generous. Tests pass smaller ones.
    """

    rooms_per_device_hour: int = 10  # a teacher opens a room or two a lesson; 10 allows mistakes
    rooms_per_address_hour: int = 60  # a staff room of teachers behind one NAT
    wrong_codes_per_device_minute: int = 10  # typos, not guessing: 31**6 codes need ~900,000 tries
    wrong_codes_per_address_minute: int = 60  # a class of 100 mistyping at once still gets in
    seats_per_address: int = 200  # per room: a class of 100 behind one NAT with room to spare;
    # one visitor forging device tokens cannot take all MAX_STUDENTS seats alone
    present_seconds: float = PRESENT_SECONDS  # see Tally.here


class RoomError(Exception):
    """A plain-text message for the person who caused it (wrong code, bad answer, ...)."""


class RoomEnded(RoomError):
    """The teacher ended this room: its class is told so, and it takes no more answers."""


class RoomUnavailable(RoomError):
    """The room store did not answer (Redis stalled, restarting, or full): a passing fault.

    Not a verdict on the room: a page keeps its seat and tries again later, never leaves
    the room because of it.
    """


class Snapshot(NamedTuple):
    """What a student reads: the published state, and the open question without its answer."""

    version: int
    state: dict
    question: dict | None  # public_question(...): no "truth" until revealed


class Tally(NamedTuple):
    """What the teacher reads: the question (with its truth) and the answers, sorted."""

    question: dict | None
    answers: tuple  # one value per answering seat, sorted: no order to link to a student
    students: int  # seats taken in the room (joined in total)
    revealed: bool
    here: int = 0  # seats heard from in the last PRESENT_SECONDS


class RoomStore(Protocol):
    """The operations a page uses; `code` is what a person typed.

    `teacher` is a teacher credential: the device token of a teacher's browser (or the
    secret create_room returns). `device` is a browser's device token, `address` the
    client's network address (for the abuse bounds; None if unknown).
    """

    def create_room(self, device: str | None = None, address: str | None = None) -> tuple[str, str]:
        """A new room: (code, teacher_secret); `device` becomes its teacher. Version 0, state {}."""

    def teacher_link(self, code: str, teacher: str) -> str:
        """A fresh one-time secret that `claim` turns into teacher rights (the old one stops working)."""

    def claim(self, code: str, secret: str, device: str) -> None:
        """With a teacher link's secret: `device` becomes a teacher of the room (once per link)."""

    def is_teacher(self, code: str, teacher) -> bool:
        """Whether `teacher` is a credential of this room (False for a room that is gone)."""

    def join(self, code: str, device: str | None = None, address: str | None = None) -> str:
        """This device's seat in the room (the same seat every time; a new device None)."""

    def whereabouts(self, device: str) -> tuple[str, str] | None:
        """(code, "teacher"|"student") of the room this device was last in, if it is still open."""

    def leave(self, code: str, device: str) -> None:
        """Forget this device's whereabouts (its seat and answers stay in the room)."""

    def heartbeat(self, code: str, seat: str) -> None:
        """The seat's browser is here now (see Tally.here)."""

    def publish(self, code: str, teacher: str, state: dict) -> int:
        """Replace the room's state; returns the new version."""

    def read(self, code: str, since_version: int) -> Snapshot | None:
        """None if the version is still `since_version` (one cheap lookup), else a Snapshot."""

    def ask(self, code: str, teacher: str, question: dict) -> str:
        """Open a question (see checks.check_question), dropping earlier answers; its id."""

    def post_answer(self, code: str, seat: str, question_id: str, answer) -> None:
        """Record (or replace) this seat's answer to the open question."""

    def my_answer(self, code: str, seat: str, question_id: str):
        """This seat's answer to the question, or None."""

    def tally(self, code: str, teacher: str) -> Tally:
        """The open question's answers so far (the teacher only)."""

    def reveal(self, code: str, teacher: str) -> Tally:
        """Close the question to answers and show its truth to the class; the final tally."""

    def student_count(self, code: str) -> int:
        """How many seats are taken."""

    def end_room(self, code: str, teacher: str) -> None:
        """Delete the room; its class reads RoomEnded, and the code stops working."""

    def on_change(self, callback) -> None:
        """After every publish, ask, reveal or end in any process sharing the store, call
        ``callback(code, kind)`` (kind: CHANGE_VIEW, CHANGE_QUESTION or CHANGE_ENDED), from
        any thread.

        The callback must return quickly and not raise; an announcement can be lost (a
        Redis reconnect), so a reader still polls now and then.
        """


def new_code() -> str:
    """A random room code from CODE_ALPHABET, drawn with `secrets` (not guessable from others)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def new_student_id() -> str:
    return secrets.token_urlsafe(STUDENT_ID_BYTES)


def seat_of(code: str, device: str) -> str:
    """The seat of a device in a room: stable for that pair, unlinkable to the token or across rooms.

    >>> seat_of("K7PQ2M", "token") == seat_of("K7PQ2M", "token") != seat_of("K7PQ2N", "token")
    True
    """
    return hashlib.sha256(f"seat:{code}:{device}".encode("utf-8", "surrogatepass")).hexdigest()[:24]


def valid_token(value) -> bool:
    """A device token or secret as browsers send them: 16 to 64 URL-safe characters.

    >>> valid_token("a" * 22), valid_token("a b" * 8), valid_token(None)
    (True, False, False)
    """
    return (isinstance(value, str) and 16 <= len(value) <= 64
            and all(c.isascii() and (c.isalnum() or c in "-_") for c in value))


def address_key(address) -> str:
    """A client address as the bounds count it (hashed: stores keep no addresses)."""
    text = address if isinstance(address, str) and address else "unknown"
    return hashlib.sha256(f"addr:{text[:64]}".encode("utf-8", "surrogatepass")).hexdigest()[:24]


def secret_digest(secret: str) -> str:
    """sha256 of the secret: stores keep this, so a leaked store dump cannot drive a room."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def is_credential(given, digests) -> bool:
    """Whether `given` is a secret behind one of `digests` (constant-time comparisons)."""
    if not isinstance(given, str) or len(given) >= 200:
        return False
    mine = secret_digest(given)
    return any([hmac.compare_digest(mine, d) for d in digests])  # a list: no early exit


def check_secret(given, digests) -> None:
    """RoomError unless `given` is a teacher credential of the room (`digests`: a digest or several)."""
    if not is_credential(given, [digests] if isinstance(digests, str) else digests):
        raise RoomError("Only the teacher who opened this room can do that.")


TOO_MANY_ROOMS = "You opened many rooms in the last hour: end the ones you do not need, or wait."
TOO_MANY_CODES = "Too many wrong codes from this browser or network: wait a minute and try again."
TOO_MANY_SEATS = "Too many students joined this room from one network."


def normalize_code(text) -> str:
    """The code in canonical form: upper case, spaces and dashes dropped; RoomError if malformed.

    >>> normalize_code(" k7pq-2m ")
    'K7PQ2M'
    """
    if not isinstance(text, str) or len(text) > 4 * CODE_LENGTH:
        raise RoomError(CODE_FORMAT_MESSAGE)
    code = text.strip().upper().replace(" ", "").replace("-", "")
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise RoomError(CODE_FORMAT_MESSAGE)
    return code


CODE_FORMAT_MESSAGE = (f"A room code is {CODE_LENGTH} letters and digits, like K7PQ2M: "
                       "check the code the teacher shows.")


def no_room(code: str) -> RoomError:
    """The one answer for a code that never existed and for one that expired (no oracle)."""
    hours = ROOM_TTL_SECONDS / 3600
    return RoomError(f"No open room has the code {code}. Check the code; a room closes after "
                     f"{hours:g} hours without activity.")
