r"""Squared error on probabilities: the loss cross-entropy is compared with, and why it trains badly.

Shape: logits ``[..., C]`` (classes along ``axis``), class indices ``[...]``.
Its gradient, :func:`cevis.grads.mse_on_probabilities_grad`, vanishes when the model is
confidently wrong; cross-entropy's does not.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import InputError
from ._checks import as_array
from ._checks import check_has_classes
from ._checks import class_indices
from .activations import probabilities_last


def mse_on_probabilities(logits: ArrayLike, target_index: ArrayLike, *,
                         axis: int = -1) -> np.ndarray:
    r"""Squared error between softmax(z) and the one-hot target: :math:`\sum_c (p_c - y_c)^2`.

    Not a loss to train a classifier with: it is here to be compared with
    cross-entropy (see :func:`cevis.grads.mse_on_probabilities_grad`).

    Args:
      logits: array-like ``[..., C]``.
      target_index: class indices ``[...]``.
      axis: the class axis.

    Returns:
      ``[...]`` per-sample errors, the logits' floating dtype.

    >>> print(mse_on_probabilities([0.0, 0.0], 0).round(4))
    0.5
    """
    p, onehot, out_dtype = probs_and_onehot(logits, target_index, axis, "mse_on_probabilities")
    return np.asarray(((p - onehot) ** 2).sum(axis=-1)).astype(out_dtype, copy=False)


def probs_and_onehot(logits, target_index, axis, fn):
    """``(softmax(z), onehot(y), out_dtype)``, classes last, validated under ``fn``'s name."""
    p, shape, out_dtype = probabilities_last(logits, axis, 1.0, fn)
    if len(shape) == 0:
        raise InputError(f"{fn}: logits is a scalar (shape ()); expected at least one axis of classes")
    check_has_classes(p.shape, p.ndim - 1, "logits", fn)
    t = as_array(target_index, "target_index", fn)
    if t.shape != p.shape[:-1]:
        raise InputError(f"{fn}: target_index has shape {t.shape}; expected {p.shape[:-1]}, "
                         "the logits' shape without the class axis")
    y, _ = class_indices(t, p.shape[-1], None, fn, "target_index")
    onehot = np.zeros_like(p)
    np.put_along_axis(onehot, y[..., None], 1.0, axis=-1)
    return p, onehot, out_dtype
