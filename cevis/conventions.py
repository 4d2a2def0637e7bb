r"""How each framework computes binary cross-entropy from a probability, side by side.

They agree for :math:`0 < p < 1` and part ways where a log meets 0:

- the plain formula :math:`-[t\log p + (1-t)\log(1-p)]` gives ``inf`` for a
  certain mistake, and ``nan`` (:math:`0 \cdot \log 0`) for a certain success;
- PyTorch ``BCELoss`` clamps each log at -100, so a certain mistake costs 100;
- Keras ``BinaryCrossentropy`` clips p to :math:`[10^{-7}, 1 - 10^{-7}]` in
  float32 (its default dtype), so a certain mistake costs about 16.1 or 15.9;
- a clamp of p to :math:`[10^{-15}, 1 - 10^{-15}]`, common in hand-written code,
  gives about 34.5;
- from logits (PyTorch ``BCEWithLogitsLoss``, Keras ``from_logits=True``) there is
  no clipping: the loss is exact for any finite logit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import InputError
from ._checks import as_float_array
from ._checks import check_finite
from ._checks import check_in_unit_interval
from .losses import BCE_LOG_FLOOR
from .losses import binary_cross_entropy
from .losses import binary_cross_entropy_with_logits

KERAS_EPSILON = 1e-7  # keras.backend.epsilon()
HAND_CLAMP = 1e-15  # the clamp of the seed article's hand-written cross-entropy


@dataclass(frozen=True)
class Convention:
    key: str
    label: str
    rule: str  # what it does at p = 0 or 1, in a few words


BINARY_CONVENTIONS = (
    Convention("plain", "Plain formula", "log(0) = −inf: inf for a certain mistake, nan for 0·log 0"),
    Convention("torch", "PyTorch BCELoss", "each log clamped at −100"),
    Convention("keras", "Keras BinaryCrossentropy", "p clipped to [1e-7, 1 − 1e-7] in float32"),
    Convention("clamp", "Clamp 1e-15", "p clamped to [1e-15, 1 − 1e-15]"),
    Convention("logits", "PyTorch BCEWithLogitsLoss / Keras from_logits",
               "exact from the logit, no clipping"),
)


def _clipped_bce(p, t, eps, dtype):
    q = np.clip(p.astype(dtype), dtype(eps), dtype(1) - dtype(eps))
    return -(t * np.log(q) + (1 - t) * np.log(1 - q)).astype(np.float64)


def binary_losses_by_convention(target: ArrayLike, *, probs: ArrayLike | None = None,
                                logits: ArrayLike | None = None,
                                pos_weight: ArrayLike | None = None) -> dict[str, np.ndarray]:
    """Per-sample binary cross-entropy under each convention of :data:`BINARY_CONVENTIONS`.

    Give either ``probs`` (then the logit form is left out: a logit of p = 0 or 1
    is infinite) or ``logits`` (then ``p = sigmoid(z)`` feeds the probability forms).

    Args:
      target: array-like ``[N]`` of labels in [0, 1].
      probs: array-like ``[N]`` of probabilities in [0, 1].
      logits: array-like ``[N]`` of finite logits.
      pos_weight: optional weight of the positive term, for the logit form only
        (``BCEWithLogitsLoss(pos_weight=...)``).

    Returns:
      ``{convention key: float64 [N] losses}``, in the order of ``BINARY_CONVENTIONS``.

    >>> out = binary_losses_by_convention([1, 0], probs=[0.0, 0.0])
    >>> {k: [round(float(v), 3) for v in out[k]] for k in ("plain", "torch", "keras", "clamp")}
    {'plain': [inf, nan], 'torch': [100.0, 0.0], 'keras': [16.118, 0.0], 'clamp': [34.539, 0.0]}
    """
    fn = "binary_losses_by_convention"
    if (probs is None) == (logits is None):
        raise InputError(f"{fn}: got {'both' if probs is not None else 'neither'} of probs and "
                         "logits; expected exactly one")
    t = as_float_array(target, "target", fn).astype(np.float64)
    check_in_unit_interval(t, "target", fn)
    out = {}
    if logits is not None:
        z = as_float_array(logits, "logits", fn).astype(np.float64)
        check_finite(z, "logits", fn)
        if z.shape != t.shape:
            raise InputError(f"{fn}: logits has shape {z.shape}; expected {t.shape}, "
                             "the shape of target")
        p = np.exp(-np.logaddexp(0.0, -z))  # sigmoid without overflow
    else:
        p = as_float_array(probs, "probs", fn).astype(np.float64)
        check_in_unit_interval(p, "probs", fn)
        if p.shape != t.shape:
            raise InputError(f"{fn}: probs has shape {p.shape}; expected {t.shape}, "
                             "the shape of target")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["plain"] = -(t * np.log(p) + (1 - t) * np.log1p(-p))
        out["torch"] = binary_cross_entropy(p, t, reduction="none")
        out["keras"] = _clipped_bce(p, t, KERAS_EPSILON, np.float32)
        out["clamp"] = _clipped_bce(p, t, HAND_CLAMP, np.float64)
    if logits is not None:
        out["logits"] = binary_cross_entropy_with_logits(z, t, pos_weight=pos_weight,
                                                         reduction="none")
    return out


TRUE_CLASS_CONVENTIONS = (
    Convention("plain", "Unclamped −log p", "−log 0 = inf"),
    Convention("clamp", "Clamp 1e-15", "p clamped to [1e-15, 1 − 1e-15]: at most 34.5"),
    Convention("keras", "Keras clip 1e-7", "p clipped to [1e-7, 1 − 1e-7] in float32: at most 16.1"),
    Convention("torch", "PyTorch BCELoss", "log clamped at −100: at most 100"),
)


def true_class_losses_by_convention(p_true: ArrayLike) -> dict[str, np.ndarray]:
    """−log p of the true class's probability under each clamping convention.

    Args:
      p_true: array-like of probabilities in [0, 1] (any shape).

    Returns:
      ``{key: float64 losses}`` for the keys of :data:`TRUE_CLASS_CONVENTIONS`.

    >>> out = true_class_losses_by_convention([0.0, 1.0])
    >>> {k: [round(float(v), 3) for v in out[k]] for k in out}
    {'plain': [inf, 0.0], 'clamp': [34.539, 0.0], 'keras': [16.118, 0.0], 'torch': [100.0, 0.0]}
    """
    p = as_float_array(p_true, "p_true", "true_class_losses_by_convention").astype(np.float64)
    check_in_unit_interval(p, "p_true", "true_class_losses_by_convention")
    with np.errstate(divide="ignore"):
        return {
            "plain": 0.0 - np.log(p),  # 0 - log 1 = 0.0, where -log 1 is -0.0
            "clamp": -np.log(np.clip(p, HAND_CLAMP, 1 - HAND_CLAMP)),
            "keras": -np.log(np.clip(p.astype(np.float32), np.float32(KERAS_EPSILON),
                                     np.float32(1) - np.float32(KERAS_EPSILON))).astype(np.float64),
            "torch": np.minimum(0.0 - np.log(p), -BCE_LOG_FLOOR),
        }
