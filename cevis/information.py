r"""Entropy and Kullback-Leibler divergence of distributions given as probabilities.

Shape: ``[..., C]``, classes along ``axis``; both return ``[...]``. Terms with a
probability of 0 count as 0 (:math:`0 \log 0 = 0`). Cross-entropy ties them together:
:math:`H(t, p) = H(t) + KL(t \,\|\, p)`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import InputError
from ._checks import as_float_array
from ._checks import check_axis
from ._checks import check_has_classes
from ._checks import check_in_unit_interval
from ._checks import check_sums_to_one


def distribution(x, name, axis, fn):
    """Validated probabilities ``[..., C]`` and the class axis: rows in [0, 1] summing to 1."""
    a = as_float_array(x, name, fn)
    ax = check_axis(axis, a.ndim, fn, name)
    check_has_classes(a.shape, ax, name, fn)
    check_in_unit_interval(a, name, fn)
    check_sums_to_one(a, ax, name, fn)
    return a, ax


def entropy(probs: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Shannon entropy in nats: :math:`H(p) = -\sum_c p_c \log p_c`, with :math:`0 \log 0 = 0`.

    Args:
      probs: array-like ``[..., C]``, rows in [0, 1] summing to 1.
      axis: the class axis.

    Returns:
      ``[...]`` entropies, ``>= 0``, the floating dtype of ``probs``.

    >>> print(entropy([0.5, 0.5]).round(6))
    0.693147
    """
    p, ax = distribution(probs, "probs", axis, "entropy")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
    return np.asarray(0.0 - terms.sum(axis=ax)).astype(p.dtype, copy=False)  # +0.0, not -0.0


def kl_divergence(target: ArrayLike, probs: ArrayLike, axis: int = -1) -> np.ndarray:
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
    t, ax = distribution(target, "target", axis, fn)
    p, _ = distribution(probs, "probs", axis, fn)
    if t.shape != p.shape:
        raise InputError(f"{fn}: probs has shape {p.shape}; expected {t.shape}, "
                         "the shape of target")
    dt = np.result_type(t, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(t > 0, t * (np.log(t) - np.log(p)), 0.0)
    return np.asarray(terms.sum(axis=ax)).astype(dt, copy=False)
