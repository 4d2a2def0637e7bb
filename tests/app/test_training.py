"""Softmax regression on Iris: accuracy on a fixed split, gradients, monotone loss, L2, figures."""

import numpy as np
import pytest

from cevis import InputError
from cevis.grads import numerical_grad
from cevis_app import charts as figures
from cevis_app.views.iris import SPECIES
from cevis_app.views.iris import load_iris
from cevis_app.views.iris import subset
from cevis_app.views.training import decision_grid
from cevis_app.views.training import frame_epochs
from cevis_app.views.training import region_predictions
from cevis_app.views.training import score_samples
from cevis_app.views.training import softmax_regression_grad
from cevis_app.views.training import softmax_regression_loss
from cevis_app.views.training import split_and_standardise
from cevis_app.views.training import train_softmax_regression


@pytest.fixture(scope="module")
def petals():
    data = subset(load_iris(), [2, 3], SPECIES)
    return data, split_and_standardise(data.features, data.labels, seed=0)


def test_iris_is_the_classic_data_set():
    iris = load_iris()
    assert iris.features.shape == (150, 4)
    assert np.bincount(iris.species).tolist() == [50, 50, 50]
    assert iris.features[0].tolist() == [5.1, 3.5, 1.4, 0.2]  # the first flower, a setosa


def test_split_is_stratified_standardised_and_repeatable(petals):
    data, split = petals
    assert split.x_test.shape[0] == 45 and np.bincount(split.y_test).tolist() == [15, 15, 15]
    np.testing.assert_allclose(split.x_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(split.x_train.std(axis=0), 1, atol=1e-12)
    again = split_and_standardise(data.features, data.labels, seed=0)
    np.testing.assert_array_equal(again.test_index, split.test_index)


def test_petals_reach_a_known_accuracy(petals):
    # petal length and width separate the species with a few versicolor/virginica overlaps:
    # a linear classifier is known to classify well above 90% of them
    _, split = petals
    run = train_softmax_regression(split, 3, learning_rate=1.0, epochs=300)
    assert run.train_accuracy[-1] >= 0.93 and run.test_accuracy[-1] >= 0.9
    assert run.train_loss[0] == pytest.approx(np.log(3), abs=0.02)  # near-uniform start
    again = train_softmax_regression(split, 3, learning_rate=1.0, epochs=300)
    np.testing.assert_array_equal(again.weights, run.weights)  # seeded


def test_gradient_matches_finite_differences(petals):
    _, split = petals
    rng = np.random.default_rng(1)
    w, b = rng.normal(size=(2, 3)), rng.normal(size=3)
    gw, gb = softmax_regression_grad(w, b, split.x_train, split.y_train, l2=0.1)
    np.testing.assert_allclose(gw, numerical_grad(
        lambda v: softmax_regression_loss(v, b, split.x_train, split.y_train, 0.1), w, h=1e-6),
        atol=1e-8)
    np.testing.assert_allclose(gb, numerical_grad(
        lambda v: softmax_regression_loss(w, v, split.x_train, split.y_train, 0.1), b, h=1e-6),
        atol=1e-8)


@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_small_learning_rate_never_raises_the_objective(petals, l2):
    _, split = petals
    run = train_softmax_regression(split, 3, learning_rate=0.1, epochs=200, l2=l2)
    assert (np.diff(run.objective) <= 1e-12).all()


def test_too_large_a_step_diverges_and_l2_bounds_the_weights():
    data = subset(load_iris(), [0, 1], SPECIES)
    split = split_and_standardise(data.features, data.labels)
    bad = train_softmax_regression(split, 3, learning_rate=100.0, epochs=200)
    assert bad.train_loss[-1] > bad.train_loss[0]
    sep = subset(load_iris(), [2, 3], ["setosa", "versicolor"])
    split = split_and_standardise(sep.features, sep.labels)
    free = train_softmax_regression(split, 2, learning_rate=3.0, epochs=300)
    held = train_softmax_regression(split, 2, learning_rate=3.0, epochs=300, l2=0.1)
    assert np.abs(free.weights[-1]).max() > 3 * np.abs(held.weights[-1]).max()
    assert np.abs(free.weights[-1]).max() > np.abs(free.weights[150]).max()  # still growing


def test_training_errors(petals):
    _, split = petals
    with pytest.raises(InputError, match="learning_rate is 0"):
        train_softmax_regression(split, 3, learning_rate=0, epochs=5)
    with pytest.raises(InputError, match="epochs is 0"):
        train_softmax_regression(split, 3, learning_rate=1.0, epochs=0)


def test_scores_regions_and_figures(petals):
    data, split = petals
    run = train_softmax_regression(split, 3, learning_rate=1.0, epochs=50)
    x, rows, held = split.all_samples()
    scores = score_samples(run, x, data.labels[rows])
    np.testing.assert_allclose(scores.loss, -np.log(scores.p_true), rtol=1e-10)
    gx, gy, points = decision_grid(split, resolution=20)
    frames = frame_epochs(50, 10)
    pred = region_predictions(run, points, frames)
    assert pred.shape == (len(frames), 400) and set(np.unique(pred)) <= {0, 1, 2}
    assert len(set(pred[-1])) == 3  # three regions by the end
    fig = figures.make_decision_regions_figure(
        gx, gy, pred, frames, dict(x=x[:, 0], y=x[:, 1], label=data.labels[rows],
                                   row=data.rows[rows], held_out=held), list(SPECIES))
    assert len(fig.frames) == len(frames) and fig.frames[-1].name == "50"
    flowers = [t for t in fig.data[1:] if t.customdata is not None]
    assert sum(len(t.x) for t in flowers) == 150
    assert [t.name for t in fig.data[1:] if t.showlegend is not False] == [*SPECIES, "open: held out"]
    curves = figures.make_training_curves_figure(run)
    np.testing.assert_allclose(curves.data[0].y, run.train_loss)
    assert curves.data[1].name == "held out"
