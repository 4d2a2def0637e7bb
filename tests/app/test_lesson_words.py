"""Every word of the lessons right (issue 25, item 3): each text's claim checked independently.

The numbers are recomputed here with math and plain numpy (float32 where a text speaks of
float32), never taken from the lesson code; each test names the step it guards.
"""

import math
import re

import numpy as np

from cevis_app.views import lessons
from cevis_app.views.lesson_numbers import change
from cevis_app.views.lesson_numbers import number
from cevis_app.views.lesson_numbers import signed


def step(lesson, number_):
    return lessons.LESSONS[lesson - 1].steps[number_ - 1]


def words(s) -> str:
    return " ".join([s.text, s.why, s.question.prompt if s.question else ""])


# ---------------------------------------------------------------- zero is 0
def test_the_gradients_sum_to_exactly_0_and_it_reads_0():  # L4 S3
    s = step(4, 3)
    assert lessons.answer(s) == 0.0  # was -1.388e-17, the rounding of p - onehot
    ok, message = lessons.check(s, 0.0)
    assert ok and message.startswith("Right: it is 0 (you said 0,")
    assert "e-1" not in lessons.check(s, 0.5)[1]


def test_numbers_read_as_a_class_reads_them():
    assert number(0.0) == number(-0.0) == "0"
    assert number(0.41703) == "0.4170" and signed(0.8500) == "+0.8500"
    assert signed(-0.0) == "0" and signed(-0.214) == "-0.2140"
    assert number(9.357622968839299e-14) == "9.358e-14"  # sigmoid(−30) is not 0.0000
    before = -math.log(math.exp(2) / (math.exp(2) + math.exp(1) + math.exp(0.1)))
    shifted = -math.log(math.exp(7) / (math.exp(7) + math.exp(6) + math.exp(5.1)))
    assert change(before, shifted) is None  # L2 S3: no "↑ +0.0000" on an unchanged loss
    assert change(3.912023005428146, 4.605170185988091) == "+0.6931"


# ---------------------------------------------------------------- the why texts
def test_l1s6_argues_from_the_terms_not_from_nearness_to_the_peak():
    s = step(1, 6)
    assert "nearer the peak than 0.8" not in s.why  # the old, wrong argument

    def term(y):
        return -y * math.log(y)

    quoted = [float(x) for x in re.findall(r"≈ (0\.\d\d)\b", s.why)][:2]
    assert quoted == [round(term(0.2), 2), round(term(0.8), 2)]
    # the counter-example it gives is one: 0.05 is nearer 1/e than 0.7, yet its term is smaller
    assert abs(0.05 - 1 / math.e) < abs(0.7 - 1 / math.e) and term(0.05) < term(0.7)
    assert f"gives {term(0.05):.2f} against {term(0.7):.2f}" in s.why


def test_l6s6_names_the_case_that_breaks():
    s = step(6, 6)
    assert "would lose digits" not in s.why
    assert s.view == {"kind": "binary", "t": 1, "z": -30.0}
    # t = 1, z = −30: through the probability nothing is lost, in float32 or float64
    p32 = np.float32(1) / (np.float32(1) + np.exp(np.float32(30)))
    assert round(float(-np.log(p32)), 4) == 30.0
    # z = +30, t = 0: 1 − sigmoid(30) is 0 in float32 (BCELoss clamps log 0 at −100) ...
    q32 = np.float32(1) - np.float32(1) / (np.float32(1) + np.exp(np.float32(-30)))
    assert q32 == 0 and min(-math.log(q32) if q32 else math.inf, 100.0) == 100.0
    # ... and keeps 3 decimals in float64, against 30.0000000000001 from the logit
    q64 = 1.0 - 1.0 / (1.0 + math.exp(-30.0))
    from_logit = 30.0 + math.log1p(math.exp(-30.0))
    assert f"{-math.log(q64):.3f}" == "30.001" and f"{from_logit:.13f}" == "30.0000000000001"
    for claim in ("z = +30 with t = 0", "cap of 100", "30.001", "30.0000000000001"):
        assert claim in s.why


def test_every_true_class_number_is_the_index_the_app_uses():  # L6 S3 said "true class 2"
    found = 0
    for lesson in lessons.LESSONS:
        for s in lesson.steps:
            for n in re.findall(r"true class (\d+)", words(s)):
                found += 1
                assert int(n) == s.view["y"], (lesson.key, s.text)
    assert found >= 1
    assert "counting from 0" in lessons_setup(step(6, 3))


def lessons_setup(s) -> str:
    from cevis_app.views.lesson_truths import setup
    return " ".join(setup(s.view))


def test_l5s4_says_the_weighted_mean_rule_for_each_target_format():
    s = step(5, 4)
    assert "class-index targets" in s.text and "divides by N" in s.text
    # its own batch has index targets, so the sum of the weights is what it divides by
    assert np.asarray(s.view["targets"]).ndim == 1
    w = s.view["weight"]
    assert lessons.answer(s) == sum(w[t] for t in s.view["targets"]) == 8


def test_l1s3_points_at_a_line_that_is_drawn():
    s = step(1, 3)
    assert "dotted line" in s.text and s.view["target_loss"] == 1.0
