"""The three reductions of a loss, and the cast back to the caller's dtype."""

from __future__ import annotations

import numpy as np


def as_loss_dtype(loss, dtype) -> np.ndarray:
    """``loss`` as an array of ``dtype``; a loss past the dtype's range is inf, as in PyTorch.

    (A float16 loss past 65504, or a float64-weighted float32 loss past 3.4e38: the inf is
    the correctly rounded answer, so numpy's overflow warning is silenced.)
    """
    if dtype == np.float64:  # nothing to overflow (and errstate costs ~1 µs a call)
        return np.asarray(loss, dtype=dtype)
    with np.errstate(over="ignore"):
        return np.asarray(loss, dtype=dtype)


def reduce_loss(per_sample: np.ndarray, reduction: str, denominator, out_dtype) -> np.ndarray:
    """Apply ``reduction``; the mean divides by ``denominator`` (not always the count).

    Sums run in float64 at least (a float32 sum of two 3e38 losses overflows; their mean
    does not). A mean whose sum still overflows is taken as the sum of ``loss / denominator``
    (the losses are >= 0, so no term exceeds the mean). A mean over nothing (no samples,
    every target ignored, weights summing to 0) is 0/0 = nan, as in PyTorch; the sum over
    nothing is 0.
    """
    if reduction == "none":
        return as_loss_dtype(per_sample, out_dtype)
    wide = np.promote_types(per_sample.dtype, np.float64)
    with np.errstate(over="ignore"):
        total = per_sample.sum(dtype=wide)
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # 0/0 -> nan, as PyTorch
            if np.isinf(total) and np.isfinite(per_sample).all():
                total = (per_sample / np.asarray(denominator, wide)).sum(dtype=wide)
            else:
                total = total / denominator
    return as_loss_dtype(total, out_dtype)
