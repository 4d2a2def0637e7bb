r"""Binary cross-entropy, from probabilities and from logits, with PyTorch's semantics.

Shape: ``probs``/``logits`` and ``target`` have one shape ``[...]`` (any, 0-d included);
``weight`` and ``pos_weight`` broadcast to it. ``reduction="none"`` returns ``[...]``,
``"sum"`` and ``"mean"`` (over all elements; nan for no elements, as PyTorch) a 0-d array.

Weights are applied in float64, whatever the dtype of the logits, so a weight past the
logits' range (``1e308`` with float32 logits) is a number, not inf; for the mean each
weight is divided by the count first, so the weighted sum cannot overflow on the way.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import InputError
from ._checks import as_float_array
from ._checks import broadcastable
from ._checks import check_finite
from ._checks import check_in_unit_interval
from ._checks import check_reduction
from ._checks import work_dtype
from ._reduce import reduce_loss
from .activations import softplus_neg

BCE_LOG_FLOOR = -100.0  # torch.nn.functional.binary_cross_entropy clamps log(p) here


def _elementwise_weight(weight, shape, name, fn, expected):
    """A validated non-negative float64 weight broadcast to ``shape``, or None."""
    if weight is None:
        return None
    w = as_float_array(weight, name, fn)
    check_finite(w, name, fn)
    if (w < 0).any():
        where = tuple(int(i) for i in np.argwhere(w < 0)[0])
        raise InputError(f"{fn}: {name} has a negative value ({float(w[where])!r} at index "
                         f"{where}); expected weights >= 0")
    return broadcastable(w.astype(np.float64), shape, name, fn, expected)


def _binary_inputs(first, first_name, target, weight, reduction, fn, *, first_is_prob):
    """Validated ``(x, t, w, out_dtype)``; for the mean ``w`` is already divided by the count."""
    check_reduction(reduction, fn)
    x = as_float_array(first, first_name, fn)
    out_dtype = x.dtype
    if first_is_prob:
        check_in_unit_interval(x, first_name, fn)
    else:
        check_finite(x, first_name, fn)
    t = as_float_array(target, "target", fn)
    if t.shape != x.shape:
        raise InputError(f"{fn}: target has shape {t.shape}; expected {x.shape}, "
                         f"the shape of {first_name}")
    check_in_unit_interval(t, "target", fn)
    w = _elementwise_weight(weight, x.shape, "weight", fn, f"a shape that broadcasts to {x.shape}")
    if w is not None and reduction == "mean" and x.size:
        w = w / x.size  # sum(w / n * loss) cannot overflow where sum(w * loss) / n does not
    dt = work_dtype(out_dtype)
    return x.astype(dt, copy=False), t.astype(dt, copy=False), w, out_dtype


def weighted(w, loss):
    """``w * loss``, where a weight of 0 gives 0 even next to an infinite (overflowed) loss."""
    if w is None:
        return loss
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(w == 0, 0.0, w * loss)


def _reduce_weighted(loss, w, reduction, out_dtype):
    """The mean of weighted losses is their sum: each weight was divided by the count."""
    if w is not None and reduction == "mean" and loss.size:
        return reduce_loss(loss, "sum", 1, out_dtype)
    return reduce_loss(loss, reduction, np.asarray(loss.size), out_dtype)


def binary_cross_entropy(probs: ArrayLike, target: ArrayLike, *, weight: ArrayLike | None = None,
                         reduction: str = "mean") -> np.ndarray:
    r"""Binary cross-entropy from probabilities, as ``torch.nn.functional.binary_cross_entropy``.

    .. math:: \ell = -w\,[\,t \log p + (1 - t) \log(1 - p)\,]

    Each log is clamped at -100, as PyTorch does, so ``p`` of exactly 0 or 1
    gives a finite loss (100 per wrong-and-certain sample).

    Args:
      probs: array-like ``[...]``, values in [0, 1].
      target: ``[...]``, values in [0, 1] (soft labels allowed).
      weight: optional, ``>= 0``, broadcastable to ``[...]``.
      reduction: ``"none"`` | ``"sum"`` | ``"mean"`` (mean over all elements).

    Returns:
      ``[...]`` for ``"none"``, else a 0-d array; the floating dtype of ``probs``.

    >>> t = [0, 1, 1, 0, 0, 1, 1]
    >>> p = [0.07, 0.91, 0.74, 0.23, 0.85, 0.17, 0.94]
    >>> print(binary_cross_entropy(p, t, reduction="sum").round(4))
    4.4603
    """
    fn = "binary_cross_entropy"
    p, t, w, out_dtype = _binary_inputs(probs, "probs", target, weight, reduction, fn,
                                        first_is_prob=True)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), BCE_LOG_FLOOR)
        log_q = np.maximum(np.log1p(-p), BCE_LOG_FLOOR)
    loss = -(t * log_p) - (1 - t) * log_q  # not -(a + b): that gives -0.0 for a certain success
    return _reduce_weighted(weighted(w, loss), w, reduction, out_dtype)


def prepare_bce_with_logits(logits, target, weight, pos_weight, fn, reduction="mean"):
    """Validated ``(x, t, w, pos_weight, out_dtype)`` for the logit form of BCE.

    ``w`` and ``pos_weight`` are float64; for the mean ``w`` is divided by the count.
    """
    x, t, w, out_dtype = _binary_inputs(logits, "logits", target, weight, reduction, fn,
                                        first_is_prob=False)
    last = x.shape[-1:] if x.ndim else ()
    pw = _elementwise_weight(pos_weight, x.shape, "pos_weight", fn,
                             f"a shape that broadcasts to {x.shape} (usually {last}, one per class)")
    return x, t, w, pw, out_dtype


def binary_cross_entropy_with_logits(logits: ArrayLike, target: ArrayLike, *,
                                     weight: ArrayLike | None = None,
                                     pos_weight: ArrayLike | None = None,
                                     reduction: str = "mean") -> np.ndarray:
    r"""Binary cross-entropy of sigmoid(logits), as ``F.binary_cross_entropy_with_logits``.

    .. math:: \ell = -w\,[\,\beta\, t \log\sigma(z) + (1 - t)\log(1 - \sigma(z))\,]

    with ``pos_weight`` :math:`\beta`. Computed as
    :math:`(1-t)z + (1 + (\beta - 1)t)\,\mathrm{softplus}(-z)`, because
    :math:`-\log\sigma(z) = \mathrm{softplus}(-z)` stays exact for large :math:`|z|`.

    Args:
      logits: array-like ``[...]``, finite.
      target: ``[...]``, values in [0, 1].
      weight: optional, ``>= 0``, broadcastable to ``[...]``.
      pos_weight: optional ``>= 0`` weight of the positive term, broadcastable (usually ``[C]``).
      reduction: ``"none"`` | ``"sum"`` | ``"mean"`` (mean over all elements).

    Returns:
      ``[...]`` for ``"none"``, else a 0-d array; the floating dtype of ``logits``.

    >>> print(binary_cross_entropy_with_logits([1e4, -1e4, 0.0], [0, 1, 1], reduction="none"))
    [1.00000000e+04 1.00000000e+04 6.93147181e-01]
    """
    fn = "binary_cross_entropy_with_logits"
    x, t, w, pw, out_dtype = prepare_bce_with_logits(logits, target, weight, pos_weight, fn,
                                                     reduction)
    coef = 1.0 if pw is None else 1 + (pw - 1) * t
    with np.errstate(over="ignore"):  # beta * softplus past float64's range is inf: the answer
        loss = (1 - t) * x + coef * softplus_neg(x)
    return _reduce_weighted(weighted(w, loss), w, reduction, out_dtype)
