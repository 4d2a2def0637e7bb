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
from cevis.activations import sigmoid
from cevis.activations import softmax
from cevis.checks import as_float_array
from cevis.checks import check_finite
from cevis.checks import check_temperature
from cevis.checks import is_int
from cevis.grads import cross_entropy_grad
from cevis.grads import mse_on_probabilities_grad
from cevis.grads import numerical_grad
from cevis.grads import softmax_jacobian
from cevis.losses import binary_cross_entropy
from cevis.losses import binary_cross_entropy_with_logits
from cevis.losses import cross_entropy


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


LOGIT_LIMIT = 20.0  # |z| when p = 0 or 1 becomes a logit: sigma(20) = 1 - 2e-9


def convert_predictions(values, to_kind: str) -> np.ndarray:
    """Probabilities -> logits (``to_kind="logit"``) or logits -> probabilities.

    A probability of exactly 0 or 1 has an infinite logit; it becomes
    ``-LOGIT_LIMIT`` or ``+LOGIT_LIMIT`` instead.

    >>> print(convert_predictions([0.5, 0.0], "logit"), convert_predictions([0.0], "probability"))
    [  0. -20.] [0.5]
    """
    v = np.asarray(values, dtype=np.float64)
    if to_kind == "probability":
        return sigmoid(v)
    if to_kind != "logit":
        raise InputError(f"convert_predictions: to_kind is {to_kind!r}; expected 'logit' or "
                         "'probability'")
    with np.errstate(divide="ignore"):
        z = np.log(v) - np.log1p(-v)
    return np.clip(z, -LOGIT_LIMIT, LOGIT_LIMIT)


@dataclass(frozen=True)
class ChainRule:
    r"""The gradient of :math:`L = -\log p_y` taken through the softmax, step by step."""
    probs: np.ndarray  # [C] p
    true_index: int  # y
    dloss_dp: float  # dL/dp_y = -1 / p_y (the loss depends on p_y alone)
    jacobian: np.ndarray  # [C, C] dp_i / dz_j
    jacobian_row: np.ndarray  # [C] dp_y / dz_j: p_y (1 - p_y) at j = y, -p_y p_j elsewhere
    product: np.ndarray  # [C] dL/dp_y * dp_y/dz_j
    closed_form: np.ndarray  # [C] (p - onehot(y)) / T: what the product equals
    temperature: float = 1.0  # T of p = softmax(z / T)


def chain_rule(logits, true_index, *, temperature=1.0) -> ChainRule:
    r"""Each factor of :math:`\partial L/\partial z_j = \frac{\partial L}{\partial p_y}
    \frac{\partial p_y}{\partial z_j}` for one sample, and the closed form it equals.

    With :math:`p = \mathrm{softmax}(z/T)` the Jacobian and so the gradient carry a
    factor :math:`1/T`: the closed form is :math:`(p - \mathrm{onehot}(y))/T`.

    >>> c = chain_rule([0.0, 0.0], 0)
    >>> c.dloss_dp, c.jacobian_row.tolist(), c.product.tolist()
    (-2.0, [0.25, -0.25], [-0.5, 0.5])
    """
    b = explain_sample(logits, true_index, temperature=temperature)
    jac = softmax_jacobian(b.logits, temperature=b.temperature)
    row = jac[b.true_index]
    dldp = -1.0 / b.probs[b.true_index]
    return ChainRule(b.probs, b.true_index, float(dldp), jac, row, dldp * row, b.grad,
                     b.temperature)


@dataclass(frozen=True)
class GradientCheck:
    """The closed-form gradient against central differences with step h."""
    h: float
    analytic: np.ndarray  # [C]
    numeric: np.ndarray  # [C]
    relative_error: np.ndarray  # [C] |a - n| / max(|a|, |n|, tiny)

    @property
    def worst(self) -> float:
        return float(self.relative_error.max())


def _relative_error(a, n):
    scale = np.maximum(np.maximum(np.abs(a), np.abs(n)), 1e-300)
    return np.abs(a - n) / scale


def gradient_check(logits, true_index, h, *, temperature=1.0) -> GradientCheck:
    r"""Check :math:`p - \mathrm{onehot}(y)` against :math:`(L(z + h e_j) - L(z - h e_j)) / 2h`.

    The error is smallest near :math:`h \approx 10^{-5}`: larger steps add the
    :math:`O(h^2)` truncation error, smaller ones the :math:`\epsilon\,L/h` rounding error.

    >>> gradient_check([2.0, 1.0, 0.1], 0, 1e-5).worst < 1e-9
    True
    >>> gradient_check([2.0, 1.0, 0.1], 0, 1e-5, temperature=2.0).worst < 1e-9
    True
    """
    b = explain_sample(logits, true_index, temperature=temperature)
    analytic = b.grad  # (p - onehot(y)) / T
    t = b.temperature
    numeric = numerical_grad(lambda v: float(cross_entropy(v / t, b.true_index)), b.logits, h=h)
    return GradientCheck(float(h), analytic, numeric, _relative_error(analytic, numeric))


def gradient_check_sweep(logits, true_index, steps, *, temperature=1.0) -> np.ndarray:
    """The worst relative error of :func:`gradient_check` for each h in ``steps``, ``[H]``."""
    return np.array([gradient_check(logits, true_index, h, temperature=temperature).worst
                     for h in steps])


TRUE_LOGIT_SWEEP = (-15.0, 10.0, 300)  # how far the true logit is moved for the comparison


def gradient_pair(logits, true_index, *, temperature=1.0) -> dict[str, np.ndarray]:
    """∂L/∂z of cross-entropy and of squared error on p for one sample, labelled:
    ``{"cross-entropy": [C], "MSE on p": [C]}``. At temperature T the loss sees z/T, so
    both are the gradients at z/T divided by T.

    >>> gradient_pair([0.0, 0.0], 0)["cross-entropy"].tolist()
    [-0.5, 0.5]
    """
    t = float(temperature)
    scaled = [z / t for z in logits]
    return {"cross-entropy": cross_entropy_grad(scaled, true_index) / t,
            "MSE on p": mse_on_probabilities_grad(scaled, true_index) / t}


def gradient_magnitude_sweep(logits, true_index, *,
                             temperature=1.0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """:func:`gradient_magnitudes` with the other logits of ``logits`` held, the true one swept:
    ``p_true [K]`` and ``{"cross-entropy": [K], "MSE on p": [K]}``, labelled for a chart.

    At temperature T the loss sees z/T, so both gradients are those at z/T divided by T.
    """
    t = float(temperature)
    others = [z / t for i, z in enumerate(logits) if i != true_index]
    sweep = gradient_magnitudes(np.linspace(*TRUE_LOGIT_SWEEP) / t, others, true_index)
    return sweep["p_true"], {"cross-entropy": sweep["cross-entropy"] / t, "MSE on p": sweep["mse"] / t}


def gradient_magnitudes(true_logit_values, other_logits, true_index=0) -> dict[str, np.ndarray]:
    """|dL/dz_y| for cross-entropy and for squared error on p, as the true logit varies.

    Returns ``{"p_true": [K], "cross-entropy": [K], "mse": [K]}``: CE's gradient on the
    true logit is 1 - p_y, largest when the prediction is confidently wrong; MSE's
    vanishes there.
    """
    zt = np.asarray(true_logit_values, dtype=np.float64)
    others = np.asarray(other_logits, dtype=np.float64)
    z = np.insert(np.tile(others, (zt.size, 1)), true_index, zt, axis=1)
    y = np.full(zt.size, true_index)

    return {"p_true": softmax(z)[:, true_index],
            "cross-entropy": np.abs(cross_entropy_grad(z, y, reduction="none")[:, true_index]),
            "mse": np.abs(mse_on_probabilities_grad(z, y)[:, true_index])}

