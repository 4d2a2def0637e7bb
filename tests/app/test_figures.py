"""Figure builders: the traces carry the numbers they were given, labelled and coloured."""

import math

import numpy as np
import pytest

from cevis import InputError
from cevis_app import charts as figures
from cevis_app.charts import binary as binary_charts
from cevis_app.charts import style

NAMES = ["panda", "seal", "duck"]


def test_probability_figure():
    fig = figures.make_probability_figure([0.7, 0.2, 0.1], NAMES, 1)
    bar = fig.data[0]
    assert list(bar.x) == ["panda", "seal ✓", "duck"]
    np.testing.assert_allclose(bar.y, [0.7, 0.2, 0.1])
    assert list(bar.text) == ["0.700", "0.200", "0.100"]
    assert bar.marker.color[1] == style.TRUE_COLOUR
    assert bar.marker.color[0] == style.OTHER_COLOUR
    assert list(bar.marker.pattern.shape) == ["", "/", ""]  # the true class by pattern too


def test_loss_curve_figure_marks_the_point():
    fig = figures.make_loss_curve_figure(0.25)
    curve, point = fig.data
    np.testing.assert_allclose(curve.y, -np.log(curve.x))
    assert curve.x[0] == pytest.approx(style.CURVE_P_MIN) and curve.x[-1] == 1.0
    assert point.x[0] == 0.25
    assert point.y[0] == pytest.approx(math.log(4))
    assert fig.layout.annotations[0].text == "p = 0.25<br>loss = 1.386"


def test_loss_curve_follows_a_small_p_and_pins_what_is_beyond():
    fig = figures.make_loss_curve_figure(1e-5)  # loss 11.5: the curve reaches down to it
    curve, point = fig.data
    assert curve.x[0] <= 1e-5
    assert point.y[0] == pytest.approx(-math.log(1e-5))
    assert "off the chart" not in fig.layout.annotations[0].text
    far = figures.make_loss_curve_figure(1e-90, loss=207.2)
    curve, point = far.data
    assert curve.x[0] == pytest.approx(style.CURVE_P_FLOOR)
    assert point.y[0] == far.layout.yaxis.range[1]  # pinned to the top edge
    assert far.layout.annotations[0].text == "p = 1e-90<br>loss = 207.200 (off the chart)"


def test_many_classes_get_short_labels():
    names = [f"a very long class name {i}" for i in range(8)]
    fig = figures.make_probability_figure([0.125] * 8, names, 0)
    assert fig.data[0].x[0] == "a very long… ✓" and fig.data[0].text[0] == "0.12"  # ✓: true class
    assert fig.data[0].customdata[0] == names[0]  # the full name on hover


def test_zero_gradient_is_grey():
    fig = figures.make_gradient_figure([-1e-5, 5e-6, 5e-6], NAMES, 0)
    assert list(fig.data[0].marker.color) == [style.OTHER_COLOUR] * 3
    assert list(fig.data[0].text) == ["0", "0", "0"]


def test_gradient_figure_colours_and_range():
    fig = figures.make_gradient_figure([-0.6, 0.4, 0.2], NAMES, 0)
    bar = fig.data[0]
    np.testing.assert_allclose(bar.y, [-0.6, 0.4, 0.2])
    assert list(bar.marker.color) == [style.PUSH_UP_COLOUR, style.PUSH_DOWN_COLOUR,
                                      style.PUSH_DOWN_COLOUR]
    assert list(fig.layout.yaxis.range) == [-1.2, 1.2]
    assert list(bar.text) == ["↑ -0.600", "↓ +0.400", "↓ +0.200"]  # direction not by colour alone
    hot = figures.make_gradient_figure([-5.0, 4.0, 1.0], NAMES, 0, temperature=0.2)
    assert hot.layout.yaxis.range[1] == pytest.approx(6.0)
    assert "/ T" in hot.layout.title.text


@pytest.mark.parametrize("build, message", [
    (lambda: figures.make_probability_figure([0.5, 0.5], NAMES, 0), r"shape \(2,\); expected \(3,\)"),
    (lambda: figures.make_probability_figure([0.2, 0.3, 0.5], NAMES, 3), r"true_index is 3"),
    (lambda: figures.make_loss_curve_figure(1.5), r"p_true is 1.5"),
    (lambda: figures.make_sigmoid_figure(0.0, -0.1), r"p is -0.1"),
    (lambda: figures.make_binary_curves_figure([0.5], [1, 0]), r"labels has shape \(2,\)"),
    (lambda: figures.make_binary_curves_figure([0.5], [2]), r"labels 0 or 1"),
])
def test_builders_validate_first(build, message):
    with pytest.raises(InputError, match=message):
        build()


def test_sigmoid_figure():
    fig = figures.make_sigmoid_figure(2.0, 1 / (1 + math.exp(-2.0)))
    curve, point = fig.data
    np.testing.assert_allclose(curve.y, 1 / (1 + np.exp(-np.asarray(curve.x))))
    assert (point.x[0], point.y[0]) == (2.0, pytest.approx(0.8808, abs=1e-4))
    edge = figures.make_sigmoid_figure(math.inf, 1.0)
    assert edge.data[1].x[0] == binary_charts.SIGMOID_RANGE


def test_log_pair_figure():
    fig = figures.make_log_pair_figure()
    left, right = fig.data
    np.testing.assert_allclose(left.y, np.log(left.x))
    np.testing.assert_allclose(right.y, -np.log(right.x))
    assert (left.y <= 0).all() and (right.y >= 0).all()


def test_binary_curves_figure_places_samples_on_their_curve():
    fig = figures.make_binary_curves_figure([0.9, 0.2, 0.85], [1, 1, 0], highlight=2)
    curve1, curve0, ones, zeros = fig.data
    np.testing.assert_allclose(curve1.y, -np.log(curve1.x))
    np.testing.assert_allclose(curve0.y, -np.log(1 - np.asarray(curve0.x)))
    np.testing.assert_allclose(ones.x, [0.9, 0.2])
    np.testing.assert_allclose(ones.y, [-math.log(0.9), -math.log(0.2)])
    np.testing.assert_allclose(zeros.y, [-math.log(0.15)])
    assert list(zeros.marker.size) == [18]  # the highlighted sample
    assert ones.customdata[1][0] == "sample 2"
    empty = figures.make_binary_curves_figure()
    assert len(empty.data) == 2


def test_the_loss_curves_numbers_read_0_at_p_1_not_minus_0():
    from cevis_app.charts.numbers import chart_numbers

    rows = chart_numbers(figures.make_loss_curve_figure(0.5))
    at_one = [r for r in rows if r["x"] == 1.0]
    assert at_one and all(str(r["y"]) == "0.0" for r in at_one)  # -log 1 is 0, printed without a sign
