"""The training player's run (views/training_player.py) against a plain numpy loop."""

import numpy as np

from cevis_app.views.iris import load_iris
from cevis_app.views.iris import subset
from cevis_app.views.training import MAX_EPOCHS
from cevis_app.views.training import decision_grid
from cevis_app.views.training import split_and_standardise
from cevis_app.views.training_player import TrainSettings
from cevis_app.views.training_player import continue_from
from cevis_app.views.training_player import extend
from cevis_app.views.training_player import region_frames
from cevis_app.views.training_player import start_play

DATA = subset(load_iris(), [2, 3], ["setosa", "versicolor", "virginica"])
SPLIT = split_and_standardise(DATA.features, DATA.labels, seed=0)
KEY = ("petal_length", "petal_width", "setosa", "versicolor", "virginica")


def numpy_training(w, b, eta, l2, epochs):
    """Full-batch descent on mean cross-entropy + l2/2 |W|^2, written out: the weights after
    each epoch and the mean training loss at each."""
    x, y = SPLIT.x_train, SPLIT.y_train
    onehot = np.eye(3)[y]
    ws, losses = [w.copy()], []
    for _ in range(epochs + 1):
        z = x @ w + b
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        losses.append(float(-np.log(p[np.arange(y.size), y]).mean()))
        w, b = w - eta * (x.T @ (p - onehot) / y.size + l2 * w), b - eta * (p - onehot).mean(axis=0)
        ws.append(w.copy())
    return np.array(ws[:-1]), np.array(losses)


def start_weights():
    return np.random.default_rng(0).normal(0.0, 0.01, size=(2, 3)), np.zeros(3)


def test_chunks_are_one_run():
    play = extend(start_play(KEY, SPLIT, 3, TrainSettings(1.0, 0.0), epochs=10), SPLIT, 15)
    ws, losses = numpy_training(*start_weights(), 1.0, 0.0, 25)
    assert play.last == 25
    np.testing.assert_allclose(play.run.weights, ws, rtol=0, atol=1e-12)
    np.testing.assert_allclose(play.run.train_loss, losses, rtol=0, atol=1e-12)
    assert extend(extend(play, SPLIT, MAX_EPOCHS), SPLIT).last == MAX_EPOCHS


def test_a_change_trains_on_from_the_paused_weights():
    play = start_play(KEY, SPLIT, 3, TrainSettings(1.0, 0.0), epochs=30)
    paused = 12
    play = continue_from(play, SPLIT, paused, TrainSettings(0.1, 0.01), epochs=20)
    before, loss_before = numpy_training(*start_weights(), 1.0, 0.0, paused)
    # from the numpy loop's own weights at the pause (the bias, not penalised, is the run's)
    after, loss_after = numpy_training(before[-1], play.run.bias[paused], 0.1, 0.01, 20)
    np.testing.assert_allclose(play.run.weights[:paused + 1], before, rtol=0, atol=1e-12)
    np.testing.assert_allclose(play.run.weights[paused:], after, rtol=0, atol=1e-12)
    np.testing.assert_allclose(play.run.train_loss[paused:], loss_after, rtol=0, atol=1e-12)
    assert [s.start for s in play.segments] == [0, paused] and play.last == paused + 20


def test_regions_are_each_epochs_arg_max():
    play = start_play(KEY, SPLIT, 3, TrainSettings(1.0, 0.0), epochs=5)
    gx, gy, regions = region_frames(play, SPLIT, resolution=12)
    _, _, points = decision_grid(SPLIT, resolution=12)
    for e in range(6):
        z = points @ play.run.weights[e] + play.run.bias[e]
        assert (regions[e] == z.argmax(axis=1)).all()
