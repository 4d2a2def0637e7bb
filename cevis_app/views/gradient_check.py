r"""The gradient through the softmax, checked two ways: factor by factor (the chain rule) and
against central differences (the step size that makes them agree best).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cevis.grads import numerical_grad
from cevis.grads import softmax_jacobian
from cevis.losses import cross_entropy
from cevis_app.views.sample import explain_sample


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
