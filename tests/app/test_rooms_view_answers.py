# ruff: noqa: F811  (`make` is test_rooms_store's fixture, imported so both files share it)
"""Questions answered on the live view (issue 23, item 7), over both stores.

A phone posts its sample (logits, true class, temperature); the store keeps [loss, p_true]
recomputed on the server. Expected values are closed forms written out by hand:
two equal logits give p = 1/2, loss = log 2; logits (log 3, 0, 0) give p = 3/5.
"""

import json
import math

import pytest

from cevis_app.rooms.checks import VIEW_PRESET
from cevis_app.rooms.checks import author_question
from cevis_app.rooms.checks import check_question
from cevis_app.rooms.store import RoomError
from cevis_app.text.answers_csv import answers_csv
from tests.app.test_rooms_store import make  # noqa: F401

PHONES = [f"phone-token-{c * 12}" for c in "ab"]
LAPTOP = "laptop-token-" + "c" * 11


@pytest.fixture
def room(make):
    store, _ = make()
    code, _ = store.create_room(LAPTOP)
    return store, code, [store.join(code, phone) for phone in PHONES]


def test_a_posted_view_is_stored_as_its_loss_and_p_true_recomputed_on_the_server(room):
    store, code, (a, b) = room
    qid = store.ask(code, LAPTOP, VIEW_PRESET)
    # a posted "loss" is ignored: only logits, y and T count
    store.post_answer(code, a, qid, {"logits": [0.0, 0.0], "y": 1, "T": 1.0, "loss": 1.0})
    store.post_answer(code, b, qid, {"logits": [math.log(3), 0.0, 0.0], "y": 0, "T": 1.0})
    (la, pa), (lb, pb) = sorted(store.tally(code, LAPTOP).answers, key=lambda v: v[1])
    assert (pa, la) == pytest.approx((0.5, math.log(2)), abs=1e-12)
    assert (pb, lb) == pytest.approx((0.6, -math.log(0.6)), abs=1e-12)
    assert store.my_answer(code, a, qid) == pytest.approx([math.log(2), 0.5], abs=1e-12)
    question = store.reveal(code, LAPTOP).question
    assert question["target_loss"] == 1.0 and question["tolerance"] == 0.1
    revealed = store.read(code, -1).question
    assert [round(v[0], 9) for v in revealed["answers"]] == [round(-math.log(0.6), 9), round(math.log(2), 9)]


def test_temperature_divides_the_logits(room):
    store, code, (a, _) = room
    qid = store.ask(code, LAPTOP, VIEW_PRESET)
    store.post_answer(code, a, qid, {"logits": [2 * math.log(3), 0.0, 0.0], "y": 0, "T": 2.0})
    loss, p = store.tally(code, LAPTOP).answers[0]
    assert p == pytest.approx(0.6, abs=1e-12) and loss == pytest.approx(-math.log(0.6), abs=1e-12)


@pytest.mark.parametrize("bad, message", [
    (1.0, "your view"),
    ({"logits": [0.0], "y": 0, "T": 1.0}, "2 to 10 logits"),
    ({"logits": [0.0, 11.0], "y": 0, "T": 1.0}, "Each logit"),
    ({"logits": [0.0, float("nan")], "y": 0, "T": 1.0}, "Each logit"),
    ({"logits": [0.0, 1.0], "y": 2, "T": 1.0}, "true class"),
    ({"logits": [0.0, 1.0], "y": True, "T": 1.0}, "true class"),
    ({"logits": [0.0, 1.0], "y": 0, "T": 0.0}, "temperature"),
    ({"logits": [0.0, "1"], "y": 0, "T": 1.0}, "Each logit"),
])
def test_a_bad_view_is_refused_in_plain_words_and_not_stored(room, bad, message):
    store, code, (a, _) = room
    qid = store.ask(code, LAPTOP, VIEW_PRESET)
    with pytest.raises(RoomError, match=message):
        store.post_answer(code, a, qid, bad)
    assert store.tally(code, LAPTOP).answers == ()


def test_a_view_answer_to_another_kind_and_a_number_to_a_view_are_refused(room):
    store, code, (a, _) = room
    qid = store.ask(code, LAPTOP, {"kind": "estimate", "text": "x", "low": 0, "high": 5, "truth": None})
    with pytest.raises(RoomError):
        store.post_answer(code, a, qid, {"logits": [0.0, 0.0], "y": 0, "T": 1.0})


@pytest.mark.parametrize("question, message", [
    ({**VIEW_PRESET, "target_loss": 0.0}, "above 0"),
    ({**VIEW_PRESET, "target_loss": float("inf")}, "target loss"),
    ({**VIEW_PRESET, "tolerance": -1}, "tolerance"),
    ({k: v for k, v in VIEW_PRESET.items() if k != "tolerance"}, "tolerance"),
])
def test_a_malformed_view_question_is_refused(question, message):
    with pytest.raises(RoomError, match=message):
        check_question(question)


def test_the_authoring_form_makes_a_view_question_from_its_target():
    assert author_question("view", "Loss 2, please", truth=2.0) == {
        "kind": "view", "text": "Loss 2, please", "target_loss": 2.0, "tolerance": 0.1}
    with pytest.raises(RoomError, match="target loss"):
        author_question("view", "No target")


def test_the_export_has_each_views_loss_the_target_and_whether_it_is_within_the_tolerance(room):
    store, code, (a, b) = room
    qid = store.ask(code, LAPTOP, VIEW_PRESET)
    store.post_answer(code, a, qid, {"logits": [0.0, 0.0], "y": 1, "T": 1.0})  # log 2 = 0.693: no
    store.post_answer(code, b, qid, {"logits": [0.0, 0.0, 0.0], "y": 1, "T": 1.0})  # log 3 = 1.0986: yes
    export = store.export(code, LAPTOP)
    json.dumps(export.answers)  # plain JSON data in both stores
    lines = answers_csv(export.questions, export.answers).splitlines()[1:]
    rows = sorted(line.split(",")[3:7] for line in lines)
    assert rows == [['"0.6931471806"', '""', '"1"', '"no"'], ['"1.098612289"', '""', '"1"', '"yes"']]
