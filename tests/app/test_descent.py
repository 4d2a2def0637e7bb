"""Gradient descent on logits, the gradients page's pieces, and their figures."""

import math

import numpy as np
import pytest

from cevis import InputError
from cevis.grads import mse_on_probabilities_grad
from cevis.grads import numerical_grad
from cevis.losses import mse_on_probabilities
from cevis_app import charts as figures
from cevis_app.charts import style
from cevis_app.views.ce_vs_mse import gradient_magnitudes
from cevis_app.views.descent import descend
from cevis_app.views.descent import loss_on_simplex
from cevis_app.views.descent import simplex_grid
from cevis_app.views.gradient_check import chain_rule
from cevis_app.views.gradient_check import gradient_check
from cevis_app.views.gradient_check import gradient_check_sweep


def softmax(z):
    e = np.exp(np.asarray(z, float) - np.max(z))
    return e / e.sum()


def test_one_step_is_z_minus_lr_times_grad():
    z0 = np.array([0.5, 2.0, -1.0])
    path = descend(z0, 0, learning_rates=[0.3, 2.0], steps=1)
    g = softmax(z0) - np.array([1.0, 0.0, 0.0])
    np.testing.assert_allclose(path.logits[:, 1], [z0 - 0.3 * g, z0 - 2.0 * g], rtol=1e-14)
    np.testing.assert_allclose(path.grads[0, 0], g, rtol=1e-14)
    assert path.losses.shape == (2, 2) and path.probs.shape == (2, 2, 3)


@pytest.mark.parametrize("loss", ["cross-entropy", "mse"])
def test_small_steps_decrease_the_loss_monotonically(loss):
    path = descend([0.0, 3.0, 1.0], 0, learning_rates=[0.05, 0.2], steps=100, loss=loss)
    assert (np.diff(path.losses, axis=1) < 0).all()
    assert (np.diff(path.p_true, axis=1) > 0).all()


def test_smoothing_gives_a_minimum_that_a_large_step_overshoots():
    path = descend([0.0, 3.0, 1.0], 0, learning_rates=[1.0, 30.0], steps=30, label_smoothing=0.2)
    assert (np.diff(path.losses[0]) <= 1e-12).all()
    assert (np.diff(path.losses[1]) > 0).any()  # bounces
    # the best loss with smoothing is the entropy of the smoothed target
    t = np.array([0.8 + 0.2 / 3, 0.2 / 3, 0.2 / 3])
    assert path.losses[0, -1] == pytest.approx(-(t * np.log(t)).sum(), abs=1e-3)


@pytest.mark.parametrize("kwargs, message", [
    (dict(learning_rates=[0.0], steps=5), r"learning_rates is \[0.0\]"),
    (dict(learning_rates=[1.0], steps=0), r"steps is 0"),
    (dict(learning_rates=[1.0], steps=5, loss="hinge"), r"loss is 'hinge'"),
    (dict(learning_rates=[1.0], steps=5, label_smoothing=2), r"label_smoothing is 2"),
])
def test_descend_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        descend([0.0, 1.0], 0, **kwargs)
    with pytest.raises(InputError, match=r"true_index is 2"):
        descend([0.0, 1.0], 2, learning_rates=[1.0], steps=1)


def test_mse_gradient_matches_finite_differences():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    for y in range(4):
        np.testing.assert_allclose(
            mse_on_probabilities_grad(z, y),
            numerical_grad(lambda v, y=y: float(mse_on_probabilities(v, y)), z, h=1e-6), atol=1e-8)


def test_chain_rule_pieces():
    z = [1.0, 2.0, 0.5]
    c = chain_rule(z, 1)
    p = softmax(z)
    assert c.dloss_dp == pytest.approx(-1 / p[1])
    np.testing.assert_allclose(c.jacobian_row, [-p[1] * p[0], p[1] * (1 - p[1]), -p[1] * p[2]])
    np.testing.assert_allclose(c.product, p - np.array([0, 1, 0]), rtol=1e-12)
    np.testing.assert_allclose(c.jacobian.sum(axis=1), 0, atol=1e-15)


def test_gradient_check_has_its_v_shape():
    steps = [1e-14, 1e-10, 1e-5, 1e-2]
    errors = gradient_check_sweep([2.0, 1.0, 0.1], 0, steps)
    assert errors[2] < 1e-9  # the sweet spot
    assert errors[0] > errors[2] and errors[3] > errors[2]  # rounding and truncation
    check = gradient_check([2.0, 1.0, 0.1], 0, 1e-2)
    assert check.worst == pytest.approx(float(check.relative_error.max()))


def test_ce_keeps_pushing_where_mse_stops():
    m = gradient_magnitudes([-20.0, 0.0], [5.0, 0.0], 0)
    assert m["p_true"][0] < 1e-10
    assert m["cross-entropy"][0] == pytest.approx(1.0)  # 1 - p_y
    assert m["mse"][0] < 1e-8


def test_simplex_grid_and_loss():
    pts = simplex_grid(10)
    np.testing.assert_allclose(pts.sum(axis=1), 1.0)
    assert (pts > 0).all() and len(pts) == 36
    np.testing.assert_allclose(loss_on_simplex(pts, 2), -np.log(pts[:, 2]))


def test_descent_figures():
    path = descend([0.0, 3.0, 1.0], 0, learning_rates=[1.0], steps=150)
    fig = figures.make_descent_animation(path.probs[0], path.grads[0], path.losses[0],
                                         ["a", "b", "c"], 0)
    assert len(fig.frames) == style.MAX_FRAMES
    last = fig.frames[-1]
    assert last.name == "150"
    np.testing.assert_allclose(last.data[0].y, path.probs[0, -1])
    assert last.data[3].x[0] == 150 and last.data[3].y[0] == pytest.approx(path.losses[0, -1])
    assert fig.layout.updatemenus[0].buttons[0].label == "▶ play"
    pts = simplex_grid()
    simplex = figures.make_simplex_figure({"run": path.probs[0]}, ["a", "b", "c"], shading=pts,
                                          shade_values=loss_on_simplex(pts, 0))
    assert len(simplex.data) == 2
    np.testing.assert_allclose(simplex.data[1].a, path.probs[0, :, 0])
    # the background: a and b alone (plotly draws c = 1 - a - b), to float32 precision
    shade = simplex.data[0]
    assert shade.c is None and simplex.layout.ternary.sum in (None, 1)
    np.testing.assert_allclose(np.c_[shade.a, shade.b, 1 - np.add(shade.a, shade.b)], pts, atol=1e-6)
    np.testing.assert_allclose(shade.marker.color, np.minimum(-np.log(pts[:, 0]), 6.0), rtol=1e-6)
    assert len(simplex.to_json()) < 60_000  # what every phone of a room receives (was 100 KB)
    with pytest.raises(InputError, match="expected 3"):
        figures.make_simplex_figure({}, ["a", "b"])
    runs = figures.make_runs_figure({"x": [3, 2, 1]}, title="t", y_title="loss")
    assert list(runs.data[0].x) == [0, 1, 2]


def test_gradient_figures():
    jac = figures.make_jacobian_figure([[0.25, -0.25], [-0.25, 0.25]], ["a", "b"])
    assert jac.data[0].customdata[0][0].startswith("diagonal")
    assert jac.data[0].text[0][1] == "-0.250"
    check = figures.make_grad_check_figure([1e-8, 1e-4], [1e-6, 1e-9], current=1e-4)
    assert check.layout.xaxis.type == "log" and len(check.layout.shapes) == 1
    pair = figures.make_gradient_pair_figure([-0.5, 0.5], [-0.1, 0.1], ["a", "b"])
    assert [t.name for t in pair.data] == ["cross-entropy", "MSE"]
    mag = figures.make_gradient_magnitude_figure([0.1, 0.9], {"ce": [0.9, 0.1]})
    assert mag.data[0].name == "ce"
    assert math.isclose(mag.layout.yaxis.range[1], 1.1)
