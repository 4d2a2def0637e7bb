"""The lessons as data: every step well-formed, true answers equal to closed forms computed here
with math alone (not with cevis), check() honest at the tolerance's edges, hostile URL positions."""

import json
import math

import numpy as np
import pytest

from cevis_app.views import lesson_truths
from cevis_app.views import lessons
from cevis_app.views.lessons import LESSONS

KINDS = {"curve", "terms", "sample", "binary", "batch", "stability", "clamp", "descent", "link"}
ALL_STEPS = [(li, si) for li, lesson in enumerate(LESSONS) for si in range(len(lesson.steps))]


def step(key, number):
    [lesson] = [lesson for lesson in LESSONS if lesson.key == key]
    return lesson.steps[number - 1]


def truth(key, number):
    return lessons.answer(step(key, number))


def test_the_path_covers_the_seeds_in_order():
    assert [lesson.key for lesson in LESSONS] == [
        "measure", "softmax", "binary", "gradient", "batch", "stability", "descent"]
    asked = sum(s.question is not None for lesson in LESSONS for s in lesson.steps)
    assert asked >= 0.8 * len(ALL_STEPS)  # most steps ask for a prediction first


@pytest.mark.parametrize("li, si", ALL_STEPS)
def test_every_step_is_well_formed(li, si):
    s = LESSONS[li].steps[si]
    assert s.text and s.view["kind"] in KINDS
    q = s.question
    if q is None:
        assert lessons.question_for(li, si) is None
        return
    assert q.quantity in lesson_truths.QUANTITIES and q.prompt and s.why
    value = lessons.answer(s)
    if q.kind == "choice":
        labels = lessons.options(s)
        assert isinstance(value, int) and 0 <= value < len(labels) and len(set(labels)) == len(labels)
    else:
        assert q.kind == "estimate" and q.tolerance > 0 and q.low < q.high
        assert isinstance(value, float) and q.low <= value <= q.high, (value, q.low, q.high)
        step_size, _ = lessons.input_step(q)
        assert step_size <= q.tolerance  # a right answer can be entered on the input's grid
    data = lessons.question_for(li, si)
    assert json.loads(json.dumps(data)) == data  # JSON-safe, no numpy scalars
    assert data["id"] == f"{LESSONS[li].key}/{si + 1}" and data["truth"] == value
    assert set(data) == {"id", "kind", "prompt", "truth", "tolerance", "why",
                         "options" if q.kind == "choice" else "range"}


def test_question_ids_are_unique_and_out_of_range_is_none():
    ids = [lessons.step_id(li, si) for li, si in ALL_STEPS]
    assert len(set(ids)) == len(ids)
    assert lessons.question_for(len(LESSONS), 0) is None
    assert lessons.question_for(0, 99) is None and lessons.question_for(-1, 0) is None


def softmax(z):
    e = [math.exp(v - max(z)) for v in z]
    return [v / sum(e) for v in e]


SEED_PY = [0.91, 0.8, 0.6, 0.25]  # p of the true class in the seed's four categorical rows


@pytest.mark.parametrize("key, number, expected", [
    ("measure", 1, -math.log(0.9)),
    ("measure", 2, 1.7719568419318752),  # the seed's printed value
    ("measure", 3, math.exp(-1)),
    ("measure", 4, math.log(2)),
    ("measure", 5, math.log(4)),
    ("softmax", 1, math.log(3)),
    ("softmax", 2, math.exp(2) / (math.exp(2) + math.exp(1) + math.exp(0.1))),
    ("binary", 1, 0.5),
    ("binary", 2, 1.897119984885881),  # the seed's printed value
    ("binary", 3, -math.log(0.85)),
    ("gradient", 2, softmax([2, 1, 0.1])[0] - 1),
    ("gradient", 3, 0.0),
    ("gradient", 5, -4.0),
    ("gradient", 6, 0.25 * 0.75),
    ("gradient", 7, 0.85),
    ("batch", 2, -sum(math.log(p) for p in SEED_PY) / 4),
    ("batch", 4, 3 + 1 + 1 + 3),
    ("batch", 5, -sum(math.log(p) for p in SEED_PY[:3]) / 3),
    ("stability", 2, math.log(3.4028234663852886e38)),  # float32's largest finite number
    ("stability", 3, 200.0),
    ("stability", 4, 100.0),
    ("stability", 5, -math.log(1e-7)),
    ("stability", 6, math.log1p(math.exp(30))),
    ("descent", 1, 0.5),
])
def test_estimates_equal_closed_forms(key, number, expected):
    assert truth(key, number) == pytest.approx(expected, rel=1e-6, abs=1e-12)


@pytest.mark.parametrize("key, number, right_label", [
    ("measure", 6, "y = 0.2"),  # -0.2 log 0.2 = 0.32 > -0.8 log 0.8 = 0.18
    ("softmax", 3, "stays the same"),
    ("softmax", 4, "goes down"),
    ("softmax", 5, "nearly one-hot on the largest logit"),
    ("binary", 4, "sample 5: t = 0, p = 0.85"),
    ("gradient", 1, "panda"),
    ("gradient", 4, "seal"),
    ("batch", 1, "row 4"),
    ("batch", 3, "goes up"),
    ("batch", 6, "goes up"),
    ("stability", 1, "nan (exp overflowed)"),
    ("descent", 2, "falls at every step"),
    ("descent", 3, "cross-entropy"),
])
def test_choices_pick_the_right_option(key, number, right_label):
    s = step(key, number)
    assert lessons.options(s)[lessons.answer(s)] == right_label


def test_label_smoothing_row_by_hand():
    # row 1 with eps = 0.1 over C = 3: -(0.9 + 0.1/3) log 0.91 - (0.1/3)(log 0.04 + log 0.05)
    smoothed = -(0.9 + 0.1 / 3) * math.log(0.91) - (0.1 / 3) * (math.log(0.04) + math.log(0.05))
    assert smoothed > -math.log(0.91)  # so "goes up" is right
    view = lesson_truths.after(step("batch", 6).view)
    assert lesson_truths.batch(view).losses[0] == pytest.approx(smoothed, rel=1e-9)


def test_check_accepts_within_the_tolerance_and_refuses_outside():
    s = step("measure", 1)
    t, tol = -math.log(0.9), s.question.tolerance
    for given in (t, t + 0.99 * tol, t - 0.99 * tol):
        ok, message = lessons.check(s, given)
        assert ok and message.startswith("Right")
    for given in (t + 1.01 * tol, t - 1.01 * tol, 4.0):
        ok, message = lessons.check(s, given)
        assert not ok and "0.1054" in message


@pytest.mark.parametrize("given", [None, float("nan"), float("inf"), "0.1", True, [0.1]])
def test_check_refuses_what_is_not_a_number(given):
    ok, message = lessons.check(step("measure", 1), given)
    assert not ok and message == "Enter a number first."


def test_check_of_a_choice():
    s = step("gradient", 1)  # panda, seal, duck; panda is right
    assert lessons.check(s, 0) == (True, "Right: “panda”.")
    ok, message = lessons.check(s, 2)
    assert not ok and "you chose “duck”" in message and "answer is “panda”" in message
    for bad in (None, 3, -1, True, 0.0, np.int64(7)):
        assert lessons.check(s, bad) == (False, "Pick one of the options first.")
    assert lessons.check(s, np.int64(0))[0]


@pytest.mark.parametrize("raw, expected", [
    (("3", "4"), (2, 3)),
    ((None, None), (0, 0)),
    (("", ""), (0, 0)),
    (("99", "1"), (len(LESSONS) - 1, 0)),
    (("0", "-3"), (0, 0)),
    (("2", "99"), (1, len(LESSONS[1].steps) - 1)),
    (("1.5", "x"), (0, 0)),
    (("1e9", "<b>2</b>"), (0, 0)),
    (("9" * 40, "2"), (len(LESSONS) - 1, 1)),
])
def test_position_clamps_hostile_values(raw, expected):
    li, si, note = lessons.position(*raw)
    assert (li, si) == expected
    fine = raw in (("3", "4"), (None, None), ("", ""))
    assert (note == "") == fine
    assert len(note) < 200  # an echoed value is cut short
