"""Every lesson step's reveal, as a class reads it (issue 25, item 3).

Each step is opened, the right answer committed, and what the page shows is read: no
number that is 0 is written with noise or a sign (``-0.0000``, ``+0.0000``, ``-1.388e-17``),
no arrow sits on a value that did not change, and the curve step shows its curve before
the answer and the learner's guess beside the truth after it.
"""

import json
import math
import pathlib
import re

import pytest
from streamlit.testing.v1 import AppTest

from cevis_app.views import lessons

TIMEOUT = 60  # s: a loaded machine, and the first run imports plotly and pandas
APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")
ZERO_WRITTEN_LONG = re.compile(r"^[-+−]?0\.0+$")  # a 0 (or noise) that should read "0"
NOISE = re.compile(r"e-1[0-9]\b")  # float64 rounding noise written out
STEPS = [(li, si) for li, lesson in enumerate(lessons.LESSONS) for si in range(len(lesson.steps))]


def open_step(li, si, answer=None):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"lesson": str(li + 1), "step": str(si + 1)})
    at.run()
    at.switch_page("app_pages/lessons.py")
    at.run()
    if answer is not None:
        base = f"lesson.{lessons.LESSONS[li].key}.{si + 1}"
        at.session_state[f"{base}.answer"] = answer
        at.session_state[f"{base}.committed"] = answer
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.mark.parametrize("li, si", STEPS, ids=[f"L{li + 1}S{si + 1}" for li, si in STEPS])
def test_a_reveal_writes_zero_as_0_and_no_noise(li, si):
    step = lessons.LESSONS[li].steps[si]
    at = open_step(li, si, None if step.question is None else lessons.answer(step))
    for m in at.metric:
        assert not ZERO_WRITTEN_LONG.match(m.value), (m.label, m.value)
        assert not (m.proto.delta and ZERO_WRITTEN_LONG.match(m.proto.delta)), (m.label, m.proto.delta)
    for box in list(at.success) + list(at.error):
        text = box.value.replace("\\", "")  # the page escapes Markdown with backslashes
        assert not NOISE.search(text), text
    for frame in at.dataframe:
        text = frame.value.to_string()
        if "series" not in frame.value.columns:  # (a chart's own data table is the chart's)
            assert not re.search(r"(?<![\d.])[+-]0\.0000\b", text), text


def test_an_unchanged_loss_has_no_arrow():  # L2 S3: add 5 to every logit
    at = open_step(1, 2, 1)  # "stays the same"
    assert at.success  # the right answer
    shown = {m.label: m for m in at.metric}
    assert set(shown) == {"Loss −log p(y): unchanged", "p(panda): unchanged"}
    assert all(not m.proto.delta for m in shown.values())  # Streamlit draws no arrow then
    p = math.exp(2) / (math.exp(2) + math.exp(1) + math.exp(0.1))
    assert shown["Loss −log p(y): unchanged"].value == f"{-math.log(p):.4f}"


def test_a_change_still_has_its_arrow():  # L2 S4: raise the temperature
    at = open_step(1, 3, 2)
    [loss, _] = at.metric
    assert loss.label.endswith("before → after") and loss.proto.delta.startswith("+")


def test_the_curve_is_there_to_read_before_and_the_guess_beside_the_truth_after():  # L1 S3
    at = open_step(0, 2)
    [before] = figures(at)
    assert [t["mode"] for t in before["data"]] == ["lines"]  # the curve, no point given away
    assert [s["y0"] for s in before["layout"]["shapes"]] == [1.0]  # the loss asked about
    guess = 0.36
    at = open_step(0, 2, guess)
    [after] = figures(at)
    points = {t.get("hovertemplate", "").split("<")[0]: t for t in after["data"]
              if t["mode"] == "markers"}
    truth = next(t for k, t in points.items() if k.startswith("p = "))
    mine = points[f"your guess: p = {guess:.3g}"]
    assert truth["x"] == [pytest.approx(1 / math.e)]
    assert mine["x"] == [guess] and mine["y"] == [pytest.approx(-math.log(guess))]
