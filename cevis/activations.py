r"""Softmax, log-softmax, log-sum-exp and the sigmoid, in their numerically stable forms.

Every function subtracts the maximum (or splits on the sign) before ``exp`` so that
logits of any size give finite results: the naive ``exp(z) / exp(z).sum()`` turns
``[1000., 1.]`` into ``[nan, 0.]``; :func:`softmax` gives ``[1., 0.]``.

A temperature divides ``z - max(z)``, never ``z`` itself: ``1e308 / 0.5`` overflows,
``(1e308 - 1e308) / 0.5`` is 0. Results beyond the dtype's range are ``±inf``
(``log_softmax([1., 0.], temperature=1e-320)`` is ``[0., -inf]``), never NaN.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array
from ._checks import check_axes
from ._checks import check_axis
from ._checks import check_finite
from ._checks import check_temperature
from ._checks import work_dtype


def divide_by_temperature(x: np.ndarray, t: float) -> np.ndarray:
    """``x / t`` for a float array; in float64 when ``x``'s dtype cannot hold ``t`` itself.

    (float32 rounds ``1e-50`` to 0 and ``1e50`` to inf.) A quotient past the dtype's range
    is ``±inf``: the correctly rounded answer, so numpy's overflow warning is silenced.
    """
    if t == 1.0:
        return x
    info = np.finfo(x.dtype)
    with np.errstate(over="ignore"):
        if info.tiny <= t <= info.max:
            return x / x.dtype.type(t)
        return (x.astype(np.float64) / t).astype(x.dtype)


def _scaled_shifted(logits, axis, temperature, fn, *, many_axes=False):
    """Validated ``(z - max z) / T`` in the working dtype, with classes along ``axes``.

    Returns ``(shifted, m, axes, out_dtype, shape)``; ``m`` is the max (kept as dims; ``-inf``
    along an empty axis). A 0-d input counts as one class, as PyTorch treats scalars.
    """
    x = as_float_array(logits, "logits", fn)
    out_dtype, shape = x.dtype, x.shape
    check_finite(x, "logits", fn)
    axes = check_axes(axis, x.ndim, fn) if many_axes else (
        check_axis(axis, x.ndim, fn, scalar_ok=True),)
    t = check_temperature(temperature, fn)
    x = x.astype(work_dtype(out_dtype), copy=False)
    if x.ndim == 0:
        x, axes = x.reshape(1), (0,)
    m = x.max(axis=axes, keepdims=True, initial=-np.inf)
    with np.errstate(over="ignore"):  # a gap past the dtype's range is -inf: exp of it is 0
        shifted = x - m  # <= 0: exp cannot overflow
    return divide_by_temperature(shifted, t), m, axes, out_dtype, shape


def _to(x: np.ndarray, dtype, shape) -> np.ndarray:
    """``x`` as ``dtype`` and ``shape``; float16 overflow is inf (the answer), not a warning."""
    with np.errstate(over="ignore"):
        return np.asarray(x.astype(dtype, copy=False).reshape(shape))


def probabilities_last(logits, axis, temperature, fn):
    """``softmax`` validated under ``fn``'s name, in the working dtype, with classes last.

    Returns ``(p, shape, out_dtype)``: ``p`` is ``[..., C]`` (``[1]`` for a 0-d input),
    ``shape`` the shape of the logits.
    """
    s, _, axes, out_dtype, shape = _scaled_shifted(logits, axis, temperature, fn)
    e = np.exp(s)
    return np.moveaxis(e / e.sum(axis=axes, keepdims=True), axes[0], -1), shape, out_dtype


def softmax(logits: ArrayLike, axis: int = -1, *, temperature: float = 1.0) -> np.ndarray:
    r"""Probabilities from logits: :math:`p_i = e^{z_i/T} / \sum_j e^{z_j/T}`.

    Computed as :math:`e^{(z_i - m)/T}` over its sum with :math:`m = \max_j z_j`, which
    cannot overflow: the largest term is :math:`e^0 = 1`.

    Args:
      logits: array-like, shape ``[..., C]`` (classes along ``axis``); a 0-d input is
        one class (softmax 1, as PyTorch); ``C = 0`` gives an empty result.
      axis: the class axis.
      temperature: ``T > 0``; large ``T`` flattens the distribution, small ``T``
        sharpens it towards the arg-max.

    Returns:
      Array of the same shape and floating dtype; sums to 1 along ``axis``.

    >>> print(softmax([2.0, 1.0, 0.1]).round(4))
    [0.659  0.2424 0.0986]
    >>> print(softmax([1000.0, 1.0]), softmax([1e308, 0.0], temperature=0.5))
    [1. 0.] [1. 0.]
    """
    s, _, axes, out_dtype, shape = _scaled_shifted(logits, axis, temperature, "softmax")
    e = np.exp(s)
    return _to(e / e.sum(axis=axes, keepdims=True), out_dtype, shape)


def log_softmax(logits: ArrayLike, axis: int = -1, *, temperature: float = 1.0) -> np.ndarray:
    r"""Log-probabilities: :math:`\log p_i = z_i/T - \log\sum_j e^{z_j/T}`.

    Computed as :math:`s_i - \log\sum_j e^{s_j}` with :math:`s = (z - m)/T`,
    :math:`m = \max z`, so a large gap between logits gives the exact large negative
    number, not ``-inf`` (only a value past the dtype's range is ``-inf``).

    Args:
      logits: array-like, shape ``[..., C]``; a 0-d input gives 0.
      axis: the class axis.
      temperature: ``T > 0``.

    Returns:
      Array of the same shape and floating dtype, all values ``<= 0``.

    >>> print(log_softmax([1000.0, 1.0]))
    [   0. -999.]
    """
    s, _, axes, out_dtype, shape = _scaled_shifted(logits, axis, temperature, "log_softmax")
    with np.errstate(divide="ignore"):  # log 0 only for an empty axis, where nothing uses it
        lse = np.log(np.exp(s).sum(axis=axes, keepdims=True))
    return _to(s - lse, out_dtype, shape)


def logsumexp(logits: ArrayLike, axis: int | tuple[int, ...] | None = -1, *,
              keepdims: bool = False) -> np.ndarray:
    r"""Log of the sum of exponentials: :math:`m + \log\sum_j e^{z_j - m}`, :math:`m = \max z`.

    As ``torch.logsumexp``: ``axis`` may be a tuple of axes (or None: all of them);
    a sum over an empty axis is ``log 0 = -inf``.

    Args:
      logits: array-like, shape ``[..., C]``.
      axis: the axis or tuple of axes to reduce.
      keepdims: keep the reduced axes with length 1.

    Returns:
      Array of shape ``[...]`` (reduced axes removed unless ``keepdims``), same floating dtype.

    >>> print(logsumexp([1000.0, 1000.0]).round(6))
    1000.693147
    >>> print(logsumexp([[0.0, 0.0], [0.0, 0.0]], axis=(0, 1), keepdims=True).round(6))
    [[1.386294]]
    """
    s, m, axes, out_dtype, shape = _scaled_shifted(logits, axis, 1.0, "logsumexp", many_axes=True)
    with np.errstate(divide="ignore"):  # log 0 = -inf for an empty axis, as torch
        out = m + np.log(np.exp(s).sum(axis=axes, keepdims=True))
    if keepdims:
        return _to(out, out_dtype, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return _to(out, out_dtype, tuple(n for i, n in enumerate(shape) if i not in axes))


def sigmoid(x: ArrayLike) -> np.ndarray:
    r"""The logistic function :math:`\sigma(x) = 1 / (1 + e^{-x})`, elementwise.

    ``exp`` is only ever taken of ``-|x|``, so it cannot overflow.

    Args:
      x: array-like ``[...]`` of any shape, finite.

    Returns:
      ``[...]``, the same floating dtype, values in ``[0, 1]``.

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


def log_sigmoid(x: ArrayLike) -> np.ndarray:
    r"""Elementwise :math:`\log\sigma(x) = -\log(1 + e^{-x})`, exact for large ``|x|``.

    ``log(sigmoid(-1e4))`` is ``-inf``; this gives ``-1e4``.

    Args:
      x: array-like ``[...]`` of any shape, finite.

    Returns:
      ``[...]``, the same floating dtype, values ``<= 0``.

    >>> print(log_sigmoid([-1e4, 0.0]).round(6))
    [-1.00000e+04 -6.93147e-01]
    """
    a = as_float_array(x, "x", "log_sigmoid")
    check_finite(a, "x", "log_sigmoid")
    w = a.astype(work_dtype(a.dtype), copy=False)
    return np.asarray((-softplus_neg(w)).astype(a.dtype, copy=False))
