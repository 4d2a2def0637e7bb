r"""Binary cross-entropy of samples given as probabilities or logits, with both gradients.

The Binary page's table and charts: the loss as PyTorch computes it, its gradient with
respect to the logit (bounded) and to the probability (unbounded near 0 and 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cevis import InputError
from cevis.activations import sigmoid
from cevis.checks import as_float_array
from cevis.checks import check_finite
from cevis.losses import binary_cross_entropy
from cevis.losses import binary_cross_entropy_with_logits


@dataclass(frozen=True)
class BinaryBreakdown:
    """Binary cross-entropy of one or more samples, with both gradients (``[N]`` arrays).

    The loss is PyTorch's: from a logit, exact (``BCEWithLogitsLoss``); from a
    probability, with each log clamped at -100 (``BCELoss``), which matters only
    at p = 0 or 1.
    """
    target: np.ndarray  # t in {0, 1} (or soft, in [0, 1])
    probs: np.ndarray  # p = sigmoid(z)
    logits: np.ndarray  # z; +-inf where p was given as exactly 1 or 0
    loss: np.ndarray  # -[t log p + (1 - t) log(1 - p)]
    grad_logit: np.ndarray  # dL/dz = p - t, bounded by 1 in size
    grad_prob: np.ndarray  # dL/dp = -t/p + (1 - t)/(1 - p), unbounded near 0 and 1

    @property
    def total(self) -> float:
        return float(self.loss.sum())

    @property
    def mean(self) -> float:
        return float(self.loss.mean()) if self.loss.size else float("nan")


def explain_binary(target, *, probs=None, logits=None) -> BinaryBreakdown:
    r"""Binary cross-entropy of samples given as probabilities or as logits.

    .. math:: L = -[t \log p + (1-t)\log(1-p)], \quad
              \frac{\partial L}{\partial z} = p - t, \quad
              \frac{\partial L}{\partial p} = -\frac{t}{p} + \frac{1-t}{1-p}

    Args:
      target: array-like ``[N]`` (or a scalar) of labels in [0, 1].
      probs: array-like of probabilities in [0, 1], the shape of ``target``; or
      logits: array-like of finite logits, the shape of ``target``.

    Returns:
      A :class:`BinaryBreakdown` of float64 ``[N]`` arrays (scalars become ``[1]``).

    >>> b = explain_binary([0, 1], probs=[0.07, 0.91])
    >>> print(b.loss.round(4), round(b.total, 4))
    [0.0726 0.0943] 0.1669
    >>> print(explain_binary(1, logits=0.0).grad_logit)
    [-0.5]
    """
    fn = "explain_binary"
    if (probs is None) == (logits is None):
        raise InputError(f"{fn}: got {'both' if probs is not None else 'neither'} of probs and "
                         "logits; expected exactly one")
    t = np.atleast_1d(as_float_array(target, "target", fn)).astype(np.float64)
    if logits is not None:
        z = np.atleast_1d(as_float_array(logits, "logits", fn)).astype(np.float64)
        check_finite(z, "logits", fn)
        loss = binary_cross_entropy_with_logits(z, t, reduction="none")
        p = sigmoid(z)
    else:
        p = np.atleast_1d(as_float_array(probs, "probs", fn)).astype(np.float64)
        loss = binary_cross_entropy(p, t, reduction="none")
        with np.errstate(divide="ignore"):
            z = np.log(p) - np.log1p(-p)  # the logit of p: +-inf at 1 and 0
    with np.errstate(divide="ignore", invalid="ignore"):  # a term with weight 0 is 0, not nan
        grad_prob = (np.where(t > 0, -t / p, 0.0) + np.where(t < 1, (1 - t) / (1 - p), 0.0))
    return BinaryBreakdown(t, p, z, loss, p - t, grad_prob)
