"""The room store's behaviour, the same for the in-process store and for Redis.

Every test runs against both: `MemoryStore` with an injected clock, and `RedisStore`
against a real redis-server on a free loopback port (tests/fixtures_servers.py),
where time passes for real (short TTLs). Expected values are written out by hand
from the rules in cevis_app/rooms/store.py, never read back from the store.
"""

import json
import string
import threading
import time
import uuid

import pytest

from cevis_app.rooms.memory import MemoryStore
from cevis_app.rooms.store import CODE_ALPHABET
from cevis_app.rooms.store import MAX_STATE_BYTES
from cevis_app.rooms.store import RoomError
from cevis_app.rooms.store import secret_digest

ESTIMATE = {"kind": "estimate", "text": "What is the loss?", "low": 0, "high": 10, "truth": 1.25}
CHOICE = {"kind": "choice", "text": "Which way does p(cat) go?", "choices": ["up", "down", "stays"],
          "truth": 1}
SHORT_TTL = 2.0  # s, for the expiry tests: Redis expires for real, so keep margins ≥ 0.8 s


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(params=["memory", "redis"])
def make(request):
    """make(**limits) -> (store, advance): advance(seconds) lets time pass for that store."""
    if request.param == "memory":
        clock = FakeClock()

        def advance(seconds):
            clock.now += seconds

        return lambda **kw: (MemoryStore(clock=clock, **kw), advance)
    from cevis_app.rooms.redis_store import RedisStore

    url = request.getfixturevalue("redis_url")
    prefix = f"test:{uuid.uuid4().hex}:"  # each test its own rooms on the shared server
    return lambda **kw: (RedisStore(url, prefix=prefix, **kw), time.sleep)


@pytest.fixture
def store(make):
    return make()[0]


@pytest.fixture
def room(store):
    code, secret = store.create_room()
    return store, code, secret


# ---------------------------------------------------------------- codes and secrets
def test_codes_are_six_readable_characters_and_secrets_long(store):
    rooms = [store.create_room() for _ in range(20)]
    codes = {code for code, _ in rooms}
    assert len(codes) == 20
    for code, secret in rooms:
        assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01OIL")
        assert len(secret) >= 32 and set(secret) <= set(string.ascii_letters + string.digits + "-_")


def test_a_code_is_accepted_in_lower_case_with_spaces_and_a_dash(room):
    store, code, _ = room
    typed = f" {code[:3].lower()}-{code[3:].lower()} "
    assert store.join(typed)
    assert store.student_count(code) == 1


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFG", "ABCDE0", "ABCDEI", "ABC/EF", "é" * 6,
                                   None, 123456, "A" * 500])
def test_a_malformed_code_gets_the_format_message(store, typed):
    with pytest.raises(RoomError, match="A room code is 6 letters and digits"):
        store.join(typed)


def test_a_wrong_and_an_expired_code_get_the_same_message(make):
    store, advance = make(ttl=SHORT_TTL)
    code, _ = store.create_room()
    unused = next(c * 6 for c in CODE_ALPHABET if c * 6 != code)
    with pytest.raises(RoomError) as wrong:
        store.read(unused, -1)
    advance(SHORT_TTL + 0.5)
    with pytest.raises(RoomError) as expired:
        store.read(code, -1)
    assert str(wrong.value).replace(unused, "<code>") == str(expired.value).replace(code, "<code>")
    assert str(expired.value).startswith(f"No open room has the code {code}.")


# ---------------------------------------------------------------- publish and read
def test_publish_bumps_the_version_and_read_returns_the_state_or_none(room):
    store, code, secret = room
    first = store.read(code, -1)
    assert (first.version, first.state, first.question) == (0, {}, None)
    assert store.read(code, 0) is None
    state = {"explorer.z0": 2.5, "explorer.names": ["cat", "dog"], "page": "explorer", "T": 1}
    assert store.publish(code, secret, state) == 1
    assert store.publish(code, secret, {**state, "explorer.z0": -1.0}) == 2
    assert store.read(code, 2) is None
    snap = store.read(code, 1)
    assert snap.version == 2
    assert snap.state == {"explorer.z0": -1.0, "explorer.names": ["cat", "dog"], "page": "explorer", "T": 1}


def test_readers_get_copies_not_the_shared_state(room):
    store, code, secret = room
    state = {"names": ["a", "b"]}
    store.publish(code, secret, state)
    state["names"].append("mutated after publishing")
    store.read(code, 0).state["names"].append("mutated by a reader")
    assert store.read(code, 0).state == {"names": ["a", "b"]}


def test_nothing_a_student_reads_carries_the_secret(room):
    store, code, secret = room
    store.publish(code, secret, {"a": 1})
    store.ask(code, secret, ESTIMATE)
    text = json.dumps(store.read(code, -1))
    assert secret not in text and secret_digest(secret) not in text


@pytest.mark.parametrize("secret", ["wrong", "", None, 12, "x" * 10_000])
def test_only_the_teacher_can_publish_ask_tally_or_reveal(room, secret):
    store, code, real = room
    store.ask(code, real, ESTIMATE)
    student = store.join(code)
    for act in (lambda s: store.publish(code, s, {"a": 1}), lambda s: store.ask(code, s, CHOICE),
                lambda s: store.tally(code, s), lambda s: store.reveal(code, s)):
        for attempt in (secret, student):
            with pytest.raises(RoomError, match="Only the teacher who opened this room"):
                act(attempt)
    snap = store.read(code, -1)
    assert snap.version == 1 and snap.state == {} and snap.question["revealed"] is False


def test_another_rooms_secret_does_not_drive_this_room(store):
    code, _ = store.create_room()
    _, other_secret = store.create_room()
    with pytest.raises(RoomError, match="Only the teacher"):
        store.publish(code, other_secret, {"a": 1})


# ---------------------------------------------------------------- state validation
@pytest.mark.parametrize("state, message", [
    ([1, 2], "must be a dict"),
    ({"z": float("nan")}, "only finite numbers"),
    ({"z": [1.0, float("inf")]}, "only finite numbers"),
    ({"z": -float("inf")}, "only finite numbers"),
    ({1: "a"}, "names must be text"),
    ({"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}}, "nested deeper than 6"),
    ({"a": {1, 2}}, "JSON values only, not set"),
    ({"a": (1, 2)}, "JSON values only, not tuple"),
    ({"a": b"bytes"}, "JSON values only, not bytes"),
    ({"a": 2**60}, "beyond ±2\\*\\*53"),
    ({"a": "\ud800"}, "plain JSON text"),
    ({"a": [0] * 20_000}, "larger than 16,384 bytes"),
])
def test_a_bad_state_is_refused_with_a_clear_message_and_nothing_changes(room, state, message):
    store, code, secret = room
    with pytest.raises(RoomError, match=message):
        store.publish(code, secret, state)
    assert store.read(code, 0) is None


def test_the_state_size_limit_counts_utf8_bytes_of_compact_json(room):
    store, code, secret = room
    overhead = len('{"s":""}')
    store.publish(code, secret, {"s": "x" * (MAX_STATE_BYTES - overhead)})  # exactly at the limit
    with pytest.raises(RoomError, match=f"is {MAX_STATE_BYTES + 1:,} bytes of JSON"):
        store.publish(code, secret, {"s": "x" * (MAX_STATE_BYTES - overhead + 1)})
    with pytest.raises(RoomError, match=f"is {MAX_STATE_BYTES + 1:,} bytes"):  # é is two bytes
        store.publish(code, secret, {"s": "é" * ((MAX_STATE_BYTES - overhead) // 2) + "x"})
    assert store.read(code, 0).version == 1


# ---------------------------------------------------------------- questions and answers
def test_a_question_is_shown_without_its_truth_until_revealed(room):
    store, code, secret = room
    qid = store.ask(code, secret, ESTIMATE)
    snap = store.read(code, 0)
    assert snap.version == 1
    assert snap.question == {"kind": "estimate", "text": "What is the loss?", "low": 0.0, "high": 10.0,
                             "id": qid, "revealed": False}
    store.reveal(code, secret)
    snap = store.read(code, 1)
    assert snap.version == 2 and snap.question["revealed"] is True and snap.question["truth"] == 1.25
    store.reveal(code, secret)  # revealing again changes nothing
    assert store.read(code, 2) is None


def test_answers_are_tallied_sorted_and_a_new_answer_replaces_the_old(room):
    store, code, secret = room
    qid = store.ask(code, secret, ESTIMATE)
    students = [store.join(code) for _ in range(4)]
    for sid, value in zip(students, [3, 0.5, 10, 7.25]):
        store.post_answer(code, sid, qid, value)
    store.post_answer(code, students[0], qid, 2)  # re-answer
    tally = store.tally(code, secret)
    assert tally.answers == (0.5, 2.0, 7.25, 10.0)
    assert tally.students == 4 and tally.revealed is False
    assert tally.question["truth"] == 1.25 and tally.question["id"] == qid
    final = store.reveal(code, secret)
    assert final.answers == (0.5, 2.0, 7.25, 10.0) and final.revealed is True


def test_choice_answers_are_indices(room):
    store, code, secret = room
    qid = store.ask(code, secret, CHOICE)
    a, b = store.join(code), store.join(code)
    store.post_answer(code, a, qid, 2)
    store.post_answer(code, b, qid, 0)
    assert store.tally(code, secret).answers == (0, 2)


@pytest.mark.parametrize("answer", [-0.01, 10.5, float("nan"), float("inf"), -float("inf"), True, "5",
                                    None, [5], 1e308 * 10])
def test_a_bad_estimate_is_refused_with_its_range(room, answer):
    store, code, secret = room
    qid = store.ask(code, secret, ESTIMATE)
    sid = store.join(code)
    with pytest.raises(RoomError, match="a number from 0 to 10"):
        store.post_answer(code, sid, qid, answer)
    assert store.tally(code, secret).answers == ()


@pytest.mark.parametrize("answer", [-1, 3, 1.0, True, "1", None])
def test_a_bad_choice_is_refused(room, answer):
    store, code, secret = room
    qid = store.ask(code, secret, CHOICE)
    sid = store.join(code)
    with pytest.raises(RoomError, match="one of the 3 choices"):
        store.post_answer(code, sid, qid, answer)


def test_answers_need_a_joined_student_and_the_open_question(room):
    store, code, secret = room
    old = store.ask(code, secret, ESTIMATE)
    sid = store.join(code)
    store.post_answer(code, sid, old, 4)
    for stranger in ("made-up-id", None, 5):
        with pytest.raises(RoomError, match="Join the room before answering"):
            store.post_answer(code, stranger, old, 4)
    new = store.ask(code, secret, CHOICE)
    assert new != old
    assert store.tally(code, secret).answers == ()  # a new question starts empty
    for stale in (old, "q99", None):
        with pytest.raises(RoomError, match="no longer open"):
            store.post_answer(code, sid, stale, 1)
    store.reveal(code, secret)
    with pytest.raises(RoomError, match="answers are closed"):
        store.post_answer(code, sid, new, 1)


def test_a_student_id_from_another_room_cannot_answer_here(store):
    here, secret = store.create_room()
    qid = store.ask(here, secret, ESTIMATE)
    other, _ = store.create_room()
    with pytest.raises(RoomError, match="Join the room"):
        store.post_answer(here, store.join(other), qid, 1)


def test_reveal_needs_a_question(room):
    store, code, secret = room
    with pytest.raises(RoomError, match="no question to reveal"):
        store.reveal(code, secret)


@pytest.mark.parametrize("question, message", [
    ({**ESTIMATE, "kind": "poll"}, "kind must be one of"),
    ({**ESTIMATE, "text": "  "}, "a text of 1 to 300"),
    ({**ESTIMATE, "text": "x" * 301}, "a text of 1 to 300"),
    ({**ESTIMATE, "low": 5, "high": 5}, "low < high"),
    ({**ESTIMATE, "high": float("inf")}, "high must be a finite number"),
    ({**ESTIMATE, "truth": float("nan")}, "truth must be a finite number"),
    ({**CHOICE, "choices": ["only one"]}, "2 to 8 choices"),
    ({**CHOICE, "choices": ["a", ""]}, "2 to 8 choices"),
    ({**CHOICE, "truth": 3}, "choice number from 0 to 2"),
    ("What is the loss?", "must be a dict"),
])
def test_a_bad_question_is_refused(room, question, message):
    store, code, secret = room
    with pytest.raises(RoomError, match=message):
        store.ask(code, secret, question)
    assert store.read(code, 0) is None


# ---------------------------------------------------------------- limits and expiry
def test_a_room_is_full_at_max_students(make):
    store, _ = make(max_students=3)
    code, _ = store.create_room()
    for _ in range(3):
        store.join(code)
    with pytest.raises(RoomError, match="This room is full \\(3 students\\)"):
        store.join(code)
    assert store.student_count(code) == 3


def test_at_most_max_rooms_and_expired_rooms_make_space(make):
    store, advance = make(max_rooms=2, ttl=SHORT_TTL)
    store.create_room()
    store.create_room()
    with pytest.raises(RoomError, match="Too many rooms"):
        store.create_room()
    advance(SHORT_TTL + 0.5)
    store.create_room()


def test_writes_keep_a_room_open_and_polls_do_not(make):
    store, advance = make(ttl=SHORT_TTL)
    code, secret = store.create_room()
    advance(0.6 * SHORT_TTL)
    store.publish(code, secret, {"a": 1})  # activity: the room lives SHORT_TTL from now
    advance(0.6 * SHORT_TTL)  # 1.2 TTL after creation
    assert store.read(code, -1).state == {"a": 1}
    store.read(code, 1)
    store.student_count(code)
    advance(0.6 * SHORT_TTL)  # 1.2 TTL after the publish; the reads did not count
    for act in (lambda: store.read(code, 1), lambda: store.join(code), lambda: store.student_count(code),
                lambda: store.publish(code, secret, {}), lambda: store.tally(code, secret)):
        with pytest.raises(RoomError, match="No open room has the code"):
            act()


def test_concurrent_joins_and_answers_are_all_counted(room):
    store, code, secret = room
    qid = store.ask(code, secret, ESTIMATE)
    errors = []

    def student(value):
        try:
            sid = store.join(code)
            store.post_answer(code, sid, qid, value)
            store.post_answer(code, sid, qid, value + 0.5)
        except Exception as exc:  # collected: a thread's exception would be lost
            errors.append(exc)

    threads = [threading.Thread(target=student, args=(float(i % 9),)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    tally = store.tally(code, secret)
    assert tally.students == 40
    assert tally.answers == tuple(sorted(i % 9 + 0.5 for i in range(40)))


# ---------------------------------------------------------------- the factory
def test_get_store_is_one_in_process_store_without_redis_url():
    from cevis_app.rooms.factory import get_store

    first = get_store({})
    assert isinstance(first, MemoryStore) and get_store({}) is first


def test_get_store_uses_redis_when_the_url_is_set(redis_url):
    from cevis_app.rooms.factory import get_store
    from cevis_app.rooms.redis_store import RedisStore

    store = get_store({"CEVIS_REDIS_URL": redis_url})
    assert isinstance(store, RedisStore)
    code, secret = store.create_room()
    assert store.publish(code, secret, {"a": 1}) == 1


def test_an_unreachable_redis_is_a_room_error_not_a_traceback(redis_url):
    from fixtures_servers import free_port

    from cevis_app.rooms.redis_store import RedisStore

    assert redis_url  # the fixture fails in CI (skips elsewhere) without redis-py
    store = RedisStore(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(RoomError, match="did not answer"):
        store.create_room()


# ---------------------------------------------------------------- announcements
ANNOUNCE_TIMEOUT = 10.0  # s for an announcement to cross a real redis-server on a busy machine


def _heard(store):
    """Start listening; wait (Redis) until the listener is subscribed; the list it fills."""
    heard = []
    store.on_change(lambda code, kind: heard.append((code, kind)))
    if hasattr(store, "changes"):  # RedisStore: pub/sub drops what is sent before subscribing
        deadline = time.monotonic() + ANNOUNCE_TIMEOUT
        while dict(store.redis.pubsub_numsub(store.changes.channel))[store.changes.channel] < 1:
            assert time.monotonic() < deadline, "the change listener never subscribed"
            time.sleep(0.02)
    return heard


def _wait_for(heard, count):
    deadline = time.monotonic() + ANNOUNCE_TIMEOUT
    while len(heard) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # and nothing more arrives
    return list(heard)


def test_publish_ask_and_reveal_are_announced_and_nothing_else(store):
    heard = _heard(store)
    code, secret = store.create_room()
    student = store.join(code.lower())
    assert store.read(code, -1).version == 0
    store.publish(code, secret, {"page": "explorer"})
    qid = store.ask(code, secret, ESTIMATE)
    store.post_answer(code, student, qid, 2.0)
    store.tally(code, secret)
    store.reveal(code, secret)
    store.reveal(code, secret)  # already revealed: nothing changes, nothing announced
    with pytest.raises(RoomError):
        store.publish(code, "not the secret", {"page": "binary"})
    assert _wait_for(heard, 3) == [(code, "view"), (code, "question"), (code, "question")]


def test_a_listener_that_raises_does_not_undo_the_write_or_silence_the_others(store):
    def broken(code, kind):
        raise RuntimeError("listener bug")

    store.on_change(broken)
    heard = _heard(store)
    code, secret = store.create_room()
    assert store.publish(code, secret, {"page": "binary"}) == 1
    assert store.read(code, 0).state == {"page": "binary"}
    assert _wait_for(heard, 1) == [(code, "view")]


def test_another_process_store_hears_this_ones_announcements(redis_url):
    # Two RedisStore objects on one server stand for two worker processes.
    from cevis_app.rooms.redis_store import RedisStore

    prefix = f"test:{uuid.uuid4().hex}:"
    teacher_side, student_side = RedisStore(redis_url, prefix=prefix), RedisStore(redis_url, prefix=prefix)
    heard = _heard(student_side)
    code, secret = teacher_side.create_room()
    teacher_side.publish(code, secret, {"page": "explorer"})
    other_prefix = RedisStore(redis_url, prefix=f"test:{uuid.uuid4().hex}:")  # another deployment
    other_code, other_secret = other_prefix.create_room()
    other_prefix.publish(other_code, other_secret, {})
    assert _wait_for(heard, 1) == [(code, "view")]


@pytest.mark.parametrize("message", ["K7PQ2M", "K7PQ2M delete", "k7pq2m view extra", "0OIL11 view",
                                     "K7PQ2M view " + "x" * 100, None, 7])
def test_a_stray_message_on_the_channel_is_ignored(message):
    from cevis_app.rooms.redis_changes import parse

    assert parse(message) is None
