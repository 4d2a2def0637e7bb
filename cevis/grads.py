r"""Closed-form gradients, the softmax Jacobian, and central finite differences.

Each gradient sits beside the forward function it differentiates (in
:mod:`cevis.losses`) by sharing its preparation, so the two cannot disagree on
shapes, weights, smoothing or the mean's denominator.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from . import _fast
from ._checks import InputError
from ._checks import as_float_array
from ._checks import check_finite
from ._checks import check_real
from ._checks import check_reduction
from .activations import divide_by_temperature
from .activations import probabilities_last
from .activations import stable_sigmoid
from .binary import prepare_bce_with_logits
from .binary import weighted
from .losses import prepare_cross_entropy
from .losses import reduced_cross_entropy
from .mse import probs_and_onehot


def cross_entropy_grad(logits: ArrayLike, target: ArrayLike, *, weight: ArrayLike | None = None,
                       ignore_index: int = -100, reduction: str = "mean",
                       label_smoothing: float = 0.0, axis: int = -1) -> np.ndarray:
    r"""Gradient of :func:`cevis.cross_entropy` with respect to the logits.

    With target weights :math:`a_c` (the one-hot or probability target, times the
    class weights, after label smoothing) and :math:`A = \sum_c a_c`:

    .. math:: \frac{\partial \ell}{\partial z_c} = A\,p_c - a_c

    which for a hard label and no weights is the familiar
    :math:`\mathrm{softmax}(z) - \mathrm{onehot}(y)`. Ignored samples get 0; the
    ``"mean"`` divides by the same denominator as the loss. For
    ``reduction="none"`` this is the gradient of the sum of the per-sample losses
    (each row is that sample's own gradient).

    Args:
      logits, target, weight, ignore_index, reduction, label_smoothing, axis:
        as for :func:`cevis.cross_entropy` (logits ``[..., C]``, target ``[...]`` or ``[..., C]``).

    Returns:
      ``[..., C]``: the logits' shape and floating dtype.

    >>> print(cross_entropy_grad([[2.0, 1.0, 0.1]], [0]).round(4))
    [[-0.341   0.2424  0.0986]]
    """
    return _loss_and_grad("cross_entropy_grad", logits, target, weight, ignore_index, reduction,
                          label_smoothing, axis, want_loss=False)[1]


def cross_entropy_and_grad(logits: ArrayLike, target: ArrayLike, *,
                           weight: ArrayLike | None = None, ignore_index: int = -100,
                           reduction: str = "mean", label_smoothing: float = 0.0,
                           axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    r"""Both :func:`cevis.cross_entropy` and :func:`cross_entropy_grad`, sharing one softmax.

    What a training step needs: the loss and :math:`\partial \ell / \partial z`, for about
    the cost of the gradient alone (the logits are read once, not twice).

    Args:
      logits, target, weight, ignore_index, reduction, label_smoothing, axis:
        as for :func:`cevis.cross_entropy` (logits ``[..., C]``, target ``[...]`` or ``[..., C]``).

    Returns:
      ``(loss, grad)``, loss ``[...]`` or 0-d and grad ``[..., C]``: what
      :func:`cevis.cross_entropy` and :func:`cross_entropy_grad` return for the same arguments.

    >>> loss, grad = cross_entropy_and_grad([[2.0, 1.0, 0.1]], [0])
    >>> print(loss.round(4), grad.round(4))
    0.417 [[-0.341   0.2424  0.0986]]
    """
    return _loss_and_grad("cross_entropy_and_grad", logits, target, weight, ignore_index,
                          reduction, label_smoothing, axis, want_loss=True)


def _loss_and_grad(fn, logits, target, weight, ignore_index, reduction, label_smoothing, axis, *,
                   want_loss):
    """The fast path when it applies, else the general one; errors are named after ``fn``."""
    check_reduction(reduction, fn)
    x = as_float_array(logits, "logits", fn)
    if (fast := _fast.try_cross_entropy(x, target, weight, ignore_index, label_smoothing, axis,
                                        reduction, with_grad=True)) is not None:
        return fast
    parts = prepare_cross_entropy(x, target, weight, ignore_index, label_smoothing, axis, fn,
                                  reduction)
    loss = reduced_cross_entropy(parts, reduction) if want_loss else None
    return loss, _grad_from_parts(parts, reduction)


def _grad_from_parts(parts, reduction):
    r"""The general gradient :math:`A\,p - a` (see :func:`cross_entropy_grad`), any option.

    Weights whose sum overflows float64 are divided by their largest first and the
    gradient multiplied back at the end, so no ``inf * 0`` can make a NaN.
    """
    s, w, eps = parts.shifted, parts.weight, parts.smoothing
    scale = 1.0
    with np.errstate(over="ignore"):
        overflows = w is not None and not np.isfinite(w.sum())
    if overflows:
        scale = w.max()
        w = w / scale
    c = s.shape[-1]
    p = np.exp(s - parts.log_sum[..., None])
    if parts.probs_target is not None:
        a = parts.probs_target if w is None else parts.probs_target * w
        g = a.sum(axis=-1, keepdims=True) * p - a
    else:
        y = parts.index[..., None]
        w_y = np.ones(y.shape, p.dtype) if w is None else w[y]
        if eps:
            w_all = np.ones(c, p.dtype) if w is None else w
            total = (1 - eps) * w_y + (eps / c) * w_all.sum()
            g = total * p - (eps / c) * w_all
        else:
            g = p if w is None else w_y * p
        np.put_along_axis(g, y, np.take_along_axis(g, y, axis=-1) - (1 - eps) * w_y, axis=-1)
        g = np.where(parts.valid[..., None], g, 0)
    if reduction == "mean" and parts.denominator != 0:
        g = g / parts.denominator
    elif reduction == "mean" and parts.valid is not None:
        # zero total weight: PyTorch's kept rows get w_y / 0 (nan), its ignored rows 0
        g = np.where(parts.valid[..., None], np.nan, g)
    with np.errstate(over="ignore"):  # past the dtype's range is inf: the answer
        return np.moveaxis(g * scale if scale != 1.0 else g, -1, parts.axis).astype(
            parts.out_dtype, copy=False)


def binary_cross_entropy_with_logits_grad(logits: ArrayLike, target: ArrayLike, *,
                                          weight: ArrayLike | None = None,
                                          pos_weight: ArrayLike | None = None,
                                          reduction: str = "mean") -> np.ndarray:
    r"""Gradient of :func:`cevis.binary_cross_entropy_with_logits` w.r.t. the logits.

    .. math:: \frac{\partial \ell}{\partial z} = w\,[\,(1 - t) - (1 + (\beta - 1)t)(1 - \sigma(z))\,]

    which with no ``pos_weight`` (:math:`\beta = 1`) is :math:`w\,(\sigma(z) - t)`.
    The ``"mean"`` divides by the number of elements; ``"none"`` gives the
    gradient of the sum.

    Args:
      logits, target, weight, pos_weight, reduction: as for the loss (``[...]`` each,
        the weights broadcastable).

    Returns:
      ``[...]``: the logits' shape and floating dtype.

    >>> print(binary_cross_entropy_with_logits_grad([0.0, 2.0], [1, 0], reduction="sum").round(4))
    [-0.5     0.8808]
    """
    fn = "binary_cross_entropy_with_logits_grad"
    x, t, w, pw, out_dtype = prepare_bce_with_logits(logits, target, weight, pos_weight, fn,
                                                     reduction)
    sig_neg = stable_sigmoid(-x)  # 1 - sigmoid(x), without cancellation
    g = (1 - t) - sig_neg if pw is None else (1 - t) - (1 + (pw - 1) * t) * sig_neg
    if w is None and reduction == "mean" and g.size:
        g = g / g.size  # (a weight was divided by the count already)
    with np.errstate(over="ignore"):  # past the dtype's range is inf: the answer
        return np.asarray(weighted(w, g)).astype(out_dtype, copy=False)


def softmax_jacobian(logits: ArrayLike, axis: int = -1, *, temperature: float = 1.0) -> np.ndarray:
    r"""Jacobian of softmax: :math:`\partial p_i / \partial z_j = p_i(\delta_{ij} - p_j) / T`.

    The diagonal is :math:`p_i(1 - p_i)`, off the diagonal :math:`-p_i p_j`: raising
    one logit raises its own probability and lowers every other one. The division by
    ``T`` is done in a dtype that holds ``T`` (float16 cannot hold 1e-8); an entry past
    the dtype's range is ``±inf``.

    Args:
      logits: array-like ``[..., C]``; a 0-d input gives 0 (softmax is 1 there).
      axis: the class axis.
      temperature: ``T > 0``, as for :func:`cevis.softmax`.

    Returns:
      ``[..., C, C]`` (the class axis moved to the end, then doubled): entry
      ``[..., i, j]`` is :math:`\partial p_i / \partial z_j`.

    >>> print(softmax_jacobian([0.0, 0.0]))
    [[ 0.25 -0.25]
     [-0.25  0.25]]
    """
    fn = "softmax_jacobian"
    p, shape, out_dtype = probabilities_last(logits, axis, temperature, fn)
    eye = np.eye(p.shape[-1], dtype=p.dtype)
    jac = divide_by_temperature(p[..., :, None] * (eye - p[..., None, :]), float(temperature))
    with np.errstate(over="ignore"):  # float16 past 65504 is inf: the answer
        jac = jac.astype(out_dtype, copy=False)
    return np.asarray(jac.reshape(()) if len(shape) == 0 else jac)


def _scalar_value(value, fn) -> float:
    """``f``'s value as a finite float, or an InputError naming ``f``."""
    if isinstance(value, bool) or not (isinstance(value, numbers.Real) or (
            isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf")):
        shape = f"shape {value.shape}" if isinstance(value, np.ndarray) else repr(value)[:40]
        raise InputError(f"{fn}: f returned {shape}; expected a real scalar")
    try:
        v = float(value)
    except OverflowError:  # a Python int past float64's range
        raise InputError(f"{fn}: f returned an integer of {len(str(abs(value)))} digits; "
                         "expected a finite number") from None
    if not np.isfinite(v):
        raise InputError(f"{fn}: f returned {v!r}; expected a finite number")
    return v


def numerical_grad(f: Callable[[np.ndarray], ArrayLike], x: ArrayLike, *,
                   h: float = 1e-6) -> np.ndarray:
    r"""Central finite differences: :math:`(f(x + h e_i) - f(x - h e_i)) / 2h` for each element.

    The error is :math:`O(h^2)` from truncation plus about
    :math:`\epsilon_{mach}|f|/h` from rounding, so ``h`` near 1e-5 to 1e-6 suits
    float64; much smaller ``h`` lets rounding win.

    Args:
      f: callable taking a float64 array shaped like ``x`` and returning a real scalar.
      x: array-like ``[...]`` of any shape (computed in float64), finite.
      h: step, ``> 0``; ``x ± h`` must stay finite.

    Returns:
      float64 array ``[...]``, shaped like ``x``.

    >>> print(numerical_grad(lambda v: (v ** 2).sum(), [1.0, -2.0]).round(6))
    [ 2. -4.]
    """
    fn = "numerical_grad"
    if not callable(f):
        raise InputError(f"{fn}: f is {type(f).__name__}; expected a callable returning a scalar")
    step = check_real(h, "h", fn, low=0.0, low_open=True, high=np.finfo(np.float64).max / 2)
    base = as_float_array(x, "x", fn).astype(np.float64)
    check_finite(base, "x", fn)
    if base.size and np.abs(base).max() > np.finfo(np.float64).max - step:
        raise InputError(f"{fn}: x ± h overflows (h is {step!r}, largest |x| is "
                         f"{float(np.abs(base).max())!r}); expected a smaller step or x")
    grad = np.empty_like(base)
    flat, out = base.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + step
        up = _scalar_value(f(base), fn)
        flat[i] = keep - step
        down = _scalar_value(f(base), fn)
        flat[i] = keep
        out[i] = (up - down) / (2 * step)
    return grad


def mse_on_probabilities_grad(logits: ArrayLike, target_index: ArrayLike, *,
                              axis: int = -1) -> np.ndarray:
    r"""Gradient of :func:`cevis.losses.mse_on_probabilities` w.r.t. the logits.

    .. math:: \frac{\partial}{\partial z} \sum_c (p_c - y_c)^2 = 2\,J\,(p - y), \quad
              J = \mathrm{diag}(p) - p p^\top

    When the model is confidently wrong, p is nearly one-hot on the wrong class, J
    is nearly 0, and so is this gradient: the reason MSE trains classifiers badly.

    Args:
      logits: array-like ``[..., C]``.
      target_index: class indices ``[...]``.
      axis: the class axis.

    Returns:
      Array of the logits' shape and floating dtype.

    >>> print(mse_on_probabilities_grad([0.0, 0.0], 0).round(4))
    [-0.5  0.5]
    """
    fn = "mse_on_probabilities_grad"
    p, onehot, out_dtype = probs_and_onehot(logits, target_index, axis, fn)
    jac = p[..., :, None] * (np.eye(p.shape[-1], dtype=p.dtype) - p[..., None, :])
    g = 2 * np.einsum("...ij,...j->...i", jac, p - onehot)
    return np.moveaxis(g, -1, axis).astype(out_dtype, copy=False)
