# ruff: noqa: F811  (`make` is test_rooms_store's fixture, imported so both files share it)
"""A round of questions (issue 23): lock, countdown, the class's answers after the reveal,
earlier questions kept for the export, the seats list and removal.

Every test runs against both stores (the `make` fixture of test_rooms_store.py: the
in-process store on an injected clock, RedisStore on a real redis-server). A countdown
is tested without sleeping: the in-process store's clock is advanced; Redis compares the
deadline with its own clock (TIME), so there the stored deadline is moved back instead,
which is the same as the time passing. Expected values are written out by hand.
"""

import time

import pytest

from cevis_app.rooms import store as rules
from cevis_app.rooms.checks import check_question
from cevis_app.rooms.store import RoomError
from tests.app.test_rooms_store import CHOICE
from tests.app.test_rooms_store import ESTIMATE
from tests.app.test_rooms_store import make  # noqa: F401

PHONES = [f"phone-token-{c * 12}" for c in "abc"]
LAPTOP = "laptop-token-" + "c" * 11
TIMED = {**ESTIMATE, "seconds": 30}


@pytest.fixture
def room(make):
    store, advance = make()
    code, secret = store.create_room(LAPTOP)
    seats = [store.join(code, phone) for phone in PHONES]
    return store, code, advance, seats


def let_pass(store, code, advance, seconds):
    """Time passes for the countdown: the in-process clock, or Redis's stored deadline moved back."""
    if hasattr(store, "redis"):
        store.redis.hincrby(store.prefix + code, "deadline", -int(seconds * 1000))
    else:
        advance(seconds)


# ---------------------------------------------------------------- open, lock, reveal
def test_a_locked_question_refuses_late_answers_and_phones_read_that_it_is_locked(room):
    store, code, _, (a, b, _) = room
    qid = store.ask(code, LAPTOP, ESTIMATE)
    store.post_answer(code, a, qid, 2.0)
    assert "locked" not in store.read(code, -1).question
    tally = store.lock(code, LAPTOP)
    assert tally.locked and not tally.revealed and tally.answers == (2.0,)
    with pytest.raises(RoomError, match="locked this question"):
        store.post_answer(code, b, qid, 3.0)
    with pytest.raises(RoomError, match="locked this question"):
        store.post_answer(code, a, qid, 9.0)  # nor may an answer be changed
    question = store.read(code, -1).question
    assert question["locked"] is True and "truth" not in question and "answers" not in question
    assert store.tally(code, LAPTOP).answers == (2.0,)
    revealed = store.reveal(code, LAPTOP)
    assert revealed.revealed and revealed.answers == (2.0,)


def test_lock_needs_the_teacher_and_a_question_and_announces_once(room):
    store, code, _, (a, _, _) = room
    with pytest.raises(RoomError, match="no question to lock"):
        store.lock(code, LAPTOP)
    store.ask(code, LAPTOP, CHOICE)
    with pytest.raises(RoomError, match="Only the teacher"):
        store.lock(code, PHONES[0])
    v1 = store.read(code, -1).version
    store.lock(code, LAPTOP)
    v2 = store.read(code, -1).version
    store.lock(code, LAPTOP)  # again: nothing changes
    assert v2 == v1 + 1 and store.read(code, v2) is None


def test_a_countdown_locks_by_itself_by_the_stores_clock(room):
    store, code, advance, (a, b, c) = room
    qid = store.ask(code, LAPTOP, TIMED)
    question = store.read(code, -1).question
    assert question["seconds"] == 30 and 28 <= question["closes_in"] <= 30
    store.post_answer(code, a, qid, 1.0)
    let_pass(store, code, advance, 20)
    store.post_answer(code, b, qid, 2.0)
    assert not store.tally(code, LAPTOP).locked
    let_pass(store, code, advance, 11)
    with pytest.raises(RoomError, match="Time is up"):
        store.post_answer(code, c, qid, 3.0)
    assert store.tally(code, LAPTOP).locked
    question = store.read(code, -1).question
    assert question["locked"] is True and question["closes_in"] == 0.0
    assert store.tally(code, LAPTOP).answers == (1.0, 2.0)


def test_a_new_question_has_no_countdown_left_from_the_last(room):
    store, code, advance, (a, _, _) = room
    store.ask(code, LAPTOP, TIMED)
    let_pass(store, code, advance, 31)
    qid = store.ask(code, LAPTOP, ESTIMATE)
    store.post_answer(code, a, qid, 1.0)
    assert "closes_in" not in store.read(code, -1).question and not store.tally(code, LAPTOP).locked


@pytest.mark.parametrize("seconds", [0, 4, 601, 2.5, True, "30"])
def test_a_countdown_is_five_seconds_to_ten_minutes(seconds):
    with pytest.raises(RoomError, match="countdown is a whole number of seconds from 5 to 600"):
        check_question({**ESTIMATE, "seconds": seconds})


# ---------------------------------------------------------------- results on every phone
def test_after_the_reveal_every_phone_reads_the_class_answers(room):
    store, code, _, (a, b, c) = room
    qid = store.ask(code, LAPTOP, CHOICE)
    for seat, answer in ((a, 2), (b, 0), (c, 2)):
        store.post_answer(code, seat, qid, answer)
    assert "answers" not in store.read(code, -1).question  # not before the reveal
    store.reveal(code, LAPTOP)
    question = store.read(code, -1).question
    assert question["answers"] == [0, 2, 2] and question["truth"] == 1 and question["revealed"] is True


# ---------------------------------------------------------------- asking again, the export
def test_asking_again_starts_a_new_question_and_keeps_the_earlier_answers_for_the_export(room):
    store, code, _, (a, b, _) = room
    before = time.time()
    q1 = store.ask(code, LAPTOP, CHOICE)
    store.post_answer(code, a, q1, 2)
    store.post_answer(code, b, q1, 1)
    q2 = store.ask(code, LAPTOP, ESTIMATE)
    assert store.tally(code, LAPTOP).answers == ()  # the new question starts at 0 ...
    store.post_answer(code, a, q2, 4.5)
    export = store.export(code, LAPTOP)
    after = time.time()
    assert [q["id"] for q in export.questions] == [q1, q2]
    assert export.questions[0]["choices"] == CHOICE["choices"] and export.questions[1]["truth"] == 1.25
    rows = sorted(export.answers, key=lambda r: (r[0], r[2]))
    assert [(r[0], r[1], r[2]) for r in rows] == [(q1, b, 1), (q1, a, 2), (q2, a, 4.5)]  # ... kept
    assert all(before - 1 <= r[3] <= after + 1 for r in rows)  # unix time of each answer


def test_the_export_is_the_teachers_only(room):
    store, code, _, _ = room
    with pytest.raises(RoomError, match="Only the teacher"):
        store.export(code, PHONES[0])
    assert store.export(code, LAPTOP) == ((), ())


# ---------------------------------------------------------------- seats and removal
def test_the_teacher_sees_the_seats_and_who_answered(room):
    store, code, _, (a, b, c) = room
    qid = store.ask(code, LAPTOP, ESTIMATE)
    store.post_answer(code, b, qid, 1.0)
    seats = store.seats(code, LAPTOP)
    assert sorted(s.seat for s in seats) == sorted([a, b, c])
    assert [s.label for s in seats] == sorted(rules.seat_label(s) for s in (a, b, c))
    assert {s.seat: s.answered for s in seats} == {a: False, b: True, c: False}
    assert all(s.here for s in seats)  # all joined just now


def test_a_removed_student_leaves_the_tally_and_the_export_and_cannot_rejoin(room):
    store, code, _, (a, b, c) = room
    q1 = store.ask(code, LAPTOP, CHOICE)
    store.post_answer(code, a, q1, 0)
    store.post_answer(code, b, q1, 1)
    q2 = store.ask(code, LAPTOP, ESTIMATE)
    store.post_answer(code, a, q2, 3.0)
    store.post_answer(code, c, q2, 2.0)
    store.remove(code, LAPTOP, a)
    tally = store.tally(code, LAPTOP)
    assert (tally.answers, tally.students) == ((2.0,), 2)
    assert {(r[0], r[1]) for r in store.export(code, LAPTOP).answers} == {(q1, b), (q2, c)}
    with pytest.raises(RoomError, match="removed you"):
        store.join(code, PHONES[0])
    with pytest.raises(RoomError, match="removed you"):
        store.heartbeat(code, a)  # the phone's next heartbeat tells it
    with pytest.raises(RoomError, match="Join the room"):
        store.post_answer(code, a, q2, 1.0)
    assert store.join(code, PHONES[1]) == b  # the others keep their seats


def test_removal_needs_the_teacher_and_a_seat_of_the_room(room):
    store, code, _, (a, _, _) = room
    with pytest.raises(RoomError, match="Only the teacher"):
        store.remove(code, PHONES[1], a)
    with pytest.raises(RoomError, match="no such student"):
        store.remove(code, LAPTOP, "0" * 24)
    assert store.student_count(code) == 3


# ---------------------------------------------------------------- a teacher's own question
def test_an_authored_choice_question_has_its_options_and_the_starred_truth():
    from cevis_app.rooms.checks import author_question

    q = author_question("choice", " Where does p go? ", "  up \n\n*  down\n=HYPERLINK(\"x\")\n")
    assert q == {"kind": "choice", "text": "Where does p go?", "choices": ["up", "down", '=HYPERLINK("x")'],
                 "truth": 1}
    assert author_question("choice", "Q", "a\nb")["truth"] is None


def test_an_authored_number_question_has_its_range_and_optional_truth():
    from cevis_app.rooms.checks import author_question

    assert author_question("estimate", "Loss?", low=0, high=5, truth=1.5) == {
        "kind": "estimate", "text": "Loss?", "low": 0.0, "high": 5.0, "truth": 1.5}
    assert author_question("estimate", "Loss?", low=-1, high=1)["truth"] is None


@pytest.mark.parametrize("args, message", [
    (("choice", "Q", "only one"), "Write 2 to 6 options, one per line \\(you wrote 1\\)"),
    (("choice", "Q", "\n".join("abcdefg")), "Write 2 to 6 options, one per line \\(you wrote 7\\)"),
    (("choice", "Q", "*a\n*b"), "at most one option as the right one"),
    (("choice", "Q", "a\n*"), "needs some text after the"),
    (("choice", "Q", "a\n* a"), "same text"),
    (("choice", "", "a\nb"), "needs a text of 1 to 300"),
    (("choice", "Q", "a\n" + "b" * 81), "2 to 8 choices of 1 to 80 characters"),
    (("estimate", "Q", "", None, 1), "lowest and the highest"),
    (("estimate", "Q", "", 2, 1), "needs low < high; got 2 and 1"),
    (("estimate", "Q", "", 0, 1, 3), "true value 3 is outside the range 0 to 1"),
    (("estimate", "Q", "", 0, 1, float("nan")), "truth must be a finite number"),
    (("poll", "Q"), "kind must be one of"),
])
def test_an_authored_question_that_cannot_be_asked_gets_a_plain_reason(args, message):
    from cevis_app.rooms.checks import author_question

    with pytest.raises(RoomError, match=message):
        author_question(*args)


# ---------------------------------------------------------------- the queue, kept in the room
def test_the_teachers_queue_is_kept_in_the_room_for_any_teacher_device(room):
    store, code, _, _ = room
    assert store.queue(code, LAPTOP) == []
    store.save_queue(code, LAPTOP, [CHOICE, ESTIMATE])
    assert store.queue(code, LAPTOP) == [CHOICE, {**ESTIMATE, "low": 0.0, "high": 10.0}]
    tablet = "tablet-token-" + "d" * 11
    store.claim(code, store.teacher_link(code, LAPTOP), tablet)
    assert [q["text"] for q in store.queue(code, tablet)] == [CHOICE["text"], ESTIMATE["text"]]
    store.save_queue(code, tablet, [])
    assert store.queue(code, LAPTOP) == []


def test_the_queue_is_the_teachers_and_holds_ten_checked_questions(room):
    store, code, _, _ = room
    with pytest.raises(RoomError, match="Only the teacher"):
        store.save_queue(code, PHONES[0], [CHOICE])
    with pytest.raises(RoomError, match="Only the teacher"):
        store.queue(code, PHONES[0])
    with pytest.raises(RoomError, match="at most 10 questions"):
        store.save_queue(code, LAPTOP, [CHOICE] * 11)
    with pytest.raises(RoomError, match="kind must be one of"):
        store.save_queue(code, LAPTOP, [CHOICE, {"kind": "poll", "text": "?"}])
    assert store.queue(code, LAPTOP) == []  # nothing was kept from a refused queue
