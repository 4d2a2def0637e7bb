"""The room store protocol: what a teacher and a class share, whatever holds it.

A room is a code (shown on the projector), a teacher secret (kept by the teacher's
session only), a published view state with a version number, at most one open
question, and the class's anonymous answers to it. Two stores implement the same
behaviour: `memory.MemoryStore` (one process; the default) and
`redis_store.RedisStore` (several server processes share rooms through Redis).

Rules every store keeps:
- a room is reachable only by its exact code; a wrong and an expired code get the
  same "no such room" answer;
- only the holder of the teacher secret can publish, ask, tally or reveal;
- a student's answer is validated against the open question; one answer per
  student per question, a new answer replaces the old;
- a room expires after `ROOM_TTL_SECONDS` without a write (publish, ask, reveal,
  tally, join, answer); polling reads do not keep it alive;
- a write that changes what students read (publish: CHANGE_VIEW; ask and reveal:
  CHANGE_QUESTION) is announced to every `on_change` listener of every process
  sharing the store, so a class follows at once instead of at its next poll.
"""

from __future__ import annotations

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
CHANGE_VIEW, CHANGE_QUESTION = "view", "question"  # what an announced change was (see on_change)


class RoomError(Exception):
    """A plain-text message for the person who caused it (wrong code, bad answer, ...)."""


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
    answers: tuple  # one value per answering student, sorted: no order to link to a student
    students: int  # how many joined the room
    revealed: bool


class RoomStore(Protocol):
    """The operations a page uses; `code` is what a person typed, `secret` the teacher's."""

    def create_room(self) -> tuple[str, str]:
        """A new room: (code, teacher_secret). The room starts at version 0, state {}."""

    def join(self, code: str) -> str:
        """An anonymous student id for this room (counted by `student_count`)."""

    def publish(self, code: str, secret: str, state: dict) -> int:
        """Replace the room's state; returns the new version."""

    def read(self, code: str, since_version: int) -> Snapshot | None:
        """None if the version is still `since_version` (one cheap lookup), else a Snapshot."""

    def ask(self, code: str, secret: str, question: dict) -> str:
        """Open a question (see checks.check_question), dropping earlier answers; its id."""

    def post_answer(self, code: str, student_id: str, question_id: str, answer) -> None:
        """Record (or replace) this student's answer to the open question."""

    def tally(self, code: str, secret: str) -> Tally:
        """The open question's answers so far (the teacher only)."""

    def reveal(self, code: str, secret: str) -> Tally:
        """Close the question to answers and show its truth to the class; the final tally."""

    def student_count(self, code: str) -> int:
        """How many students joined."""

    def on_change(self, callback) -> None:
        """After every publish, ask or reveal in any process sharing the store, call
        ``callback(code, kind)`` (kind: CHANGE_VIEW or CHANGE_QUESTION), from any thread.

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


def secret_digest(secret: str) -> str:
    """sha256 of the secret: stores keep this, so a leaked store dump cannot drive a room."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def check_secret(given, digest: str) -> None:
    """RoomError unless `given` is the secret behind `digest` (constant-time comparison)."""
    ok = isinstance(given, str) and len(given) < 200 and hmac.compare_digest(secret_digest(given), digest)
    if not ok:
        raise RoomError("Only the teacher who opened this room can do that.")


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
