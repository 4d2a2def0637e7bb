r"""Where cross-entropy breaks in floating point, and the forms that do not.

Everything here computes in the dtype it is given, on purpose: the naive forms
are meant to overflow so a page can show it. Their warnings are silenced with
``np.errstate``; the infinities and NaNs are the result being shown.

- ``exp`` overflows once :math:`z > \log(\text{max float})`: 11.09 in float16,
  88.72 in float32, 709.78 in float64. The naive softmax
  :math:`e^{z_i} / \sum_j e^{z_j}` then gives ``inf / inf = nan``.
- Subtracting the max first, :math:`e^{z_i - m} / \sum_j e^{z_j - m}`, keeps every
  exponent :math:`\le 0`: no overflow in any dtype.
- :math:`\log(\mathrm{softmax}(z))` is ``-inf`` once a probability underflows to 0;
  :math:`\mathrm{log\_softmax}(z) = (z - m) - \log\sum_j e^{z_j - m}` stays exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cevis import InputError

DTYPES = ("float16", "float32", "float64")


def exp_overflow_threshold(dtype) -> float:
    """The largest ``x`` whose ``exp(x)`` is finite in ``dtype``: ``log(finfo.max)``.

    >>> [round(exp_overflow_threshold(d), 2) for d in DTYPES]
    [11.09, 88.72, 709.78]
    """
    return float(np.log(np.finfo(np.dtype(dtype)).max.astype(np.float64)))


def _in(dtype, values) -> np.ndarray:
    if str(dtype) not in DTYPES:
        raise InputError(f"dtype is {dtype!r}; expected one of {DTYPES}")
    with np.errstate(over="ignore"):  # 1e6 in float16 is inf: that is part of the lesson
        return np.asarray(values, dtype=np.float64).astype(dtype)


def naive_softmax(logits, dtype) -> np.ndarray:
    """``exp(z) / sum(exp(z))`` in ``dtype``, with no protection (last axis)."""
    z = _in(dtype, logits)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)


def shifted_softmax(logits, dtype) -> np.ndarray:
    """``exp(z - max) / sum(exp(z - max))`` in ``dtype``: the stable form, no upcasting."""
    z = _in(dtype, logits)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)


def log_of_softmax(logits, dtype) -> np.ndarray:
    """``log(softmax(z))`` in ``dtype`` (softmax itself stable): ``-inf`` once p underflows."""
    with np.errstate(divide="ignore"):
        return np.log(shifted_softmax(logits, dtype))


def stable_log_softmax(logits, dtype) -> np.ndarray:
    """``(z - m) - log(sum(exp(z - m)))`` in ``dtype``: exact for any gap between logits."""
    z = _in(dtype, logits)
    with np.errstate(over="ignore", invalid="ignore"):
        s = z - z.max(axis=-1, keepdims=True)
        return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


@dataclass(frozen=True)
class StabilityRow:
    """One dtype's view of the same logits."""

    dtype: str
    threshold: float  # exp overflows above this
    logits: np.ndarray  # the logits as that dtype holds them (may be inf)
    naive: np.ndarray  # naive softmax
    stable: np.ndarray  # max-subtracted softmax
    log_naive: np.ndarray  # log(softmax)
    log_stable: np.ndarray  # log_softmax

    @property
    def naive_ok(self) -> bool:
        return bool(np.isfinite(self.naive).all())


def compare_dtypes(logits) -> list[StabilityRow]:
    """The naive and stable softmax and log-softmax of ``logits`` in every dtype of :data:`DTYPES`.

    >>> rows = compare_dtypes([100.0, 0.0])
    >>> [(r.dtype, r.naive_ok) for r in rows]
    [('float16', False), ('float32', False), ('float64', True)]
    """
    return [StabilityRow(d, exp_overflow_threshold(d), _in(d, logits), naive_softmax(logits, d),
                         shifted_softmax(logits, d), log_of_softmax(logits, d),
                         stable_log_softmax(logits, d))
            for d in DTYPES]


def naive_sweep(largest, dtype, *, rest=(0.0, -1.0)) -> np.ndarray:
    """p of the top class by the naive softmax, for logits ``[x, *rest]`` at each ``x``.

    NaN where ``exp(x)`` overflowed: the chart of it breaks exactly at the threshold.
    """
    x = np.asarray(largest, dtype=np.float64)
    z = np.concatenate([x[:, None], np.broadcast_to(rest, (x.size, len(rest)))], axis=1)
    return naive_softmax(z, dtype)[:, 0].astype(np.float64)


def two_step_cross_entropy(logits, target_index, dtype) -> float:
    """``-log(softmax(z)[y])``: the loss computed from probabilities, ``inf`` once p_y underflows."""
    return float(-log_of_softmax(logits, dtype)[..., target_index])


def fused_cross_entropy(logits, target_index, dtype) -> float:
    """``-log_softmax(z)[y]``: the loss straight from the logits, exact."""
    return float(-stable_log_softmax(logits, dtype)[..., target_index])



@dataclass(frozen=True)
class LossByDtype:
    """The loss of one sample computed two ways, in every dtype of :data:`DTYPES`."""

    rows: list[StabilityRow]  # each dtype's softmax and log-softmax (:func:`compare_dtypes`)
    two_step: list[float]  # -log(softmax(z)[y]): inf once p_y underflows
    fused: list[float]  # -log_softmax(z)[y]: exact


def compare_losses_by_dtype(logits, target_index) -> LossByDtype:
    """:func:`compare_dtypes` and both losses of :func:`two_step_cross_entropy` and
    :func:`fused_cross_entropy`, one per dtype.

    >>> c = compare_losses_by_dtype([0.0, -200.0], 1)
    >>> c.two_step, c.fused
    ([inf, inf, 200.0], [200.0, 200.0, 200.0])
    """
    return LossByDtype(compare_dtypes(logits),
                       [two_step_cross_entropy(logits, target_index, d) for d in DTYPES],
                       [fused_cross_entropy(logits, target_index, d) for d in DTYPES])

SWEEP_POINTS = 400  # points of the overflow chart
PROBABILITY_FLOOR = 1e-60  # left end of the clamp chart: far below every clamp


SWEEP_MAX = 10_000.0  # the Stability page's slider goes this far: the chart follows it


def sweep_grid() -> np.ndarray:
    """Largest-logit values for the overflow chart: 1 to 10 000 on a log scale."""
    return np.geomspace(1.0, SWEEP_MAX, SWEEP_POINTS)


def probability_grid() -> np.ndarray:
    """Probabilities for the clamp chart, from :data:`PROBABILITY_FLOOR` to 1, log-spaced."""
    return np.geomspace(PROBABILITY_FLOOR, 1.0, SWEEP_POINTS)


def entropy_term(y) -> float:
    """``-y log y`` (0 at y = 0): one class's share of an entropy, or of a cross-entropy with t = p.

    >>> round(entropy_term(0.2), 4), round(entropy_term(0.8), 4)
    (0.3219, 0.1785)
    """
    y = float(y)
    if not 0.0 <= y <= 1.0:
        raise InputError(f"entropy_term: y is {y!r}; expected a probability in [0, 1]")
    return 0.0 if y == 0 else -y * float(np.log(y))


def binary_entropy(y) -> float:
    """``-y log y - (1 - y) log(1 - y)``: the binary cross-entropy of a perfect soft prediction.

    >>> round(binary_entropy(0.2), 4) == round(binary_entropy(0.8), 4) == 0.5004
    True
    """
    return entropy_term(y) + entropy_term(1.0 - float(y))
