"""Three disagreements with PyTorch found by hypothesis (issue 25, item 5), each fixed.

1. A float16 row of probabilities is checked with float16's precision (the input's), not
   float32's (the dtype it is computed in): float16 ``[0.1, 0.2, 0.7]`` sums to 1.00012.
2. A mean over zero total weight (every kept target's class weight is 0) is nan, and so is
   the gradient of every kept row, as in PyTorch, with or without label smoothing.
   PyTorch (``torch/nn/functional.py`` and ``LossNLL.cpp``): the mean is
   ``sum(w_y * nll) / sum(w_y)`` = 0/0, the backward multiplies by ``1 / total_weight``;
   with smoothing the loss adds ``(1 - eps) * (0/0)``. Ignored rows get 0.
3. A Python int past float64's range (``10**400``) as a scalar argument is an InputError
   naming the argument, not an OverflowError from ``float()``.

Expected values are closed forms computed here with ``math``, never with cevis.
"""

import math

import numpy as np
import pytest

import cevis

HUGE = 10 ** 400  # a Python int no float64 holds


# ------------------------------------------------------------------ 1. the input's precision
def test_float16_probability_targets_are_checked_at_float16_precision():
    t = np.array([0.1, 0.2, 0.7], np.float16)
    assert float(t.astype(np.float64).sum()) == 1.0001220703125  # float16 rounding, not a mistake
    got = cevis.cross_entropy(np.zeros(3, np.float32), t)
    # uniform p = 1/3: loss = sum_c t_c log 3
    assert float(got) == pytest.approx(math.log(3) * 1.0001220703125, rel=1e-6)
    got = cevis.cross_entropy_from_probs(t, 2)
    assert float(got) == pytest.approx(-math.log(float(t[2])), rel=1e-3)


def test_float16_rows_far_from_one_are_still_refused():
    t = np.array([0.1, 0.2, 0.8], np.float16)  # sums to 1.1: no rounding explains that
    with pytest.raises(cevis.InputError, match=r"^cross_entropy: target sums to 1\.0997"):
        cevis.cross_entropy(np.zeros(3, np.float32), t)


def test_float32_rows_keep_float32s_tolerance():
    t = np.array([0.1, 0.2, 0.7001], np.float32)  # 1e-4 off: float32 rounding is ~1e-7
    with pytest.raises(cevis.InputError, match="sums to"):
        cevis.cross_entropy(np.zeros(3, np.float32), t)


# ------------------------------------------------------------------ 2. mean over zero weight
Z = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [1.0, 1.0, 1.0]])
W = [1.0, 0.0, 1.0]  # class 1 weighs nothing
Y = np.array([1, 1, -100])  # two kept rows of class 1, one ignored


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 1.0])
def test_a_mean_over_zero_total_weight_is_nan_with_a_nan_gradient(smoothing):
    loss, grad = cevis.cross_entropy_and_grad(Z, Y, weight=W, label_smoothing=smoothing)
    assert np.isnan(loss)
    assert np.isnan(grad[:2]).all()  # the kept rows: w_y / 0
    assert (grad[2] == 0).all()  # the ignored row
    assert np.isnan(cevis.cross_entropy(Z, Y, weight=W, label_smoothing=smoothing))
    np.testing.assert_array_equal(
        cevis.cross_entropy_grad(Z, Y, weight=W, label_smoothing=smoothing), grad)


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_the_sum_over_zero_weight_stays_finite(smoothing):
    # sum: no division. Without smoothing every term is 0; with it, eps/C * sum_c w_c (-log p_c)
    got = float(cevis.cross_entropy(Z, Y, weight=W, label_smoothing=smoothing, reduction="sum"))
    expected = 0.0
    for row in Z[:2]:
        lse = math.log(sum(math.exp(v) for v in row))
        expected += smoothing / 3 * sum(w * (lse - v) for w, v in zip(W, row))
    assert got == pytest.approx(expected, rel=1e-12, abs=0)


def test_every_row_ignored_keeps_a_zero_gradient():
    loss, grad = cevis.cross_entropy_and_grad(Z, [-100, -100, -100], weight=W, label_smoothing=0.1)
    assert np.isnan(loss) and (grad == 0).all()  # PyTorch: nothing flows into ignored rows


# ------------------------------------------------------------------ 3. ints past float64
@pytest.mark.parametrize("call,pattern", [
    (lambda: cevis.softmax([1.0, 2.0], temperature=HUGE),
     r"^softmax: temperature is an integer of 401 digits; expected a finite number in \(0, inf\)"),
    (lambda: cevis.log_softmax([1.0, 2.0], temperature=-HUGE),
     r"^log_softmax: temperature is an integer of 401 digits"),
    (lambda: cevis.softmax_jacobian([1.0, 2.0], temperature=HUGE),
     r"^softmax_jacobian: temperature is an integer of 401 digits"),
    (lambda: cevis.numerical_grad(lambda v: v.sum(), [1.0], h=HUGE),
     r"^numerical_grad: h is an integer of 401 digits"),
    (lambda: cevis.numerical_grad(lambda v: HUGE, [1.0]),
     r"^numerical_grad: f returned an integer of 401 digits; expected a finite number"),
    (lambda: cevis.cross_entropy([1.0, 2.0], 0, label_smoothing=HUGE),
     r"^cross_entropy: label_smoothing is an integer of 401 digits"),
])
def test_python_ints_past_float64_are_input_errors(call, pattern):
    with pytest.raises(cevis.InputError, match=pattern):
        call()


def test_a_huge_ignore_index_ignores_no_float_target():
    # no float64 equals 10**400: nothing is ignored, the mean is over both rows
    got = float(cevis.cross_entropy([[0.0, 0.0], [0.0, 0.0]], np.array([0.0, 1.0]),
                                    ignore_index=HUGE))
    assert got == pytest.approx(math.log(2), rel=1e-15)
