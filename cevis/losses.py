r"""Cross-entropy and its relatives, with PyTorch's semantics.

Shape:
  - ``C`` is the number of classes, along ``axis`` of the logits (default: last; PyTorch's
    ``[N, C, d1, ...]`` is ``axis=1``).
  - Class-index targets have the logits' shape without the class axis, e.g.
    logits ``[N, C]`` and target ``[N]``; probability targets have the logits' shape.
  - ``reduction="none"`` returns one loss per sample (the target's index shape);
    ``"sum"`` and ``"mean"`` return a 0-d array. An empty batch gives an empty
    ``"none"``, a ``"sum"`` of 0 and a ``"mean"`` of nan (0/0), as PyTorch.

Class weights are applied in float64 whatever the logits' dtype; for the mean over class
indices they are first divided by the largest weight of a target (the mean does not
change), so neither the weighted sum nor its denominator can overflow or underflow to 0.
A loss past the dtype's range is inf.

The gradients of these losses live beside them in :mod:`cevis.grads` and share
the preparation done here, so the loss and its gradient always agree. The binary
losses are in :mod:`cevis.binary`, entropy and KL divergence in :mod:`cevis.information`
(both re-exported here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from . import _fast
from ._checks import InputError
from ._checks import as_array
from ._checks import as_float_array
from ._checks import check_axis
from ._checks import check_finite
from ._checks import check_has_classes
from ._checks import check_in_unit_interval
from ._checks import check_real
from ._checks import check_reduction
from ._checks import check_sums_to_one
from ._checks import class_indices
from ._checks import work_dtype
from ._reduce import reduce_loss
from .binary import BCE_LOG_FLOOR  # noqa: F401  (re-exported: the app imports it from here)
from .binary import binary_cross_entropy  # noqa: F401
from .binary import binary_cross_entropy_with_logits  # noqa: F401
from .binary import prepare_bce_with_logits  # noqa: F401
from .information import entropy  # noqa: F401
from .information import kl_divergence  # noqa: F401
from .mse import mse_on_probabilities  # noqa: F401
from .mse import probs_and_onehot  # noqa: F401


def _class_weight(weight, num_classes, fn):
    """Validated ``[C]`` float64 weights ``>= 0``, or None."""
    if weight is None:
        return None
    w = as_float_array(weight, "weight", fn)
    if w.shape != (num_classes,):
        raise InputError(f"{fn}: weight has shape {w.shape}; expected ({num_classes},), "
                         "one weight per class")
    check_finite(w, "weight", fn)
    if (w < 0).any():
        i = int(np.argmax(w < 0))
        raise InputError(f"{fn}: weight has {float(w[i])!r} for class {i}; "
                         "expected weights >= 0")
    return w.astype(np.float64)


def _weights_over_largest_target_weight(w, largest, eps, fn):
    """``w / largest``: the mean is unchanged, and its sums neither overflow nor vanish.

    Smoothing uses every class's weight; one past float64's range after the division is
    refused, not turned into a wrong number. Without smoothing only the targets' are used.
    """
    with np.errstate(over="ignore"):
        scaled = w / largest
    if eps and np.isinf(scaled).any():
        raise InputError(f"{fn}: weight has {float(w.max())!r}, more than 1.8e308 times the "
                         f"largest weight of a target ({float(largest)!r}); expected weights "
                         "within float64's range of each other when label_smoothing > 0")
    return np.minimum(scaled, np.finfo(np.float64).max)  # unused without smoothing


@dataclass(frozen=True)
class CrossEntropyParts:
    """Everything the loss and its gradient need, with the classes on the last axis.

    ``shifted = z - max(z)`` and ``log_sum = log(sum(exp(shifted)))``, so that
    ``-log p_c = log_sum - shifted_c`` stays exact for huge logit gaps.
    """

    shifted: np.ndarray  # [..., C] logits minus their row max (-inf past the dtype's range)
    log_sum: np.ndarray  # [...]
    index: np.ndarray | None  # [...] class indices (ignored ones set to 0), or None
    valid: np.ndarray | None  # [...] True where the index target is not ignored
    probs_target: np.ndarray | None  # [..., C] smoothed probability target, or None
    weight: np.ndarray | None  # [C] float64 (scaled for the mean of indices, see above)
    smoothing: float
    denominator: np.ndarray  # what the mean divides by
    axis: int  # the class axis of the caller's logits
    out_dtype: np.dtype


def _target_parts(target, z, ax, w, eps, ignore_index, reduction, fn):
    """``(index, valid, probs_target, weight, denominator)`` for the target's kind."""
    t = as_array(target, "target", fn)
    logits_shape = np.moveaxis(z, -1, ax).shape
    c = z.shape[-1]
    if t.shape == logits_shape:  # class probabilities, one row per sample
        t = as_float_array(t, "target", fn)
        check_in_unit_interval(t, "target", fn)
        check_sums_to_one(t, ax, "target", fn)
        t = np.moveaxis(t.astype(z.dtype, copy=False), ax, -1)
        probs_target = t * (1 - eps) + eps / c if eps else t
        return None, None, probs_target, w, np.asarray(math.prod(z.shape[:-1]))  # PyTorch: N
    if t.shape != z.shape[:-1]:
        raise InputError(f"{fn}: target has shape {t.shape}; expected {z.shape[:-1]} "
                         f"(class indices: the logits' shape without axis {ax}) or "
                         f"{logits_shape} (class probabilities: the logits' shape)")
    index, valid = class_indices(t, c, ignore_index, fn)
    present = w[index][valid] if w is not None else None
    if present is not None and reduction == "mean" and present.max(initial=0) > 0:
        w = _weights_over_largest_target_weight(w, present.max(), eps, fn)
    with np.errstate(over="ignore"):  # (only a mean reads it, and its weights are scaled)
        denominator = valid.sum() if w is None else np.where(valid, w[index], 0).sum()
    return index, valid, None, w, denominator


def prepare_cross_entropy(logits, target, weight, ignore_index, label_smoothing, axis, fn,
                          reduction="mean"):
    """Validate the arguments of :func:`cross_entropy` and compute the shared parts."""
    x = as_float_array(logits, "logits", fn)
    out_dtype = x.dtype
    ax = check_axis(axis, x.ndim, fn)
    check_has_classes(x.shape, ax, "logits", fn)
    check_finite(x, "logits", fn)
    eps = check_real(label_smoothing, "label_smoothing", fn, low=0.0, high=1.0)
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, (int, np.integer)):
        raise InputError(f"{fn}: ignore_index is {ignore_index!r}; expected an integer")
    z = np.moveaxis(x.astype(work_dtype(out_dtype), copy=False), ax, -1)
    if z.shape[-1] == 0:
        eps = 0.0  # no classes means no samples (checked above): nothing to smooth, no eps / 0
    w = _class_weight(weight, z.shape[-1], fn)
    index, valid, probs_target, w, denominator = _target_parts(
        target, z, ax, w, eps, ignore_index, reduction, fn)
    m = z.max(axis=-1, keepdims=True, initial=-np.inf)
    with np.errstate(over="ignore"):  # a gap past the dtype's range is -inf: exp of it is 0
        shifted = z - m  # <= 0: exp cannot overflow
    log_sum = np.log(np.exp(shifted).sum(axis=-1))
    return CrossEntropyParts(shifted, log_sum, index, valid, probs_target, w, eps,
                             denominator, ax, out_dtype)


def weighted_nll_sum(a, log_sum, shifted):
    r""":math:`\sum_c a_c (-\log p_c)` over the last axis; a term with :math:`a_c = 0` is 0.

    Computed as :math:`A \log s - \sum_c a_c (z_c - m)` (one product, no temporary for
    ``a`` of shape ``[C]``); where that is not finite (a logit gap past the dtype's range
    makes :math:`-\log p_c` inf, and :math:`0 \cdot \infty` nan), term by term.
    """
    with np.errstate(invalid="ignore", over="ignore"):  # past the range: inf, the answer
        quick = a.sum(axis=-1) * log_sum - (shifted @ a if a.ndim == 1 else (a * shifted).sum(-1))
        if np.isfinite(quick).all():
            return quick
        terms = a * (log_sum[..., None] - shifted)
        return np.where(a == 0, 0.0, terms).sum(axis=-1)


def cross_entropy_per_sample(parts: CrossEntropyParts) -> np.ndarray:
    """Unreduced loss ``[...]``: ``sum_c a_c (log_sum - shifted_c)`` for target weights ``a``."""
    s, lse, w, eps = parts.shifted, parts.log_sum, parts.weight, parts.smoothing
    c = s.shape[-1]
    if parts.probs_target is not None:
        a = parts.probs_target if w is None else parts.probs_target * w
        return weighted_nll_sum(a, lse, s)
    # -log p_y = log_sum - (z_y - m); never (log_sum + m) - z_y, which loses z_y near 1e38
    nll = lse - np.take_along_axis(s, parts.index[..., None], axis=-1)[..., 0]
    if w is not None:
        with np.errstate(invalid="ignore", over="ignore"):
            nll = np.where(w[parts.index] == 0, 0.0, w[parts.index] * nll)
    if eps:
        # PyTorch: (1 - eps) * nll + eps / C * sum_c w_c (-log p_c)
        smooth = weighted_nll_sum(np.ones(c, s.dtype) if w is None else w, lse, s)
        nll = (eps / c) * smooth if eps == 1 else (1 - eps) * nll + (eps / c) * smooth
    return np.where(parts.valid, nll, 0)


def reduced_cross_entropy(parts: CrossEntropyParts, reduction: str) -> np.ndarray:
    """The loss of :func:`cross_entropy` from its prepared parts, reduced as asked.

    A mean over zero total weight is nan, as in PyTorch, even where label smoothing's
    term would make it ``x / 0 = inf``: PyTorch adds ``(1 - eps)·(0/0)`` to it.
    """
    if reduction == "mean" and parts.denominator == 0:
        return np.asarray(np.nan, dtype=parts.out_dtype)
    return reduce_loss(cross_entropy_per_sample(parts), reduction, parts.denominator,
                       parts.out_dtype)


def cross_entropy(logits: ArrayLike, target: ArrayLike, *, weight: ArrayLike | None = None,
                  ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0, axis: int = -1) -> np.ndarray:
    r"""Cross-entropy between softmax(logits) and a target, as ``torch.nn.functional.cross_entropy``.

    For one sample with class-index target :math:`y` and class weights :math:`w`:

    .. math:: \ell = -w_y \log \frac{e^{z_y}}{\sum_c e^{z_c}}

    For a probability target :math:`t`: :math:`\ell = -\sum_c w_c t_c \log p_c`.
    Label smoothing :math:`\varepsilon` mixes the target with the uniform
    distribution: :math:`t \leftarrow (1-\varepsilon)\,t + \varepsilon / C`
    (for index targets the uniform part is weighted by every class's weight).

    The ``"mean"`` of index targets divides by :math:`\sum_i w_{y_i}` over the
    targets that are not ignored (with no weights: their count); the mean of
    probability targets divides by the number of samples. A mean over nothing (no
    samples, every target ignored, the targets' weights all 0) is ``nan`` (0/0), as in
    PyTorch. A loss past the dtype's range is ``inf`` (a float16 loss above 65504).

    Args:
      logits: array-like ``[..., C]`` (classes along ``axis``; PyTorch's
        ``[N, C, d1, ...]`` is ``axis=1``), finite.
      target: integer class indices ``[...]`` in ``[0, C)``, or class
        probabilities ``[..., C]`` (each row in [0, 1], summing to 1).
      weight: optional ``[C]`` non-negative weight per class.
      ignore_index: index targets equal to it add nothing, to the loss or the mean's
        denominator.
      reduction: ``"none"`` | ``"sum"`` | ``"mean"``.
      label_smoothing: :math:`\varepsilon \in [0, 1]`.
      axis: the class axis of ``logits``.

    Returns:
      ``[...]`` losses for ``"none"``, else a 0-d array; the logits' floating dtype.

    >>> print(cross_entropy([[2.0, 1.0, 0.1]], [0]).round(4))
    0.417
    >>> print(cross_entropy([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]], [0, 1], reduction="none").round(4))
    [0.417  0.1967]
    >>> print(cross_entropy(np.zeros((0, 3)), np.zeros(0, int)), cross_entropy([[1.0, 2.0]], [-100]))
    nan nan
    """
    fn = "cross_entropy"
    check_reduction(reduction, fn)
    x = as_float_array(logits, "logits", fn)
    if (fast := _fast.try_cross_entropy(x, target, weight, ignore_index, label_smoothing, axis,
                                        reduction)) is not None:
        return fast[0]
    parts = prepare_cross_entropy(x, target, weight, ignore_index, label_smoothing, axis, fn,
                                  reduction)
    return reduced_cross_entropy(parts, reduction)


def cross_entropy_from_probs(probs: ArrayLike, target: ArrayLike, *, eps: float = 0.0,
                             reduction: str = "mean", axis: int = -1) -> np.ndarray:
    r"""The textbook cross-entropy :math:`-\sum_c t_c \log p_c` from probabilities.

    ``p`` is first clipped to :math:`[\epsilon, 1-\epsilon]` (``eps=0`` keeps it as
    it is, so :math:`p_y = 0` gives ``inf``). Terms with :math:`t_c = 0` count as 0,
    even where :math:`p_c = 0`.

    Args:
      probs: array-like ``[..., C]``, each row in [0, 1] summing to 1.
      target: class indices ``[...]`` or probabilities ``[..., C]``.
      eps: clip, ``0 <= eps < 0.5`` (Keras uses 1e-7).
      reduction: ``"none"`` | ``"sum"`` | ``"mean"`` (the mean over samples).
      axis: the class axis.

    Returns:
      ``[...]`` for ``"none"``, else a 0-d array.

    >>> t = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]
    >>> p = [[0.91, 0.04, 0.05], [0.11, 0.8, 0.09], [0.3, 0.1, 0.6], [0.25, 0.4, 0.35]]
    >>> print(cross_entropy_from_probs(p, t, reduction="none").round(4))
    [0.0943 0.2231 0.5108 1.3863]
    """
    fn = "cross_entropy_from_probs"
    check_reduction(reduction, fn)
    p = as_float_array(probs, "probs", fn)
    out_dtype, probs_shape = p.dtype, p.shape
    ax = check_axis(axis, p.ndim, fn, "probs")
    check_has_classes(p.shape, ax, "probs", fn)
    check_in_unit_interval(p, "probs", fn)
    check_sums_to_one(p, ax, "probs", fn)
    e = check_real(eps, "eps", fn, low=0.0, high=0.5, high_open=True)
    p = np.moveaxis(p.astype(work_dtype(out_dtype), copy=False), ax, -1)
    if e:
        p = np.clip(p, e, 1 - e)
    t = as_array(target, "target", fn)
    with np.errstate(divide="ignore"):  # log 0 = -inf: the loss of a certain mistake is inf
        log_p = np.log(p)
    if t.shape == p.shape[:-1]:
        y, _ = class_indices(t, p.shape[-1], None, fn)
        per_sample = -np.take_along_axis(log_p, y[..., None], axis=-1)[..., 0]
    elif t.shape == probs_shape:
        t = as_float_array(t, "target", fn)
        check_in_unit_interval(t, "target", fn)
        t = np.moveaxis(t.astype(p.dtype, copy=False), ax, -1)
        with np.errstate(invalid="ignore"):
            per_sample = -np.where(t > 0, t * log_p, 0.0).sum(axis=-1)  # 0 log 0 = 0
    else:
        raise InputError(f"{fn}: target has shape {t.shape}; expected {p.shape[:-1]} "
                         f"(class indices) or {probs_shape} (probabilities)")
    return reduce_loss(per_sample, reduction, np.asarray(per_sample.size), out_dtype)
