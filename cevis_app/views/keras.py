r"""What Keras 3's categorical cross-entropy losses print for the Batch page's batch.

From keras/src/losses (Keras 3): ``CategoricalCrossentropy(from_logits, label_smoothing,
reduction)(y_true, y_pred, sample_weight)`` computes for each row

.. math:: \tilde t = (1 - \varepsilon)\, t + \varepsilon / C, \quad
          \ell_i = -\sum_c \tilde t_{ic} \log p_{ic},

with ``p = softmax(z)`` from logits, or ``y_pred / sum(y_pred)`` clipped to
``[1e-7, 1 - 1e-7]`` from probabilities. ``reduce_weighted_values`` then scales each
row by its sample weight and reduces: ``"sum"`` is :math:`\sum_i w_i \ell_i`,
``"sum_over_batch_size"`` is :math:`\sum_i w_i \ell_i / N` (N rows, not the summed
weights, unlike PyTorch), ``None`` the vector. ``SparseCategoricalCrossentropy`` is
the same with a one-hot ``t`` and no smoothing. Class weights reach Keras as
``sample_weight = class_weight[argmax(t)]``, the class of each row's target.
"""

from __future__ import annotations

import numpy as np

from cevis import log_softmax

KERAS_EPSILON = 1e-7  # keras.config.epsilon(): probabilities are clipped to [eps, 1 - eps]
KERAS_REDUCTIONS = {"mean": "sum_over_batch_size", "sum": "sum", "none": None}  # PyTorch's -> Keras's


def keras_row_losses(preds, targets, *, from_probs: bool, index_targets: bool,
                     label_smoothing: float = 0.0) -> np.ndarray:
    """:math:`\\ell_i` ``[N]``: each row's Keras categorical cross-entropy, unweighted.

    >>> keras_row_losses([[0.0, 0.0]], [1], from_probs=False, index_targets=True).round(6)
    array([0.693147])
    """
    y_pred = np.asarray(preds, dtype=np.float64)
    c = y_pred.shape[-1]
    t = np.eye(c)[np.asarray(targets, int)] if index_targets else np.asarray(targets, np.float64)
    t = (1.0 - label_smoothing) * t + label_smoothing / c
    if from_probs:
        p = y_pred / y_pred.sum(axis=-1, keepdims=True)
        log_p = np.log(np.clip(p, KERAS_EPSILON, 1.0 - KERAS_EPSILON))
    else:
        log_p = log_softmax(y_pred)
    return -(t * log_p).sum(axis=-1)


def keras_sample_weight(targets, class_weight, *, index_targets: bool) -> np.ndarray:
    """``class_weight[argmax(t)]`` ``[N]``: the weight of each row's (most likely) target class."""
    cls = np.asarray(targets, int) if index_targets else np.argmax(np.asarray(targets, float), -1)
    return np.asarray(class_weight, dtype=np.float64)[cls]


def keras_loss(preds, targets, *, reduction: str, from_probs: bool, index_targets: bool,
               label_smoothing: float = 0.0, class_weight=None):
    """What the Keras loss prints: a float (``"sum"``, ``"mean"``) or the ``[N]`` vector (``"none"``).

    ``reduction`` is PyTorch's name; ``"mean"`` is Keras's ``"sum_over_batch_size"``,
    which divides the weighted sum by N. Rows PyTorch would ignore must be left out
    by the caller, as the generated code does.

    >>> keras_loss([[0.0, 0.0], [0.0, 0.0]], [0, 1], reduction="mean", from_probs=False,
    ...            index_targets=True, class_weight=[1.0, 3.0]).round(6)   # (1 + 3) log 2 / 2
    np.float64(1.386294)
    """
    rows = keras_row_losses(preds, targets, from_probs=from_probs, index_targets=index_targets,
                            label_smoothing=label_smoothing)
    if class_weight is not None:
        rows = rows * keras_sample_weight(targets, class_weight, index_targets=index_targets)
    if reduction == "none":
        return rows
    total = rows.sum()
    return total if reduction == "sum" else (total / rows.size if rows.size else np.float64("nan"))
