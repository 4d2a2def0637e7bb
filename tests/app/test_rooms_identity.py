# ruff: noqa: F811  (`make` is test_rooms_store's fixture, imported so both files share it)
"""Rooms know browsers, not sessions: seats, the teacher's devices, presence, ending, abuse bounds.

Every test runs against both stores (the `make` fixture of test_rooms_store.py: the
in-process store on an injected clock, RedisStore on a real redis-server). Expected
values are written out from the rules in cevis_app/rooms/store.py.
"""

import pytest

from cevis_app.rooms.store import Bounds
from cevis_app.rooms.store import RoomEnded
from cevis_app.rooms.store import RoomError
from tests.app.test_rooms_store import CHOICE
from tests.app.test_rooms_store import ESTIMATE
from tests.app.test_rooms_store import SHORT_TTL
from tests.app.test_rooms_store import make  # noqa: F401

PHONE, OTHER_PHONE, LAPTOP, TABLET = ("phone-token-" + "a" * 12, "phone-token-" + "b" * 12,
                                      "laptop-token-" + "c" * 11, "tablet-token-" + "d" * 11)
SCHOOL = "203.0.113.7"  # one address for a whole class (documentation range, never contacted)


@pytest.fixture
def room(make):
    store, advance = make()
    code, secret = store.create_room(LAPTOP, SCHOOL)
    return store, code, secret, advance


# ---------------------------------------------------------------- a student is a browser
def test_a_reload_or_another_spelling_of_the_code_is_the_same_seat(room):
    store, code, _, _ = room
    seat = store.join(code, PHONE, SCHOOL)
    for typed in (code, code.lower(), f"{code[:3]}-{code[3:]}", f" {code.lower()} "):
        assert store.join(typed, PHONE, SCHOOL) == seat
    assert store.join(code, OTHER_PHONE, SCHOOL) != seat
    assert store.student_count(code) == 2


def test_forty_rejoins_from_one_browser_are_one_student_with_one_answer(room):
    store, code, secret, _ = room
    qid = store.ask(code, LAPTOP, ESTIMATE)
    for value in range(40):
        seat = store.join(code, PHONE, SCHOOL)
        store.post_answer(code, seat, qid, value % 10)
    tally = store.tally(code, secret)
    assert (tally.students, tally.answers) == (1, (9.0,))


def test_a_rejoined_seat_finds_its_answer(room):
    store, code, _, _ = room
    qid = store.ask(code, LAPTOP, CHOICE)
    store.post_answer(code, store.join(code, PHONE), qid, 2)
    seat = store.join(code, PHONE)
    assert store.my_answer(code, seat, qid) == 2
    assert store.my_answer(code, store.join(code, OTHER_PHONE), qid) is None
    assert store.my_answer(code, seat, "q99") is None


def test_whereabouts_bring_a_reloaded_browser_back_to_its_room(room):
    store, code, _, _ = room
    assert store.whereabouts(LAPTOP) == (code, "teacher")
    assert store.whereabouts(PHONE) is None
    store.join(code, PHONE)
    assert store.whereabouts(PHONE) == (code, "student")
    store.leave(code, PHONE)
    assert store.whereabouts(PHONE) is None
    assert store.whereabouts(LAPTOP) == (code, "teacher")


# ---------------------------------------------------------------- the teacher is a browser
def test_the_opening_device_is_the_teacher_and_a_student_is_not(room):
    store, code, secret, _ = room
    assert store.is_teacher(code, LAPTOP) and store.is_teacher(code, secret)
    store.join(code, PHONE)
    assert not store.is_teacher(code, PHONE)
    assert store.publish(code, LAPTOP, {"page": "explorer"}) == 1
    with pytest.raises(RoomError, match="Only the teacher"):
        store.publish(code, PHONE, {"page": "room"})


def test_a_teacher_link_works_once_on_another_device(room):
    store, code, _, _ = room
    link = store.teacher_link(code, LAPTOP)
    with pytest.raises(RoomError, match="Only the teacher"):
        store.teacher_link(code, PHONE)
    store.claim(code, link, TABLET)
    assert store.is_teacher(code, TABLET) and store.whereabouts(TABLET) == (code, "teacher")
    store.publish(code, TABLET, {"from": "tablet"})
    with pytest.raises(RoomError, match="has been used or replaced"):
        store.claim(code, link, PHONE)
    older, newer = store.teacher_link(code, TABLET), store.teacher_link(code, TABLET)
    with pytest.raises(RoomError, match="has been used or replaced"):
        store.claim(code, older, PHONE)
    store.claim(code, newer, OTHER_PHONE)
    assert not store.is_teacher(code, PHONE) and store.is_teacher(code, OTHER_PHONE)


@pytest.mark.parametrize("forged", ["", None, 7, "x" * 500, "a" * 32])
def test_a_forged_teacher_link_is_refused(room, forged):
    store, code, _, _ = room
    store.teacher_link(code, LAPTOP)
    with pytest.raises(RoomError, match="has been used or replaced"):
        store.claim(code, forged, PHONE)
    assert not store.is_teacher(code, PHONE)


# ---------------------------------------------------------------- presence
def test_here_counts_seats_heard_from_recently_and_joined_counts_all(make):
    store, advance = make(bounds=Bounds(present_seconds=1.0))
    code, secret = store.create_room(LAPTOP)
    seats = [store.join(code, token) for token in (PHONE, OTHER_PHONE, TABLET)]
    tally = store.tally(code, secret)
    assert (tally.students, tally.here) == (3, 3)
    advance(1.3)
    store.heartbeat(code, seats[0])
    store.heartbeat(code, "not-a-seat")
    tally = store.tally(code, secret)
    assert (tally.students, tally.here) == (3, 1)


# ---------------------------------------------------------------- a room's life
def test_the_class_cannot_keep_a_room_open_only_the_teacher_can(make):
    store, advance = make(ttl=SHORT_TTL)
    code, _ = store.create_room(LAPTOP)
    qid = store.ask(code, LAPTOP, ESTIMATE)
    advance(0.6 * SHORT_TTL)
    seat = store.join(code, PHONE)
    store.post_answer(code, seat, qid, 1.0)
    store.heartbeat(code, seat)
    advance(0.6 * SHORT_TTL)  # 1.2 TTL after the teacher's last action
    with pytest.raises(RoomError, match="No open room"):
        store.join(code, OTHER_PHONE)


def test_ending_a_room_tells_the_class_refuses_answers_and_the_code_stops_working(room):
    store, code, secret, _ = room
    qid = store.ask(code, LAPTOP, ESTIMATE)
    seat = store.join(code, PHONE)
    with pytest.raises(RoomError, match="Only the teacher"):
        store.end_room(code, PHONE)
    store.end_room(code, LAPTOP)
    with pytest.raises(RoomEnded, match=f"The teacher ended room {code}"):
        store.read(code, -1)
    with pytest.raises(RoomEnded):
        store.post_answer(code, seat, qid, 1.0)
    with pytest.raises(RoomError, match=f"No open room has the code {code}") as join:
        store.join(code, OTHER_PHONE)
    assert not isinstance(join.value, RoomEnded)
    assert store.whereabouts(PHONE) is None and store.whereabouts(LAPTOP) is None
    assert not store.is_teacher(code, secret)


def test_ending_frees_the_room_for_the_servers_cap(make):
    store, _ = make(max_rooms=1)
    code, _ = store.create_room(LAPTOP)
    with pytest.raises(RoomError, match="Too many rooms are open"):
        store.create_room(TABLET)
    store.end_room(code, LAPTOP)
    store.create_room(TABLET)


# ---------------------------------------------------------------- abuse bounds
def test_rooms_opened_are_bounded_per_device_and_per_address(make):
    store, _ = make(bounds=Bounds(rooms_per_device_hour=3, rooms_per_address_hour=5))
    for _ in range(3):
        code, _ = store.create_room(LAPTOP, SCHOOL)
        store.end_room(code, LAPTOP)  # ending does not give the hour's quota back
    with pytest.raises(RoomError, match="opened many rooms in the last hour"):
        store.create_room(LAPTOP, "198.51.100.1")
    store.create_room(TABLET, SCHOOL)  # the address's 4th
    store.create_room(TABLET, SCHOOL)  # 5th
    with pytest.raises(RoomError, match="opened many rooms"):
        store.create_room(PHONE, SCHOOL)  # the address's 6th of 5
    store.create_room(PHONE, "198.51.100.2")


def test_wrong_codes_are_bounded_per_device_and_per_address_not_per_session(make):
    store, _ = make(bounds=Bounds(wrong_codes_per_device_minute=3, wrong_codes_per_address_minute=5))
    code, _ = store.create_room(LAPTOP)
    wrong = next(c * 6 for c in "23456789" if c * 6 != code)
    for _ in range(3):
        with pytest.raises(RoomError, match="No open room"):
            store.join(wrong, PHONE, SCHOOL)
    with pytest.raises(RoomError, match="Too many wrong codes"):
        store.join(code, PHONE, "198.51.100.1")  # even the right code, from that browser
    for token in ("guess-" + "e" * 14, "guess-" + "f" * 14):  # fresh "sessions", same address
        with pytest.raises(RoomError, match="No open room"):
            store.join(wrong, token, SCHOOL)
    with pytest.raises(RoomError, match="Too many wrong codes"):
        store.join(code, "guess-" + "g" * 14, SCHOOL)
    store.join(code, OTHER_PHONE, "198.51.100.3")  # another network is not affected


def test_seats_from_one_address_are_bounded_but_rejoins_are_free(make):
    store, _ = make(bounds=Bounds(seats_per_address=3))
    code, _ = store.create_room(LAPTOP)
    tokens = [f"forged-token-{i:08d}" for i in range(4)]
    for token in tokens[:3]:
        store.join(code, token, SCHOOL)
    with pytest.raises(RoomError, match="Too many students joined this room from one network"):
        store.join(code, tokens[3], SCHOOL)
    store.join(code, tokens[0], SCHOOL)  # a reload of a seated browser is fine
    store.join(code, tokens[3], "198.51.100.4")
    assert store.student_count(code) == 4


def test_announcements_include_the_end(make):
    from tests.app.test_rooms_store import _heard
    from tests.app.test_rooms_store import _wait_for

    store, _ = make()
    code, _ = store.create_room(LAPTOP)
    heard = _heard(store)
    store.end_room(code, LAPTOP)
    _wait_for(heard, 1)
    assert heard == [(code, "ended")]
