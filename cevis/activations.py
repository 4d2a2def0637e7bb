r"""Softmax, log-softmax, log-sum-exp and the sigmoid, in their numerically stable forms.

Every function subtracts the maximum (or splits on the sign) before ``exp`` so that
logits of any size give finite results: the naive ``exp(z) / exp(z).sum()`` turns
``[1000., 1.]`` into ``[nan, 0.]``; :func:`softmax` gives ``[1., 0.]``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array
from ._checks import check_axis
from ._checks import check_finite
from ._checks import check_has_classes
from ._checks import check_temperature
from ._checks import work_dtype


def _scaled_logits(logits, axis, temperature, fn):
    """Validated ``logits / temperature`` in the working dtype.

    Returns ``(x, m, ax, out_dtype)``: ``m`` is the max along ``ax`` (kept as a dim).
    """
    x = as_float_array(logits, "logits", fn)
    out_dtype = x.dtype
    check_finite(x, "logits", fn)
    ax = check_axis(axis, x.ndim, fn)
    check_has_classes(x.shape, ax, "logits", fn)
    t = check_temperature(temperature, fn)
    x = x.astype(work_dtype(out_dtype), copy=False)
    if t != 1.0:
        x = x / x.dtype.type(t)
    m = x.max(axis=ax, keepdims=True)
    return x, m, ax, out_dtype


def _shifted_and_lse(x, m, ax):
    """Return ``x - m`` and ``log(sum(exp(x - m)))`` along ``ax`` (kept as a dim)."""
    shifted = x - m  # <= 0, so exp cannot overflow
    return shifted, np.log(np.exp(shifted).sum(axis=ax, keepdims=True))


def softmax(logits, axis=-1, *, temperature=1.0):
    r"""Probabilities from logits: :math:`p_i = e^{z_i/T} / \sum_j e^{z_j/T}`.

    Computed as ``exp(z - max(z))`` over its sum, which cannot overflow.

    Args:
      logits: array-like, shape ``[..., C]`` (classes along ``axis``).
      axis: the class axis.
      temperature: ``T > 0``; large ``T`` flattens the distribution, small ``T``
        sharpens it towards the arg-max.

    Returns:
      Array of the same shape and floating dtype; sums to 1 along ``axis``.

    >>> print(softmax([2.0, 1.0, 0.1]).round(4))
    [0.659  0.2424 0.0986]
    >>> print(softmax([1000.0, 1.0]))
    [1. 0.]
    """
    x, m, ax, out_dtype = _scaled_logits(logits, axis, temperature, "softmax")
    e = np.exp(x - m)
    return (e / e.sum(axis=ax, keepdims=True)).astype(out_dtype, copy=False)


def log_softmax(logits, axis=-1, *, temperature=1.0):
    r"""Log-probabilities: :math:`\log p_i = z_i/T - \log\sum_j e^{z_j/T}`.

    Computed as ``(z - m) - log(sum(exp(z - m)))`` with ``m = max(z)``, so a large
    gap between logits gives the exact large negative number, not ``-inf``.

    Args:
      logits: array-like, shape ``[..., C]``.
      axis: the class axis.
      temperature: ``T > 0``.

    Returns:
      Array of the same shape and floating dtype, all values ``<= 0``.

    >>> print(log_softmax([1000.0, 1.0]))
    [   0. -999.]
    """
    x, m, ax, out_dtype = _scaled_logits(logits, axis, temperature, "log_softmax")
    shifted, lse = _shifted_and_lse(x, m, ax)
    return (shifted - lse).astype(out_dtype, copy=False)


def logsumexp(logits, axis=-1):
    r"""Log of the sum of exponentials: :math:`\log\sum_j e^{z_j}`, without overflow.

    Args:
      logits: array-like, shape ``[..., C]``.
      axis: the axis to reduce.

    Returns:
      Array of shape ``[...]`` (``axis`` removed), same floating dtype.

    >>> print(logsumexp([1000.0, 1000.0]).round(6))
    1000.693147
    """
    x, m, ax, out_dtype = _scaled_logits(logits, axis, 1.0, "logsumexp")
    _, lse = _shifted_and_lse(x, m, ax)
    return np.asarray(np.squeeze(m + lse, axis=ax).astype(out_dtype, copy=False))


def sigmoid(x):
    r"""The logistic function :math:`\sigma(x) = 1 / (1 + e^{-x})`, elementwise.

    ``exp`` is only ever taken of ``-|x|``, so it cannot overflow.

    Args:
      x: array-like of any shape.

    Returns:
      Array of the same shape and floating dtype, values in ``[0, 1]``.

    >>> print(sigmoid([-1e4, 0.0, 2.0]).round(4))
    [0.     0.5    0.8808]
    """
    a = as_float_array(x, "x", "sigmoid")
    check_finite(a, "x", "sigmoid")
    out = stable_sigmoid(a.astype(work_dtype(a.dtype), copy=False))
    return np.asarray(out.astype(a.dtype, copy=False))


def stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """Sigmoid of a validated float array; ``exp`` only of ``-|x|``, so no overflow."""
    e = np.exp(-np.abs(x))  # in (0, 1]
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def softplus_neg(x: np.ndarray) -> np.ndarray:
    """``log(1 + exp(-x))`` for a float array, stable for both signs of ``x``."""
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)


def log_sigmoid(x):
    r"""Elementwise :math:`\log\sigma(x) = -\log(1 + e^{-x})`, exact for large ``|x|``.

    ``log(sigmoid(-1e4))`` is ``-inf``; this gives ``-1e4``.

    Args:
      x: array-like of any shape.

    Returns:
      Array of the same shape and floating dtype, values ``<= 0``.

    >>> print(log_sigmoid([-1e4, 0.0]).round(6))
    [-1.00000e+04 -6.93147e-01]
    """
    a = as_float_array(x, "x", "log_sigmoid")
    check_finite(a, "x", "log_sigmoid")
    w = a.astype(work_dtype(a.dtype), copy=False)
    return np.asarray((-softplus_neg(w)).astype(a.dtype, copy=False))
