r"""Softmax regression trained by full-batch gradient descent, for the Training page.

:math:`p = \mathrm{softmax}(xW + b)`, the loss the mean cross-entropy plus
:math:`\frac{\lambda}{2}\|W\|^2`, its gradient :math:`X^\top(P - Y)/N + \lambda W`.
Every epoch's parameters and scores are kept, so the page can animate any of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cevis import InputError
from cevis.activations import softmax
from cevis.checks import check_real
from cevis.checks import is_int
from cevis.grads import cross_entropy_grad
from cevis.losses import cross_entropy

TEST_FRACTION = 0.3  # of the samples, held out to measure generalisation
MAX_EPOCHS = 1000  # the page trains at most a few hundred epochs; more is a typo
INIT_SCALE = 0.01  # initial weights ~ N(0, 0.01^2): small, so training starts near uniform p


@dataclass(frozen=True)
class Split:
    """Standardised features and labels, split into a training and a held-out part."""

    x_train: np.ndarray  # [N, F] standardised with the training mean and std
    y_train: np.ndarray  # [N]
    x_test: np.ndarray
    y_test: np.ndarray
    mean: np.ndarray  # [F] of the raw training features
    std: np.ndarray  # [F]
    train_index: np.ndarray  # rows of the original data
    test_index: np.ndarray

    def all_samples(self):
        """``(x, rows, held_out)``: every sample standardised, its row, and whether it was held out."""
        x = np.concatenate([self.x_train, self.x_test])
        rows = np.concatenate([self.train_index, self.test_index])
        held = np.concatenate([np.zeros(self.train_index.size, bool),
                               np.ones(self.test_index.size, bool)])
        return x, rows, held


def split_and_standardise(features, labels, *, seed=0, test_fraction=TEST_FRACTION) -> Split:
    """Shuffle with ``seed``, hold out ``test_fraction`` of each class, standardise by the training part."""
    x = np.asarray(features, dtype=np.float64)
    y = np.asarray(labels)
    rng = np.random.default_rng(seed)
    test = np.zeros(y.size, bool)
    for k in np.unique(y):  # stratified: each class keeps its share in both parts
        rows = rng.permutation(np.flatnonzero(y == k))
        test[rows[: int(round(test_fraction * rows.size))]] = True
    train_index, test_index = np.flatnonzero(~test), np.flatnonzero(test)
    mean = x[train_index].mean(axis=0)
    std = x[train_index].std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return Split((x[train_index] - mean) / std, y[train_index], (x[test_index] - mean) / std,
                 y[test_index], mean, std, train_index, test_index)


@dataclass(frozen=True)
class TrainingRun:
    """Full-batch gradient descent on a softmax regression, epoch by epoch (E epochs, K classes)."""

    weights: np.ndarray  # [E + 1, F, K]
    bias: np.ndarray  # [E + 1, K]
    train_loss: np.ndarray  # [E + 1] mean cross-entropy (without the L2 term)
    test_loss: np.ndarray  # [E + 1]
    train_accuracy: np.ndarray  # [E + 1]
    test_accuracy: np.ndarray  # [E + 1]
    objective: np.ndarray  # [E + 1] what is minimised: train loss + l2 / 2 * |W|^2

    def logits(self, x, epoch=-1) -> np.ndarray:
        """``[N, K]`` logits of standardised features ``x`` after ``epoch``."""
        return np.asarray(x, dtype=np.float64) @ self.weights[epoch] + self.bias[epoch]


def softmax_regression_loss(weights, bias, x, y, l2=0.0) -> float:
    r"""Mean cross-entropy of ``softmax(x W + b)`` plus :math:`\frac{\lambda}{2}\|W\|^2`."""
    w = np.asarray(weights, dtype=np.float64)
    return float(cross_entropy(np.asarray(x) @ w + bias, y)) + 0.5 * l2 * float((w ** 2).sum())


def softmax_regression_grad(weights, bias, x, y, l2=0.0):
    r"""Gradients of :func:`softmax_regression_loss`: :math:`X^\top(P - Y)/N + \lambda W` and
    :math:`\mathbf{1}^\top(P - Y)/N`."""
    w = np.asarray(weights, dtype=np.float64)
    g = cross_entropy_grad(np.asarray(x) @ w + bias, y)  # (P - Y) / N: the mean's gradient
    return np.asarray(x).T @ g + l2 * w, g.sum(axis=0)


def train_softmax_regression(split: Split, num_classes: int, *, learning_rate, epochs, l2=0.0,
                             seed=0) -> TrainingRun:
    r"""Train :math:`p = \mathrm{softmax}(xW + b)` by full-batch gradient descent.

    Args:
      split: from :func:`split_and_standardise`.
      num_classes: K.
      learning_rate: :math:`\eta > 0`.
      epochs: steps of full-batch descent (1 to ``MAX_EPOCHS``).
      l2: :math:`\lambda \ge 0`, the weight of :math:`\frac{\lambda}{2}\|W\|^2` (bias not penalised).
      seed: of the initial weights.

    Returns:
      A :class:`TrainingRun` with every epoch's parameters and scores.
    """
    fn = "train_softmax_regression"
    check_real(learning_rate, "learning_rate", fn, low=0.0, low_open=True)
    check_real(l2, "l2", fn, low=0.0)
    if not is_int(epochs) or not 1 <= epochs <= MAX_EPOCHS:
        raise InputError(f"{fn}: epochs is {epochs!r}; expected an integer in [1, {MAX_EPOCHS}]")
    f = split.x_train.shape[1]
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, INIT_SCALE, size=(f, num_classes))
    b = np.zeros(num_classes)
    ws, bs = np.empty((epochs + 1, f, num_classes)), np.empty((epochs + 1, num_classes))
    scores = np.empty((6, epochs + 1))
    for e in range(epochs + 1):
        ws[e], bs[e] = w, b
        train_logits = split.x_train @ w + b
        test_logits = split.x_test @ w + b
        scores[0, e] = float(cross_entropy(train_logits, split.y_train))
        scores[1, e] = (float(cross_entropy(test_logits, split.y_test)) if split.y_test.size
                        else float("nan"))
        scores[2, e] = float((train_logits.argmax(axis=1) == split.y_train).mean())
        scores[3, e] = (float((test_logits.argmax(axis=1) == split.y_test).mean())
                        if split.y_test.size else float("nan"))
        scores[4, e] = scores[0, e] + 0.5 * l2 * float((w ** 2).sum())
        gw, gb = softmax_regression_grad(w, b, split.x_train, split.y_train, l2)
        w, b = w - learning_rate * gw, b - learning_rate * gb
    return TrainingRun(ws, bs, scores[0], scores[1], scores[2], scores[3], scores[4])


def decision_grid(split: Split, columns=(0, 1), resolution: int = 80):
    """A grid over the plane of two standardised features, with 10% margin: ``(gx, gy, points)``."""
    x = np.concatenate([split.x_train, split.x_test])[:, list(columns)]
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = 0.1 * (hi - lo)
    gx = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    gy = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    xx, yy = np.meshgrid(gx, gy)
    return gx, gy, np.stack([xx.ravel(), yy.ravel()], axis=1)


def region_predictions(run: TrainingRun, points, epochs) -> np.ndarray:
    """Predicted class of each point (standardised features) after each epoch, ``[len(epochs), M]``."""
    pts = np.asarray(points, dtype=np.float64)
    return np.stack([run.logits(pts, e).argmax(axis=1) for e in epochs])


def frame_epochs(epochs: int, frames: int = 30) -> np.ndarray:
    """Up to ``frames`` epochs from 0 to ``epochs``, denser at the start where most changes."""
    grid = np.unique(np.round(np.geomspace(1, epochs + 1, frames)).astype(int) - 1)
    return grid


@dataclass(frozen=True)
class SampleScores:
    """Each sample's probabilities and loss under a trained model."""

    logits: np.ndarray  # [N, K]
    probs: np.ndarray  # [N, K]
    p_true: np.ndarray  # [N]
    loss: np.ndarray  # [N]
    predicted: np.ndarray  # [N]


def score_samples(run: TrainingRun, x, y, epoch=-1) -> SampleScores:
    """Per-sample probabilities and cross-entropy of standardised ``x`` with labels ``y``."""
    z = run.logits(x, epoch)
    y = np.asarray(y)
    p = softmax(z)
    return SampleScores(z, p, p[np.arange(y.size), y], cross_entropy(z, y, reduction="none"),
                        z.argmax(axis=1))
