"""The class's views as points on −log p: posted logits → points, against closed forms.

Logits (0, 0) give p = 1/2, loss = log 2; (log 3, 0, 0) give p = 3/5; C equal logits give
p = 1/C. The target loss 1 meets the curve at p = 1/e. Counts are written out by hand.
"""

import math

import numpy as np
import pytest

from cevis import InputError
from cevis_app.charts import make_view_answers_figure
from cevis_app.rooms.checks import VIEW_PRESET
from cevis_app.rooms.checks import check_answer
from cevis_app.rooms.checks import check_question
from cevis_app.views.room_view import view_answers
from cevis_app.widgets.room_results import answers_figure

QUESTION = check_question(VIEW_PRESET)  # target 1, tolerance 0.1
VIEWS = [{"logits": [0.0, 0.0], "y": 0, "T": 1.0},  # p 1/2, loss 0.693: below the band
         {"logits": [math.log(3), 0.0, 0.0], "y": 0, "T": 1.0},  # p 3/5, loss 0.511: below
         {"logits": [0.0, 0.0, 0.0], "y": 2, "T": 1.0},  # p 1/3, loss 1.0986: on target
         {"logits": [0.0] * 10, "y": 4, "T": 1.0}]  # p 1/10, loss 2.303: above
CLOSED = [(1 / 2, math.log(2)), (3 / 5, -math.log(3 / 5)), (1 / 3, math.log(3)), (1 / 10, math.log(10))]


def figure(mine=None):
    answers = [check_answer(QUESTION, v) for v in VIEWS]  # what the store keeps
    return answers_figure(QUESTION, sorted(answers), mine)


def test_each_view_is_a_point_at_its_p_and_loss_in_closed_form():
    curve, points, target = figure().data
    got = sorted(zip(points.x, points.y))
    assert np.allclose(got, sorted(CLOSED), rtol=0, atol=1e-12)
    assert np.allclose(np.asarray(curve.y), -np.log(np.asarray(curve.x)), atol=1e-12)  # −log p itself
    assert min(curve.x) <= 0.1 and max(curve.x) == pytest.approx(1.0)  # every point lies on it
    assert (list(target.x), list(target.y)) == pytest.approx(([1 / math.e], [1.0]), abs=1e-12)
    assert target.marker.symbol == "triangle-up" and target.text[0] == "▲ target 1 ± 0.1<br>at p = 0.368"


def test_the_title_counts_answers_on_below_and_above_the_target():
    fig = figure()
    assert fig.layout.title.text == "4 answers · 1 on target · 2 below · 1 above"
    band, line = fig.layout.shapes
    assert (band.y0, band.y1) == pytest.approx((0.9, 1.1)) and (line.y0, line.y1) == (1.0, 1.0)
    assert view_answers(QUESTION, [check_answer(QUESTION, v) for v in VIEWS]).counts == (2, 1, 1)


def test_a_phone_sees_its_own_point_marked_by_shape_and_label():
    mine = check_answer(QUESTION, VIEWS[2])
    *_, yours = figure(mine).data
    assert (list(yours.x), list(yours.y)) == pytest.approx(([1 / 3], [math.log(3)]), abs=1e-12)
    assert yours.marker.symbol == "circle-open" and list(yours.text) == ["you"]
    assert len(figure().data) == 3  # the teacher's view: no "you"


def test_malformed_stored_answers_are_left_out_not_drawn():
    v = view_answers(QUESTION, [[0.5, 2.0], [float("nan"), 0.5], "x", [math.log(2), 0.5]])
    assert v.p.tolist() == [0.5] and v.loss.tolist() == [math.log(2)]


def test_no_answers_draw_the_curve_and_the_target_only():
    fig = answers_figure(QUESTION, [])
    assert fig.layout.title.text.startswith("0 answers · 0 on target") and list(fig.data[1].x) == []


@pytest.mark.parametrize("kwargs", [dict(p=[0.5, 0.2], loss=[0.7]), dict(p=[float("nan")], loss=[1.0]),
                                    dict(tolerance=0.0)])
def test_bad_input_raises_input_error(kwargs):
    args = {**dict(p=[0.5], loss=[0.7], target=1.0, tolerance=0.1, curve_p=[0.1, 1.0],
                   curve_loss=[2.3, 0.0]), **kwargs}
    with pytest.raises(InputError, match="make_view_answers_figure"):
        make_view_answers_figure(**args)
