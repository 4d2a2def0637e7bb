r"""Everything one sample's cross-entropy involves, computed once for display.

The Explorer shows probabilities, the loss, the gradient and the loss each class
would give as the true one; :func:`explain_sample` returns them together so a
page does no maths of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cevis import InputError
from cevis.activations import log_softmax
from cevis.checks import as_float_array
from cevis.checks import check_finite
from cevis.checks import check_temperature
from cevis.checks import is_int


@dataclass(frozen=True)
class SampleBreakdown:
    """One sample's cross-entropy, piece by piece (``C`` classes)."""
    logits: np.ndarray  # [C] z
    true_index: int  # y
    temperature: float  # T
    probs: np.ndarray  # [C] softmax(z / T)
    loss: float  # -log p_y
    grad: np.ndarray  # [C] dL/dz = (p - onehot(y)) / T
    loss_if_true: np.ndarray  # [C] -log p_c: the loss had class c been the true one

    @property
    def predicted_indices(self) -> tuple[int, ...]:
        """Every class with the largest probability: more than one is a tie, not a prediction."""
        return tuple(int(i) for i in np.flatnonzero(self.probs == self.probs.max()))


def checked_sample(logits, true_index, fn: str, *, min_classes: int = 1) -> np.ndarray:
    """One sample's logits as float64 ``[C]``, or InputError naming ``fn``: the logits must be
    finite, at least ``min_classes`` of them, and ``true_index`` an integer in ``[0, C)``."""
    z = as_float_array(logits, "logits", fn).astype(np.float64)
    if z.ndim != 1 or z.size < min_classes:
        raise InputError(f"{fn}: logits has shape {z.shape}; expected (C,) with C >= {min_classes}, "
                         "one logit per class")
    check_finite(z, "logits", fn)
    if not is_int(true_index) or not 0 <= true_index < z.size:
        raise InputError(f"{fn}: true_index is {true_index!r}; expected an integer in "
                         f"[0, {z.size - 1}]")
    return z


def explain_sample(logits, true_index, *, temperature=1.0) -> SampleBreakdown:
    r"""Probabilities, loss and gradient of one sample with logits ``z`` and true class ``y``.

    .. math:: p = \mathrm{softmax}(z / T), \quad L = -\log p_y, \quad
              \frac{\partial L}{\partial z} = \frac{p - \mathrm{onehot}(y)}{T}

    Args:
      logits: array-like ``[C]``, finite.
      true_index: ``y``, an integer in ``[0, C)``.
      temperature: ``T > 0``.

    Returns:
      A :class:`SampleBreakdown` (float64 arrays).

    >>> b = explain_sample([2.0, 1.0, 0.1], 0)
    >>> print(round(b.loss, 4), b.grad.round(4))
    0.417 [-0.341   0.2424  0.0986]
    """
    fn = "explain_sample"
    z = checked_sample(logits, true_index, fn)
    t = check_temperature(temperature, fn)
    log_p = log_softmax(z, temperature=t)
    probs = np.exp(log_p)
    grad = probs.copy()
    grad[true_index] -= 1.0
    losses = 0.0 - log_p  # 0 - log 1 = +0.0, where -log 1 would print as -0.0
    return SampleBreakdown(z, int(true_index), t, probs, float(losses[true_index]), grad / t,
                           losses)
