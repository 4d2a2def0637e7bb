r"""Gradient descent on the logits of one sample, for several learning rates at once.

A step is :math:`z \leftarrow z - \eta\,\nabla_z L`. With cross-entropy the gradient
is :math:`p - \mathrm{onehot}(y)`; with squared error on the probabilities it is
:math:`2J(p - \mathrm{onehot}(y))`. Every run of a figure's frames comes from one
call here: the steps are sequential, the learning rates are computed side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cevis import InputError
from cevis.activations import softmax
from cevis.checks import as_float_array
from cevis.checks import check_real
from cevis.checks import check_temperature
from cevis.checks import is_int
from cevis.grads import cross_entropy_and_grad
from cevis.grads import mse_on_probabilities_grad
from cevis.losses import mse_on_probabilities
from cevis_app.views.sample import checked_sample

LOSSES = ("cross-entropy", "mse")
MAX_STEPS = 1000  # a page animates at most a few hundred; more is a typo


@dataclass(frozen=True)
class DescentPath:
    """Runs of gradient descent: R learning rates, S steps, C classes."""

    learning_rates: np.ndarray  # [R]
    logits: np.ndarray  # [R, S + 1, C], step 0 is the start
    probs: np.ndarray  # [R, S + 1, C]
    grads: np.ndarray  # [R, S + 1, C], the gradient at each point
    losses: np.ndarray  # [R, S + 1]
    true_index: int
    loss: str

    @property
    def p_true(self) -> np.ndarray:
        """[R, S + 1] the probability of the true class along each run."""
        return self.probs[..., self.true_index]


def _loss_and_grad(loss, z, y, smoothing, t):
    """Loss of softmax(z / T) and its gradient w.r.t. z: the gradient at z / T, divided by T."""
    ys = np.full(z.shape[0], y)
    if loss == "cross-entropy":
        values, g = cross_entropy_and_grad(z / t, ys, reduction="none", label_smoothing=smoothing)
    else:
        values, g = mse_on_probabilities(z / t, ys), mse_on_probabilities_grad(z / t, ys)
    return values, g / t


def descend(logits, true_index, *, learning_rates, steps, loss="cross-entropy",
            label_smoothing=0.0, temperature=1.0) -> DescentPath:
    r"""Run :math:`z_{k+1} = z_k - \eta \nabla L(z_k)` from ``logits`` for each learning rate.

    Args:
      logits: array-like ``[C]``, the start.
      true_index: the true class ``y``.
      learning_rates: one or more :math:`\eta > 0`.
      steps: number of steps ``S`` (1 to ``MAX_STEPS``).
      loss: ``"cross-entropy"`` or ``"mse"`` (squared error on softmax(z)).
      label_smoothing: for cross-entropy: with :math:`\varepsilon > 0` the loss has its
        minimum at finite logits, so too large a step overshoots it and oscillates
        (without smoothing the minimum is at infinity and every step size gets there).
      temperature: ``T > 0``: the loss is that of softmax(z / T), the Explorer's.

    Returns:
      A :class:`DescentPath`.

    >>> path = descend([0.0, 0.0], 0, learning_rates=[1.0], steps=1)
    >>> print(path.logits[0, 1])  # one step: z - lr * (p - onehot) = [0, 0] - [-0.5, 0.5]
    [ 0.5 -0.5]
    """
    fn = "descend"
    z0 = checked_sample(logits, true_index, fn, min_classes=2)
    lrs = np.atleast_1d(as_float_array(learning_rates, "learning_rates", fn)).astype(np.float64)
    if lrs.ndim != 1 or not (np.isfinite(lrs) & (lrs > 0)).all():
        raise InputError(f"{fn}: learning_rates is {learning_rates!r}; expected positive numbers")
    if not is_int(steps) or not 1 <= steps <= MAX_STEPS:
        raise InputError(f"{fn}: steps is {steps!r}; expected an integer in [1, {MAX_STEPS}]")
    if loss not in LOSSES:
        raise InputError(f"{fn}: loss is {loss!r}; expected one of {LOSSES}")
    check_real(label_smoothing, "label_smoothing", fn, low=0.0, high=1.0)
    t = check_temperature(temperature, fn)
    r, c = lrs.size, z0.size
    zs = np.empty((r, steps + 1, c))
    gs = np.empty((r, steps + 1, c))
    ls = np.empty((r, steps + 1))
    z = np.tile(z0, (r, 1))
    for k in range(steps + 1):  # each step needs the last; the R runs go together
        values, g = _loss_and_grad(loss, z, int(true_index), label_smoothing, t)
        zs[:, k], gs[:, k], ls[:, k] = z, g, values
        z = z - lrs[:, None] * g
    return DescentPath(lrs, zs, softmax(zs, temperature=t), gs, ls, int(true_index), loss)



LOSS_LABELS = {"cross-entropy": "cross-entropy", "mse": "MSE on p"}  # each loss's name on charts


@dataclass(frozen=True)
class RateComparison:
    """Runs from one start at neighbouring learning rates, each labelled ``"η = <rate>"``."""

    losses: dict[str, np.ndarray]  # label -> [S + 1] the loss at each step
    probs: dict[str, np.ndarray]  # label -> [S + 1, C] the probabilities at each step


def compare_rates(logits, true_index, learning_rate, *, lowest, highest, steps,
                  loss="cross-entropy", label_smoothing=0.0, temperature=1.0) -> RateComparison:
    r"""Descent at :math:`\eta/10`, :math:`\eta` and :math:`10\eta` (each kept within
    ``[lowest, highest]``, repeats dropped) from the same start; other arguments as
    :func:`descend`.

    >>> c = compare_rates([0.0, 0.0], 0, 1.0, lowest=0.01, highest=100.0, steps=1)
    >>> list(c.losses), c.probs["η = 1"].shape
    (['η = 0.1', 'η = 1', 'η = 10'], (2, 2))
    """
    rates = sorted({max(lowest, learning_rate / 10), learning_rate,
                    min(highest, learning_rate * 10)})
    path = descend(logits, true_index, learning_rates=rates, steps=steps, loss=loss,
                   label_smoothing=label_smoothing, temperature=temperature)
    labels = [f"η = {r:g}" for r in path.learning_rates]
    return RateComparison(dict(zip(labels, path.losses)), dict(zip(labels, path.probs)))


def compare_losses(logits, true_index, learning_rate, *, steps,
                   temperature=1.0) -> dict[str, np.ndarray]:
    """p of the true class along descent with each loss of :data:`LOSSES`, from the same
    start, labelled: ``{"cross-entropy": [S + 1], "MSE on p": [S + 1]}``."""
    return {LOSS_LABELS[name]: descend(logits, true_index, learning_rates=[learning_rate],
                                       steps=steps, loss=name, temperature=temperature).p_true[0]
            for name in LOSSES}

SIMPLEX_RESOLUTION = 60  # grid steps per edge of the simplex shading: ~1900 points


def simplex_grid(resolution: int = SIMPLEX_RESOLUTION) -> np.ndarray:
    """Points strictly inside the probability simplex of 3 classes, ``[M, 3]``, rows summing to 1."""
    n = int(resolution)
    i, j = np.meshgrid(np.arange(1, n), np.arange(1, n), indexing="ij")
    keep = i + j < n
    a, b = i[keep] / n, j[keep] / n
    return np.stack([a, b, 1 - a - b], axis=1)


def loss_on_simplex(points, true_index: int, *, label_smoothing=0.0) -> np.ndarray:
    """Cross-entropy of each probability vector against the (smoothed) true class, ``[M]``.

    >>> print(loss_on_simplex([[0.5, 0.25, 0.25]], 0).round(4))
    [0.6931]
    """
    p = np.asarray(points, dtype=np.float64)
    c = p.shape[-1]
    t = np.full(c, label_smoothing / c)
    t[true_index] += 1 - label_smoothing
    with np.errstate(divide="ignore"):
        return -(np.log(p) * t).sum(axis=-1)

