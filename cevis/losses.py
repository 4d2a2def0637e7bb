r"""Cross-entropy and its relatives, with PyTorch's semantics.

Shape:
  - ``C`` is the number of classes, along ``axis`` of the logits (default: last).
  - Class-index targets have the logits' shape without the class axis, e.g.
    logits ``[N, C]`` and target ``[N]``; probability targets have the logits' shape.
  - ``reduction="none"`` returns one loss per sample (the target's index shape);
    ``"sum"`` and ``"mean"`` return a 0-d array.

The gradients of these losses live beside them in :mod:`cevis.grads` and share
the preparation done here, so the loss and its gradient always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _fast
from ._checks import InputError
from ._checks import as_float_array
from ._checks import as_loss_dtype
from ._checks import broadcastable
from ._checks import check_axis
from ._checks import check_finite
from ._checks import check_has_classes
from ._checks import check_in_unit_interval
from ._checks import check_real
from ._checks import check_reduction
from ._checks import check_sums_to_one
from ._checks import show
from ._checks import work_dtype
from .activations import softplus_neg

BCE_LOG_FLOOR = -100.0  # torch.nn.functional.binary_cross_entropy clamps log(p) here


# --------------------------------------------------------------------------- helpers
def _reduce(per_sample: np.ndarray, reduction: str, denominator, out_dtype) -> np.ndarray:
    """Apply ``reduction``; the mean divides by ``denominator`` (not always the count)."""
    if reduction == "none":
        return as_loss_dtype(per_sample, out_dtype)
    total = per_sample.sum(dtype=per_sample.dtype)
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 -> nan, as PyTorch
            total = total / denominator
    return as_loss_dtype(total, out_dtype)


def _class_indices(target, num_classes, ignore_index, fn):
    """Validated integer class indices (ignored ones set to 0) and the not-ignored mask.

    ``ignore_index=None`` ignores nothing.
    """
    t = np.asarray(target)
    if t.dtype.kind == "f":
        check_finite(t, "target", fn)
        if (t != np.round(t)).any():
            where = tuple(int(i) for i in np.argwhere(t != np.round(t))[0])
            raise InputError(f"{fn}: target has {show(t[where])} at index {where}; expected whole "
                             "class indices (or probabilities with the logits' shape)")
        t = t.astype(np.int64)
    elif t.dtype.kind not in "iu":
        raise InputError(f"{fn}: target has dtype {t.dtype}; expected integer class indices "
                         "or floating probabilities")
    valid = np.ones(t.shape, bool) if ignore_index is None else t != ignore_index
    bad = valid & ((t < 0) | (t >= num_classes))
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        also = "" if ignore_index is None else f" or ignore_index ({ignore_index})"
        raise InputError(f"{fn}: target has class index {int(t[where])} at index {where}; "
                         f"expected 0 <= index < {num_classes} (C = {num_classes}){also}")
    return np.where(valid, t, 0), valid


def _class_weight(weight, num_classes, dtype, fn):
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
    return w.astype(dtype, copy=False)


@dataclass(frozen=True)
class CrossEntropyParts:
    """Everything the loss and its gradient need, with the classes on the last axis.

    ``shifted = z - max(z)`` and ``log_sum = log(sum(exp(shifted)))``, so that
    ``-log p_c = log_sum - shifted_c`` stays exact for huge logit gaps.
    """

    shifted: np.ndarray  # [..., C] logits minus their row max
    log_sum: np.ndarray  # [...]
    index: np.ndarray | None  # [...] class indices (ignored ones set to 0), or None
    valid: np.ndarray | None  # [...] True where the index target is not ignored
    probs_target: np.ndarray | None  # [..., C] smoothed probability target, or None
    weight: np.ndarray | None  # [C]
    smoothing: float
    denominator: np.ndarray  # what the mean divides by
    axis: int  # the class axis of the caller's logits
    out_dtype: np.dtype


def prepare_cross_entropy(logits, target, weight, ignore_index, label_smoothing, axis, fn):
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
    c = z.shape[-1]
    w = _class_weight(weight, c, z.dtype, fn)

    t_shape = np.shape(target)
    index_shape = x.shape[:ax] + x.shape[ax + 1:]
    index = valid = probs_target = None
    if t_shape == x.shape:  # class probabilities, one row per sample
        t = as_float_array(target, "target", fn)
        check_in_unit_interval(t, "target", fn)
        check_sums_to_one(t, ax, "target", fn)
        t = np.moveaxis(t.astype(z.dtype, copy=False), ax, -1)
        probs_target = t * (1 - eps) + eps / c if eps else t
        denominator = np.asarray(z.size // c)  # PyTorch: the number of samples
    elif t_shape == index_shape:
        index, valid = _class_indices(target, c, ignore_index, fn)
        denominator = valid.sum() if w is None else np.where(valid, w[index], 0).sum()
    else:
        raise InputError(f"{fn}: target has shape {t_shape}; expected {index_shape} "
                         f"(class indices: the logits' shape without axis {ax}) or "
                         f"{x.shape} (class probabilities: the logits' shape)")

    m = z.max(axis=-1, keepdims=True)
    shifted = z - m  # <= 0: exp cannot overflow
    log_sum = np.log(np.exp(shifted).sum(axis=-1))
    return CrossEntropyParts(shifted, log_sum, index, valid, probs_target, w, eps,
                             denominator, ax, out_dtype)


def cross_entropy_per_sample(parts: CrossEntropyParts) -> np.ndarray:
    """Unreduced loss ``[...]``: ``sum_c a_c (log_sum - shifted_c)`` for target weights ``a``."""
    s, lse, w, eps = parts.shifted, parts.log_sum, parts.weight, parts.smoothing
    c = s.shape[-1]
    if parts.probs_target is not None:
        a = parts.probs_target if w is None else parts.probs_target * w
        return a.sum(axis=-1) * lse - (a * s).sum(axis=-1)
    # -log p_y = log_sum - (z_y - m); never (log_sum + m) - z_y, which loses z_y near 1e38
    nll = lse - np.take_along_axis(s, parts.index[..., None], axis=-1)[..., 0]
    loss = nll if w is None else w[parts.index] * nll
    if eps:
        # PyTorch: (1 - eps) * nll + eps / C * sum_c w_c (-log p_c)
        smooth = (lse * c - s.sum(axis=-1)) if w is None else (w.sum() * lse - s @ w)
        loss = (1 - eps) * loss + (eps / c) * smooth
    return np.where(parts.valid, loss, 0)


def reduced_cross_entropy(parts: CrossEntropyParts, reduction: str) -> np.ndarray:
    """The loss of :func:`cross_entropy` from its prepared parts, reduced as asked."""
    return _reduce(cross_entropy_per_sample(parts), reduction, parts.denominator, parts.out_dtype)


# --------------------------------------------------------------------------- public
def cross_entropy(logits, target, *, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0, axis=-1):
    r"""Cross-entropy between softmax(logits) and a target, as ``torch.nn.functional.cross_entropy``.

    For one sample with class-index target :math:`y` and class weights :math:`w`:

    .. math:: \ell = -w_y \log \frac{e^{z_y}}{\sum_c e^{z_c}}

    For a probability target :math:`t`: :math:`\ell = -\sum_c w_c t_c \log p_c`.
    Label smoothing :math:`\varepsilon` mixes the target with the uniform
    distribution: :math:`t \leftarrow (1-\varepsilon)\,t + \varepsilon / C`
    (for index targets the uniform part is weighted by every class's weight).

    The ``"mean"`` of index targets divides by :math:`\sum_i w_{y_i}` over the
    targets that are not ignored (with no weights: their count); the mean of
    probability targets divides by the number of samples. If every target is
    ignored the mean is ``nan`` (0/0), as in PyTorch.

    Args:
      logits: array-like ``[..., C]`` (classes along ``axis``), finite.
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
    """
    fn = "cross_entropy"
    check_reduction(reduction, fn)
    x = as_float_array(logits, "logits", fn)
    if (fast := _fast.try_cross_entropy(x, target, weight, ignore_index, label_smoothing, axis,
                                        reduction)) is not None:
        return fast[0]
    parts = prepare_cross_entropy(x, target, weight, ignore_index, label_smoothing, axis, fn)
    return reduced_cross_entropy(parts, reduction)


def cross_entropy_from_probs(probs, target, *, eps=0.0, reduction="mean", axis=-1):
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
    out_dtype = p.dtype
    ax = check_axis(axis, p.ndim, fn)
    check_has_classes(p.shape, ax, "probs", fn)
    check_in_unit_interval(p, "probs", fn)
    check_sums_to_one(p, ax, "probs", fn)
    e = check_real(eps, "eps", fn, low=0.0, high=0.5, high_open=True)
    p = np.moveaxis(p.astype(work_dtype(out_dtype), copy=False), ax, -1)
    if e:
        p = np.clip(p, e, 1 - e)
    index_shape = p.shape[:-1]
    if np.shape(target) == index_shape:
        y, _ = _class_indices(target, p.shape[-1], None, fn)
        p_y = np.take_along_axis(p, y[..., None], axis=-1)[..., 0]
        with np.errstate(divide="ignore"):
            per_sample = -np.log(p_y)
    elif np.shape(target) == np.shape(probs):
        t = as_float_array(target, "target", fn)
        check_in_unit_interval(t, "target", fn)
        t = np.moveaxis(t.astype(p.dtype, copy=False), ax, -1)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(t > 0, t * np.log(p), 0.0)  # 0 log 0 = 0
        per_sample = -terms.sum(axis=-1)
    else:
        raise InputError(f"{fn}: target has shape {np.shape(target)}; expected "
                         f"{np.shape(probs)[:ax] + np.shape(probs)[ax + 1:]} (class indices) "
                         f"or {np.shape(probs)} (probabilities)")
    return _reduce(per_sample, reduction, np.asarray(per_sample.size), out_dtype)


def _binary_inputs(first, first_name, target, weight, fn, *, first_is_prob):
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
    dt = work_dtype(out_dtype)
    w = None
    if weight is not None:
        w = as_float_array(weight, "weight", fn)
        check_finite(w, "weight", fn)
        w = broadcastable(w, x.shape, "weight", fn, f"a shape that broadcasts to {x.shape}")
        w = w.astype(dt, copy=False)
    return x.astype(dt, copy=False), t.astype(dt, copy=False), w, out_dtype


def binary_cross_entropy(probs, target, *, weight=None, reduction="mean"):
    r"""Binary cross-entropy from probabilities, as ``torch.nn.functional.binary_cross_entropy``.

    .. math:: \ell = -w\,[\,t \log p + (1 - t) \log(1 - p)\,]

    Each log is clamped at -100, as PyTorch does, so ``p`` of exactly 0 or 1
    gives a finite loss (100 per wrong-and-certain sample).

    Args:
      probs: array-like of any shape, values in [0, 1].
      target: same shape, values in [0, 1] (soft labels allowed).
      weight: optional, broadcastable to the shape of ``probs``.
      reduction: ``"none"`` | ``"sum"`` | ``"mean"`` (mean over all elements).

    Returns:
      The shape of ``probs`` for ``"none"``, else a 0-d array.

    >>> t = [0, 1, 1, 0, 0, 1, 1]
    >>> p = [0.07, 0.91, 0.74, 0.23, 0.85, 0.17, 0.94]
    >>> print(binary_cross_entropy(p, t, reduction="sum").round(4))
    4.4603
    """
    fn = "binary_cross_entropy"
    check_reduction(reduction, fn)
    p, t, w, out_dtype = _binary_inputs(probs, "probs", target, weight, fn, first_is_prob=True)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), BCE_LOG_FLOOR)
        log_q = np.maximum(np.log1p(-p), BCE_LOG_FLOOR)
    loss = -(t * log_p) - (1 - t) * log_q  # not -(a + b): that gives -0.0 for a certain success
    if w is not None:
        loss = w * loss
    return _reduce(loss, reduction, np.asarray(loss.size), out_dtype)


def prepare_bce_with_logits(logits, target, weight, pos_weight, fn):
    """Validated ``(x, t, w, pos_weight, out_dtype)`` for the logit form of BCE."""
    x, t, w, out_dtype = _binary_inputs(logits, "logits", target, weight, fn,
                                        first_is_prob=False)
    pw = None
    if pos_weight is not None:
        pw = as_float_array(pos_weight, "pos_weight", fn)
        check_finite(pw, "pos_weight", fn)
        if (pw < 0).any():
            raise InputError(f"{fn}: pos_weight has a negative value; expected weights >= 0")
        last = x.shape[-1:] if x.ndim else ()
        pw = broadcastable(pw, x.shape, "pos_weight", fn,
                           f"a shape that broadcasts to {x.shape} (usually {last}, one per class)")
        pw = pw.astype(x.dtype, copy=False)
    return x, t, w, pw, out_dtype


def binary_cross_entropy_with_logits(logits, target, *, weight=None, pos_weight=None,
                                     reduction="mean"):
    r"""Binary cross-entropy of sigmoid(logits), as ``F.binary_cross_entropy_with_logits``.

    .. math:: \ell = -w\,[\,\beta\, t \log\sigma(z) + (1 - t)\log(1 - \sigma(z))\,]

    with ``pos_weight`` :math:`\beta`. Computed as
    :math:`(1-t)z + (1 + (\beta - 1)t)\,\mathrm{softplus}(-z)`, because
    :math:`-\log\sigma(z) = \mathrm{softplus}(-z)` stays exact for large :math:`|z|`.

    Args:
      logits: array-like of any shape, finite.
      target: same shape, values in [0, 1].
      weight: optional, broadcastable to the logits' shape.
      pos_weight: optional weight of the positive term, broadcastable (usually ``[C]``).
      reduction: ``"none"`` | ``"sum"`` | ``"mean"`` (mean over all elements).

    Returns:
      The shape of ``logits`` for ``"none"``, else a 0-d array.

    >>> print(binary_cross_entropy_with_logits([1e4, -1e4, 0.0], [0, 1, 1], reduction="none"))
    [1.00000000e+04 1.00000000e+04 6.93147181e-01]
    """
    fn = "binary_cross_entropy_with_logits"
    check_reduction(reduction, fn)
    x, t, w, pw, out_dtype = prepare_bce_with_logits(logits, target, weight, pos_weight, fn)
    coef = 1.0 if pw is None else 1 + (pw - 1) * t
    loss = (1 - t) * x + coef * softplus_neg(x)
    if w is not None:
        loss = w * loss
    return _reduce(loss, reduction, np.asarray(loss.size), out_dtype)


def entropy(probs, axis=-1):
    r"""Shannon entropy in nats: :math:`H(p) = -\sum_c p_c \log p_c`, with :math:`0 \log 0 = 0`.

    Args:
      probs: array-like ``[..., C]``, rows in [0, 1] summing to 1.
      axis: the class axis.

    Returns:
      ``[...]`` entropies.

    >>> print(entropy([0.5, 0.5]).round(6))
    0.693147
    """
    fn = "entropy"
    p = _distribution(probs, "probs", axis, fn)
    ax = check_axis(axis, p.ndim, fn)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
    return np.asarray(0.0 - terms.sum(axis=ax)).astype(p.dtype, copy=False)  # +0.0, not -0.0


def kl_divergence(target, probs, axis=-1):
    r"""Kullback-Leibler divergence :math:`KL(t\,\|\,p) = \sum_c t_c \log(t_c / p_c)`.

    Terms with :math:`t_c = 0` are 0; :math:`t_c > 0 = p_c` gives ``inf``.
    Note the order: the target (true distribution) comes first, unlike
    ``torch.nn.functional.kl_div(input=log p, target=t)``.

    Args:
      target: array-like ``[..., C]``, rows in [0, 1] summing to 1.
      probs: array-like ``[..., C]``, same shape.
      axis: the class axis.

    Returns:
      ``[...]`` divergences, ``>= 0``.

    >>> print(kl_divergence([0.5, 0.5], [0.9, 0.1]).round(6))
    0.510826
    """
    fn = "kl_divergence"
    t = _distribution(target, "target", axis, fn)
    p = _distribution(probs, "probs", axis, fn)
    if t.shape != p.shape:
        raise InputError(f"{fn}: probs has shape {p.shape}; expected {t.shape}, "
                         "the shape of target")
    ax = check_axis(axis, p.ndim, fn)
    dt = np.result_type(t, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(t > 0, t * (np.log(t) - np.log(p)), 0.0)
    return np.asarray(terms.sum(axis=ax)).astype(dt, copy=False)


def _distribution(x, name, axis, fn):
    a = as_float_array(x, name, fn)
    ax = check_axis(axis, a.ndim, fn)
    check_has_classes(a.shape, ax, name, fn)
    check_in_unit_interval(a, name, fn)
    check_sums_to_one(a, ax, name, fn)
    return a


def mse_on_probabilities(logits, target_index, *, axis=-1):
    r"""Squared error between softmax(z) and the one-hot target: :math:`\sum_c (p_c - y_c)^2`.

    Not a loss to train a classifier with: it is here to be compared with
    cross-entropy (see :func:`cevis.grads.mse_on_probabilities_grad`).

    Args:
      logits: array-like ``[..., C]``.
      target_index: class indices ``[...]``.

    Returns:
      ``[...]`` per-sample errors.

    >>> print(mse_on_probabilities([0.0, 0.0], 0).round(4))
    0.5
    """
    from .activations import softmax

    p = np.moveaxis(softmax(logits, axis), axis, -1)
    if np.shape(target_index) != p.shape[:-1]:
        raise InputError(f"mse_on_probabilities: target_index has shape {np.shape(target_index)}; "
                         f"expected {p.shape[:-1]}")
    y, _ = _class_indices(target_index, p.shape[-1], None, "mse_on_probabilities")
    onehot = np.zeros_like(p)
    np.put_along_axis(onehot, y[..., None], 1.0, axis=-1)
    return np.asarray(((p - onehot) ** 2).sum(axis=-1))
