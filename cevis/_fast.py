r"""The private fast path of :func:`cevis.cross_entropy` and its gradient.

What it does:
  The plain case (classes last, every target a class index in ``[0, C)``, no weight, no
  smoothing, nothing ignored, a float16/32/64 array) is computed in fewer passes and
  without full-size temporaries: rows go through in blocks of about ``BLOCK_BYTES``,
  sums use ``einsum``, few classes use column loops, and a handful of logits are done in
  Python floats (numpy's ~1 µs a call dominates there). It gives the numbers of the
  general path in :mod:`cevis.losses` (same formulas, same order of operations) and
  mirrors no upstream code: only numpy's per-call and per-pass costs (numpy 2.4, 2 cores;
  see ``bench/RESULTS_cevis.md``, "What made it fast").

  Anything else, and every error, goes to the general path, which words the messages:
  this module only ever declines (returns None), it never raises.

How it is tested:
  ``tests/lib/test_fast_path.py`` runs the same calls with ``ENABLED`` on and off and
  compares them; ``tests/lib/test_extremes_and_dtypes.py`` checks it against the
  textbook formula across block boundaries and with a NaN in a late block; the torch
  parity fixture covers both paths. ``bench/bench_cevis.py`` measures it.

When to delete it:
  When numpy's own reductions (``max``/``sum`` along the last axis, a fused
  log-softmax) match these timings, or if cevis stops promising to be as fast as
  torch on CPU. Set ``ENABLED = False`` to send every call through the general path
  (e.g. to bisect a numerical difference).
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import work_dtype
from ._reduce import as_loss_dtype

ENABLED = True  # False: every call takes the general path of cevis.losses (same results)
TINY_SIZE = 64  # up to this many logits ...
TINY_ROWS = 8  # ... in this many rows, Python floats beat numpy's ~1 µs per call
BLOCK_BYTES = 2 ** 21  # rows go through in ~2 MB blocks: cached between passes, few calls per row
FEW_CLASSES_MAX = 64  # up to this C, a loop over columns beats numpy's per-row max
FEW_CLASSES_SUM = 8  # below this C, a loop over columns beats einsum's per-row sum
MANY_ROWS = 256  # ... but only from this many rows on: below, numpy's ~1 µs per column dominates
FAST_DTYPES = frozenset(np.dtype(t) for t in (np.float16, np.float32, np.float64))  # native order



def plain_index_target(x, target, weight, ignore_index, label_smoothing, axis):
    """The target as an integer array ``[...]`` if the call may be the plain case, else None.

    Checks everything but the range of the class indices (see :func:`_classes_in_range`).
    ``x`` is the validated logits array; the other arguments are as the caller got them.
    """
    if (weight is not None or type(label_smoothing) not in (int, float) or label_smoothing != 0
            or type(ignore_index) is not int or type(axis) is not int
            or x.dtype not in FAST_DTYPES or x.ndim == 0 or x.size == 0
            or axis not in (-1, x.ndim - 1) or 0 <= ignore_index < x.shape[-1]):
        return None  # (an ignore_index in [0, C) would ignore the targets equal to it)
    if type(target) is np.ndarray:
        t = target
    elif type(target) in (int, list) or isinstance(target, np.integer):
        try:
            t = np.asarray(target)
        except (ValueError, TypeError):  # a ragged list: the general path raises as it always did
            return None
    else:
        return None
    return t if t.dtype.kind in "iu" and t.shape == x.shape[:-1] else None


def _classes_in_range(y: np.ndarray, num_classes: int) -> bool:
    """True if every class index is in ``[0, C)``."""
    flat = y.reshape(-1)
    if flat.size <= TINY_SIZE:  # Python's min and max beat two numpy calls here
        listed = flat.tolist()
        return 0 <= min(listed) and max(listed) < num_classes
    return bool(0 <= np.minimum.reduce(flat) and np.maximum.reduce(flat) < num_classes)


def _row_max(block: np.ndarray) -> np.ndarray:
    """``[R]`` max of each row of ``[R, C]``; for few classes, a loop over columns is faster."""
    r, c = block.shape
    if c > FEW_CLASSES_MAX or r < MANY_ROWS:
        return np.maximum.reduce(block, axis=1)
    m = block[:, 0].copy()
    for j in range(1, c):
        np.maximum(m, block[:, j], out=m)
    return m


def _row_sum(block: np.ndarray) -> np.ndarray:
    """``[R]`` sum of each row of ``[R, C]``; einsum beats ``.sum(axis=1)`` several times over."""
    r, c = block.shape
    if c >= FEW_CLASSES_SUM or r < MANY_ROWS:
        return np.einsum("ij->i", block)
    s = block[:, 0].copy()
    for j in range(1, c):
        np.add(s, block[:, j], out=s)
    return s


def index_cross_entropy_rows(x, y, denominator=None):
    r"""Per-sample losses and, if ``denominator`` is given, their gradient: the logits are read once.

    With ``m`` the row max and :math:`s = \sum_c e^{z_c - m}`:

    .. math:: -\log p_y = \log s - (z_y - m), \qquad
              g_c = (e^{z_c - m} / s - [c = y]) / \mathrm{denominator}

    Rows go through in blocks of about ``BLOCK_BYTES``, so the passes over a block
    (finite check, max, subtract, exp, sum, scale) read cache rather than memory, and
    the gradient is the only full-size workspace.

    Args:
      x: ``[..., C]`` logits of a dtype in ``FAST_DTYPES``, classes last.
      y: ``[...]`` integer class indices, all in ``[0, C)`` (checked by the caller).
      denominator: what the gradient is divided by (the mean's count, or 1), or None
        for no gradient.

    Returns:
      ``(loss [N], grad [N, C] or None)`` in the working dtype, ``N`` the number of
      samples; or None if a block might hold NaN or ±inf (the general path then raises).
    """
    c = x.shape[-1]
    z = np.ascontiguousarray(x, dtype=work_dtype(x.dtype)).reshape(-1, c)
    n = z.shape[0]
    at_target = np.arange(0, n * c, c) + y.reshape(-1).astype(np.intp, copy=False)  # in z.ravel()
    z_y = np.take(z.reshape(-1), at_target)
    loss = np.empty(n, z.dtype)
    grad = None if denominator is None else np.empty_like(z)
    rows = max(1, BLOCK_BYTES // (c * z.itemsize))
    scratch = np.empty((min(rows, n), c), z.dtype) if grad is None else None
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        block = z[start:stop]
        if not math.isfinite(np.einsum("ij->", block)):  # a finite sum: no NaN or ±inf in the block
            return None  # (or a sum that overflowed: the general path sorts it out)
        m = _row_max(block)
        e = scratch[:stop - start] if grad is None else grad[start:stop]
        np.exp(np.subtract(block, m[:, None], out=e), out=e)  # z - m <= 0: exp cannot overflow
        s = _row_sum(e)  # >= 1: the max contributes e^0
        # log s - (z_y - m); never (log s + m) - z_y, which loses z_y near 1e38
        np.subtract(np.log(s), z_y[start:stop] - m, out=loss[start:stop])
        if grad is not None:
            np.multiply(e, (1 / (s * denominator))[:, None], out=e)
    if grad is not None:
        grad.reshape(-1)[at_target] -= 1 / denominator
    return loss, grad


def _tiny_cross_entropy(x, y, reduction, with_grad):
    """``(loss, grad or None)`` of a few logits, in Python floats: no numpy call to pay for.

    The formulas of :func:`index_cross_entropy_rows`, in the same order of operations.
    float16 and float32 logits are computed in float64 (Python's float) and rounded
    once at the end: as exact as their own dtype allows, and exact where PyTorch's
    float32 arithmetic rounds at every step.
    None if a logit is NaN or ±inf or a class index is out of range.
    """
    c = x.shape[-1]
    rows = x.tolist() if x.ndim == 2 else x.reshape(-1, c).tolist()
    denominator = len(rows) if reduction == "mean" else 1
    losses, grad = [], []
    for row, k in zip(rows, y.reshape(-1).tolist()):
        if not (0 <= k < c and math.isfinite(sum(row))):  # a finite sum: no NaN or ±inf
            return None
        m = max(row)
        s = 0.0
        for v in row:  # a plain loop: faster than sum() over a generator
            s += math.exp(v - m)
        losses.append(math.log(s) - (row[k] - m))
        if with_grad:
            scale = 1 / (s * denominator)
            g = [math.exp(v - m) * scale for v in row]
            g[k] -= 1 / denominator
            grad.append(g)
    dtype = x.dtype
    if reduction == "none":
        loss = as_loss_dtype(losses, dtype).reshape(y.shape)
    else:
        loss = as_loss_dtype(sum(losses) / denominator, dtype)
    return loss, np.array(grad, dtype).reshape(x.shape) if with_grad else None


def try_cross_entropy(x, target, weight, ignore_index, label_smoothing, axis, reduction, *,
                        with_grad=False):
    """``(loss, grad or None)`` as the general path gives them, or None if not the plain case.

    ``loss`` is reduced as asked; ``grad`` has the logits' shape. ``x`` is the validated
    logits array, ``reduction`` a checked name.
    """
    if not ENABLED:
        return None
    y = plain_index_target(x, target, weight, ignore_index, label_smoothing, axis)
    if y is None:
        return None
    if x.size <= TINY_SIZE and y.size <= TINY_ROWS:
        return _tiny_cross_entropy(x, y, reduction, with_grad)
    if not _classes_in_range(y, x.shape[-1]):
        return None
    n = y.size
    rows = index_cross_entropy_rows(x, y, (n if reduction == "mean" else 1) if with_grad else None)
    if rows is None:
        return None
    losses, grad = rows
    if reduction == "none":
        loss = as_loss_dtype(losses.reshape(y.shape), x.dtype)
    elif not np.isfinite(total := float(np.add.reduce(losses, dtype=np.float64))):
        return None  # an overflowing sum (of finite losses?): the general path handles it
    else:  # in float64, as the general path (a float32 sum of 3e38 and 3e38 overflows)
        loss = as_loss_dtype(total / n if reduction == "mean" else total, x.dtype)
    return loss, grad.reshape(x.shape).astype(x.dtype, copy=False) if with_grad else None
