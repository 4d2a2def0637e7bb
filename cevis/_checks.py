"""Input checks shared by every public function.

Each check raises :class:`InputError` with a message of the form
``"<function>: <argument> <what was received>; expected <what is allowed>"``,
so the app can show the message as it is and a notebook user can fix the call.
"""

from __future__ import annotations

import math
import numbers
import typing

import numpy as np
from numpy.typing import ArrayLike

REDUCTIONS = ("none", "sum", "mean")  # the same three names as torch.nn.functional
PROB_SUM_ULPS = 16  # rows of probabilities may miss 1 by this many machine epsilons per class


class InputError(ValueError):
    """A bad argument: the message names the function, the argument, what it got and what it expects.

    A ``ValueError``, so ``except ValueError`` catches it too.

    >>> import cevis
    >>> try:
    ...     cevis.softmax([1.0, 2.0], temperature=0)
    ... except cevis.InputError as err:
    ...     print(err)
    softmax: temperature is 0; expected a finite number in (0, inf)
    """


def show(value) -> str:
    """A number as a person reads it: ``1.5``, ``nan``, ``-inf`` (not ``np.float64(1.5)``)."""
    return repr(float(value))


def as_array(x, name: str, fn: str) -> np.ndarray:
    """``np.asarray(x)``, with ragged lists and unreadable objects refused by name."""
    try:
        return np.asarray(x)
    except (ValueError, TypeError, OverflowError) as err:  # ragged lists and the like
        raise InputError(f"{fn}: {name} could not be read as an array ({err}); "
                         "expected numbers of one rectangular shape") from None


def as_float_array(x: ArrayLike, name: str, fn: str) -> np.ndarray:
    """Return ``x`` as a floating array; floats keep their dtype, the rest become float64."""
    arr = as_array(x, name, fn)
    if arr.dtype.kind == "f":
        return arr
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    raise InputError(f"{fn}: {name} has dtype {arr.dtype}; expected real numbers")


def work_dtype(dtype: np.dtype) -> np.dtype:
    """float16 is computed in float32 (as PyTorch's CPU kernels accumulate) and cast back."""
    return np.dtype(np.float32) if dtype == np.float16 else dtype


def check_no_nan(arr: np.ndarray, name: str, fn: str) -> None:
    if np.isnan(arr).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(arr))[0])
        raise InputError(f"{fn}: {name} contains NaN (first at index {where}); expected numbers")


def check_finite(arr: np.ndarray, name: str, fn: str) -> None:
    """NaN and ±inf are refused: every formula here needs real numbers."""
    if not np.isfinite(arr).all():
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise InputError(f"{fn}: {name} has {show(arr[where])} at index {where}; "
                         "expected finite numbers")


def check_in_unit_interval(arr: np.ndarray, name: str, fn: str) -> None:
    check_no_nan(arr, name, fn)
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InputError(f"{fn}: {name} has {show(arr[where])} at index {where}; "
                         "expected probabilities in [0, 1]")


def check_sums_to_one(arr: np.ndarray, axis: int, name: str, fn: str) -> None:
    """Rows along ``axis`` must sum to 1 (to within rounding of the row's dtype).

    The tolerance follows the input's own precision, not the dtype it is computed in:
    float16 ``[0.1, 0.2, 0.7]`` sums to 1.00012, which is float16's rounding, not an error.
    """
    if arr.size == 0:
        return
    c = arr.shape[axis]
    tol = PROB_SUM_ULPS * np.finfo(arr.dtype).eps * max(c, 1)
    sums = arr.sum(axis=axis, dtype=np.float64)
    bad = np.abs(sums - 1.0) > tol
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InputError(f"{fn}: {name} sums to {float(sums[where]):.6g} along axis {axis} "
                         f"at index {where}; expected each row of probabilities to sum to 1")


def is_int(value: object) -> bool:
    """An integer (Python or numpy) and not a bool: ``True`` is 1 to Python, never a count or index.

    >>> is_int(3), is_int(np.int64(3)), is_int(True), is_int(3.0)
    (True, True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_axis(axis, ndim: int, fn: str, name: str = "logits", *, scalar_ok: bool = False) -> int:
    """Return ``axis`` as a non-negative int, or raise if it is not an axis of ``name``.

    With ``scalar_ok`` a 0-d input has the one axis 0 (or -1), as PyTorch wraps dims of scalars.
    """
    if not is_int(axis):
        raise InputError(f"{fn}: axis is {axis!r}; expected an integer")
    if ndim == 0 and not scalar_ok:
        raise InputError(f"{fn}: {name} is a scalar (shape ()); expected at least one axis of classes")
    span = max(ndim, 1)
    if not -span <= axis < span:
        raise InputError(f"{fn}: axis is {axis} but {name} has {ndim} dimension(s); "
                         f"expected an axis in [{-span}, {span - 1}]")
    return int(axis) % span


def check_axes(axis, ndim: int, fn: str, name: str = "logits") -> tuple:
    """An axis, a tuple of distinct axes or None (all axes), as a sorted tuple of axes."""
    if axis is None:
        return tuple(range(ndim))
    if not isinstance(axis, tuple):
        return (check_axis(axis, ndim, fn, name, scalar_ok=True),)
    axes = tuple(check_axis(a, ndim, fn, name, scalar_ok=True) for a in axis)
    if len(set(axes)) != len(axes):
        raise InputError(f"{fn}: axis is {axis!r}, which repeats an axis; expected distinct axes")
    return tuple(sorted(axes))


def check_has_classes(shape: tuple, ax: int, name: str, fn: str) -> None:
    """Refuse zero classes when there are samples (an empty batch of no classes is fine)."""
    if shape[ax] == 0 and math.prod(shape[:ax] + shape[ax + 1:]) > 0:
        raise InputError(f"{fn}: {name} has shape {shape} with no classes along axis {ax}; "
                         "expected at least one class")


def check_reduction(reduction, fn: str) -> str:
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise InputError(f"{fn}: reduction is {reduction!r}; expected one of "
                         + ", ".join(repr(r) for r in REDUCTIONS))
    return reduction


def class_indices(t, num_classes, ignore_index, fn, name="target"):
    """Validated integer class indices ``[...]`` (ignored ones set to 0) and the kept mask.

    ``t`` is the target as an array (named ``name``); ``ignore_index=None`` ignores nothing.
    """
    if t.dtype.kind == "f":
        check_finite(t, name, fn)
        if (t != np.round(t)).any():
            where = tuple(int(i) for i in np.argwhere(t != np.round(t))[0])
            raise InputError(f"{fn}: {name} has {float(t[where])!r} at index {where}; expected "
                             "whole class indices (or probabilities with the logits' shape)")
    elif t.dtype.kind not in "iu":
        raise InputError(f"{fn}: {name} has dtype {t.dtype}; expected integer class indices "
                         "or floating probabilities")
    valid = np.ones(t.shape, bool)
    if ignore_index is not None and (t.dtype.kind == "f" or _holds(t.dtype, ignore_index)):
        try:
            valid = t != ignore_index  # (an integer dtype that cannot hold it has none to ignore)
        except OverflowError:  # an int past float64's range: no float target equals it
            pass
    bad = valid & ((t < 0) | (t >= num_classes))
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        also = "" if ignore_index is None else f" or ignore_index ({ignore_index})"
        v = t[where]
        shown = int(v) if t.dtype.kind in "iu" or abs(v) < 1e15 else f"{float(v):.6g}"
        raise InputError(f"{fn}: {name} has class index {shown} at index {where}; "
                         f"expected 0 <= index < {num_classes} (C = {num_classes}){also}")
    return np.where(valid, t, 0).astype(np.int64), valid  # in range now: the cast is exact


def _holds(dtype, value: int) -> bool:
    info = np.iinfo(dtype)
    return info.min <= value <= info.max


def check_real(value: object, name: str, fn: str, *, low: float | None = None,
               high: float | None = None, low_open: bool = False, high_open: bool = False) -> float:
    """A real scalar inside an interval (bounds closed unless ``*_open``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{fn}: {name} is {value!r}; expected a real number")
    try:
        v = float(value)
    except OverflowError:  # a Python int past float64's range, e.g. 10**400
        v = math.inf if typing.cast(int, value) > 0 else -math.inf  # only an int overflows
    shown = repr(value) if math.isfinite(v) or not is_int(value) else \
        f"an integer of {len(str(abs(value)))} digits"
    lo_ok = low is None or (v > low if low_open else v >= low)
    hi_ok = high is None or (v < high if high_open else v <= high)
    if not (np.isfinite(v) and lo_ok and hi_ok):
        lo = "(-inf" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}" + (")" if high_open else "]")
        raise InputError(f"{fn}: {name} is {shown}; expected a finite number in {lo}, {hi}")
    return v


def check_temperature(temperature: object, fn: str) -> float:
    return check_real(temperature, "temperature", fn, low=0.0, low_open=True)


def broadcastable(arr: np.ndarray, shape: tuple, name: str, fn: str, expected: str) -> np.ndarray:
    try:
        return np.broadcast_to(arr, shape)
    except ValueError:
        raise InputError(f"{fn}: {name} has shape {arr.shape}; expected {expected}") from None
