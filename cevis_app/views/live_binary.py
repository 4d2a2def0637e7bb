r"""Tables for the Binary page's live drag: the prediction along the sigmoid, both BCE curves.

A drag moves either the logit ``z`` (over [-10, 10] in steps of 0.1) or the
probability ``p`` (over [0, 1] in steps of 0.005). Each row holds what the page
shows for that position, computed by cevis in one call per loss form:

.. math:: p = \sigma(z), \quad L_t = -[t \log p + (1-t)\log(1-p)], \quad
          \frac{\partial L}{\partial z} = p - t, \quad
          \frac{\partial L}{\partial p} = -\frac{t}{p} + \frac{1-t}{1-p}

From a logit the loss is ``BCEWithLogitsLoss`` (exact); from a probability it is
``BCELoss`` (each log clamped at -100), as on the page. Pure numpy + public cevis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import cevis

from .live import LOGIT_GRID

PROB_GRID = np.arange(0, 201) / 200  # a dragged p: steps of 0.005, on the p slider's 0.001 grid


@dataclass(frozen=True)
class BinaryTable:
    """``R`` predictions of one binary sample with label ``t``."""

    logits: np.ndarray  # [R] z; +-inf where p is exactly 1 or 0
    probs: np.ndarray  # [R] p
    loss_if_1: np.ndarray  # [R] the loss were t = 1: -log p
    loss_if_0: np.ndarray  # [R] the loss were t = 0: -log(1 - p)
    grad_logit: np.ndarray  # [R] dL/dz = p - t
    grad_prob: np.ndarray  # [R] dL/dp; +-inf at the edge the label makes infinitely wrong


@dataclass(frozen=True)
class BinaryLiveTables:
    target: int  # t in {0, 1}
    by_logit: BinaryTable  # z over LOGIT_GRID
    by_prob: BinaryTable  # p over PROB_GRID
    current: BinaryTable  # 1 row: the page's prediction


def _grad_prob(p, t):
    with np.errstate(divide="ignore"):  # 1/0 is the honest inf at the edge
        return -1.0 / p if t == 1 else 1.0 / (1.0 - p)


def from_logits(z, t: int) -> BinaryTable:
    """Rows for logits ``z`` ``[R]`` (one cevis call for both labels).

    >>> r = from_logits([0.0], 1)
    >>> print(r.probs, r.loss_if_1.round(4), r.grad_logit, r.grad_prob)
    [0.5] [0.6931] [-0.5] [-2.]
    """
    z = np.asarray(z, dtype=np.float64)
    both = cevis.binary_cross_entropy_with_logits(np.stack([z, z]),
                                                  np.stack([np.ones_like(z), np.zeros_like(z)]),
                                                  reduction="none")
    p = cevis.sigmoid(z)
    return BinaryTable(z, p, both[0], both[1], p - t, _grad_prob(p, t))


def from_probs(p, t: int) -> BinaryTable:
    """Rows for probabilities ``p`` ``[R]`` in [0, 1] (``BCELoss``'s clamped logs).

    >>> r = from_probs([0.0, 0.5], 1)
    >>> print(r.loss_if_1, r.logits, r.grad_prob)
    [100.           0.69314718] [-inf   0.] [-inf  -2.]
    """
    p = np.asarray(p, dtype=np.float64)
    both = cevis.binary_cross_entropy(np.stack([p, p]),
                                      np.stack([np.ones_like(p), np.zeros_like(p)]),
                                      reduction="none")
    with np.errstate(divide="ignore"):
        z = np.log(p) - np.log1p(-p)  # the logit of p: +-inf at 1 and 0
    return BinaryTable(z, p, both[0], both[1], p - t, _grad_prob(p, t))


def _rows(table: BinaryTable, rows: slice) -> BinaryTable:
    return BinaryTable(*(a[rows] for a in (table.logits, table.probs, table.loss_if_1,
                                           table.loss_if_0, table.grad_logit, table.grad_prob)))


def binary_live_tables(t: int, *, logit=None, prob=None) -> BinaryLiveTables:
    """Both drag tables and the current prediction (given as exactly one of logit, prob).

    >>> b = binary_live_tables(1, logit=1.0)
    >>> b.by_logit.probs.shape, b.by_prob.probs.shape, round(float(b.current.loss_if_1[0]), 4)
    ((201,), (201,), 0.3133)
    """
    g = LOGIT_GRID.size
    by_logit = from_logits(np.append(LOGIT_GRID, [] if logit is None else [logit]), t)
    by_prob = from_probs(np.append(PROB_GRID, [] if prob is None else [prob]), t)
    current = _rows(by_logit, slice(g, g + 1)) if logit is not None else \
        _rows(by_prob, slice(PROB_GRID.size, PROB_GRID.size + 1))
    return BinaryLiveTables(int(t), _rows(by_logit, slice(0, g)),
                            _rows(by_prob, slice(0, PROB_GRID.size)), current)
