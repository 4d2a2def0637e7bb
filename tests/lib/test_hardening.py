"""Issue #13 ("The library"): finite input never gives a silent NaN, and every error is an
InputError that starts with the function's name and names the argument.

Expected values are closed forms (``math``) or limits stated in the test; a value past
the dtype's range is ``±inf``, the correctly rounded answer.
"""

import math
import warnings

import numpy as np
import pytest

import cevis
from cevis import grads
from cevis import losses

FLOAT32_EPS = float(np.finfo(np.float32).eps)  # 2**-23: one ulp of a float32 in [1, 2)


@pytest.fixture(autouse=True)
def _no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ------------------------------------------------------------------ temperatures
@pytest.mark.parametrize("logits,temperature,expected", [
    ([1e308, 0.0], 0.5, [1.0, 0.0]),  # 1e308 / 0.5 overflows; (1e308 - 1e308) / 0.5 is 0
    ([1.0, 0.0], 1e-320, [1.0, 0.0]),  # a subnormal temperature: the arg-max limit
    (np.float32([1, 0]), 1e-50, [1.0, 0.0]),  # float32 rounds 1e-50 to 0
    (np.float16([2, 1, 2]), 1e-30, [0.5, 0.0, 0.5]),  # ties share the mass
    (np.float32([1, 2]), 1e300, [0.5, 0.5]),  # float32 rounds 1e300 to inf
])
def test_extreme_temperatures_give_the_limit_not_nan(logits, temperature, expected):
    p = cevis.softmax(logits, temperature=temperature)
    assert p.dtype == np.asarray(logits).dtype
    np.testing.assert_allclose(p, expected, atol=1e-7)


def test_log_softmax_at_a_tiny_temperature_is_the_exact_gap_or_minus_inf():
    # (z - max) / T: -1 / 1e-30 = -1e30 fits float32; -1 / 1e-320 is past float64's range
    np.testing.assert_array_equal(cevis.log_softmax(np.float32([1, 0]), temperature=1e-30),
                                  np.float32([0, -1e30]))
    np.testing.assert_array_equal(cevis.log_softmax([1.0, 0.0], temperature=1e-320), [0, -np.inf])


@pytest.mark.parametrize("temperature", [0.3, 7.0])
def test_temperature_matches_the_closed_form(temperature):
    z = [3.0, -1.0, 0.5]
    e = [math.exp(v / temperature) for v in z]
    np.testing.assert_allclose(cevis.softmax(z, temperature=temperature),
                               [v / sum(e) for v in e], rtol=1e-14)


def test_softmax_jacobian_at_a_tiny_temperature_as_torch():
    # torch: 0 (p is one-hot, so every p_i (delta_ij - p_j) is 0); was NaN (0 / float16(1e-8))
    jac = cevis.softmax_jacobian(np.float16([8.26, 13.27, -9.61]), temperature=1e-8)
    assert jac.dtype == np.float16
    np.testing.assert_array_equal(jac, np.zeros((3, 3)))
    # a tie: 0.25 / 1e-6 = 250000 is past float16's 65504, so +-inf, never nan
    jac = cevis.softmax_jacobian(np.float16([0, 0]), temperature=1e-6)
    np.testing.assert_array_equal(jac, [[np.inf, -np.inf], [-np.inf, np.inf]])
    jac = cevis.softmax_jacobian([0.0, 0.0], temperature=1e-6)
    np.testing.assert_allclose(jac, [[250000, -250000], [-250000, 250000]], rtol=1e-15)


# ------------------------------------------------------------------ weights past the dtype
def test_class_weight_past_float32_is_a_number():
    # was nan: the weight became float32 inf. Mean of one sample = its -log p_0 = log(1 + e)
    z = np.float32([[1.0, 2.0]])
    loss = cevis.cross_entropy(z, [0], weight=[1e308, 1.0])
    assert loss.dtype == np.float32  # (to 2 ulps: see test_pos_weight_past_float32_is_a_number)
    np.testing.assert_allclose(loss, math.log(1 + math.e), rtol=2 * FLOAT32_EPS, atol=0)
    g = cevis.cross_entropy_grad(z, [0], weight=[1e308, 1.0])
    p1 = 1 / (1 + math.exp(-1))
    np.testing.assert_allclose(g, [[-p1, p1]], rtol=1e-6)
    # the sum is 1e308 * 1.31, past float32 (and float64): inf, without a warning
    assert np.isposinf(cevis.cross_entropy(z, [0], weight=[1e308, 1.0], reduction="sum"))


def test_huge_equal_weights_leave_the_mean_unchanged():
    z = [[1.0, 2.0, 0.0], [0.0, 0.0, 3.0]]
    y = [0, 2]
    plain = cevis.cross_entropy(z, y)
    for w in ([1e308] * 3, [1.7e308] * 3):
        assert cevis.cross_entropy(z, y, weight=w) == pytest.approx(float(plain), rel=1e-15)
        np.testing.assert_allclose(cevis.cross_entropy_grad(z, y, weight=w, label_smoothing=0.2),
                                   cevis.cross_entropy_grad(z, y, label_smoothing=0.2), rtol=1e-14)


def test_pos_weight_past_float32_is_a_number():
    # was nan: pos_weight became float32 inf, and 1 + (inf - 1) * 0 is nan. With t = 0 the
    # positive term is absent: loss = z + log(1 + e^-z) = log(1 + e^z)
    # (to 2 float32 ulps: numpy picks its float32 log1p and exp by the CPU's SIMD, and they
    # differ by one ulp: 1.3132617 on a host without AVX-512, where earlier hosts gave the
    # correctly rounded 1.3132616)
    z = np.float32([1.0])
    loss = cevis.binary_cross_entropy_with_logits(z, [0.0], pos_weight=[1e300])
    assert loss.dtype == np.float32
    np.testing.assert_allclose(loss, math.log(1 + math.e), rtol=2 * FLOAT32_EPS, atol=0)
    g = cevis.binary_cross_entropy_with_logits_grad(z, [0.0], pos_weight=[1e300])
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, [1 / (1 + math.exp(-1))], rtol=2 * FLOAT32_EPS, atol=0)


def test_a_zero_weight_zeroes_an_overflowed_term():
    # -log p_1 = 2e308 is past float64: inf. Weight 0 (or target 0) must give 0, not 0 * inf
    z = [[1e308, -1e308]]
    assert float(cevis.cross_entropy(z, [[1.0, 0.0]])) == 0.0
    assert float(cevis.cross_entropy(z, [1], weight=[1.0, 0.0], reduction="sum")) == 0.0
    assert np.isposinf(cevis.cross_entropy(z, [1], label_smoothing=1.0))
    # binary: 10 * softplus(1e308) is past float64; weight 0 keeps that element at 0
    out = cevis.binary_cross_entropy_with_logits([-1e308, 0.0], [1.0, 1.0], pos_weight=10.0,
                                                 weight=[0.0, 1.0], reduction="none")
    np.testing.assert_allclose(out, [0.0, 10 * math.log(2)], rtol=1e-15)


# ------------------------------------------------------------------ errors name the right thing
@pytest.mark.parametrize("call,pattern", [
    (lambda: cevis.cross_entropy([[1.0, 2.0], [3.0, 4.0]], [[0], [1, 2]]),
     r"^cross_entropy: target could not be read as an array"),
    (lambda: cevis.cross_entropy_grad([[1.0, 2.0]], [0], reduction=np.array(["mean", "sum"])),
     r"^cross_entropy_grad: reduction is array\(\['mean', 'sum'\]"),
    (lambda: cevis.numerical_grad(lambda v: None, [1.0]),
     r"^numerical_grad: f returned None; expected a real scalar"),
    (lambda: cevis.numerical_grad(lambda v: float("nan"), [1.0]),
     r"^numerical_grad: f returned nan; expected a finite number"),
    (lambda: cevis.numerical_grad(lambda v: v.sum(), [1.7e308], h=1e307),
     r"^numerical_grad: x ± h overflows"),
    (lambda: cevis.softmax_jacobian([[1.0, 2.0]], axis=3),
     r"^softmax_jacobian: axis is 3 but logits has 2 dimension"),
    (lambda: cevis.softmax_jacobian([1.0, 2.0], temperature=0),
     r"^softmax_jacobian: temperature is 0"),
    (lambda: cevis.entropy(0.5), r"^entropy: probs is a scalar"),
    (lambda: cevis.kl_divergence(0.5, 0.5), r"^kl_divergence: target is a scalar"),
    (lambda: cevis.kl_divergence([0.5, 0.5], 1.0), r"^kl_divergence: probs is a scalar"),
    (lambda: cevis.cross_entropy_from_probs([0.5, 0.5], 0, axis=1),
     r"^cross_entropy_from_probs: axis is 1 but probs has 1 dimension"),
    (lambda: cevis.cross_entropy([[1.0, 2.0]], [1e300]),
     r"^cross_entropy: target has class index 1e\+300 at index \(0,\)"),
    (lambda: grads.mse_on_probabilities_grad([[1.0, 2.0]], [5]),
     r"^mse_on_probabilities_grad: target_index has class index 5"),
    (lambda: losses.mse_on_probabilities([[1.0, 2.0]], [[0]]),
     r"^mse_on_probabilities: target_index has shape \(1, 1\); expected \(1,\)"),
    (lambda: cevis.binary_cross_entropy([0.5], [1.0], weight=[-1.0]),
     r"^binary_cross_entropy: weight has a negative value"),
])
def test_error_names_the_function_and_the_argument(call, pattern):
    with pytest.raises(cevis.InputError, match=pattern):
        call()


def test_unsigned_targets_with_the_default_ignore_index():
    # numpy cannot compare uint64 with -100; no uint64 can equal it, so nothing is ignored
    y = np.array([1, 0], np.uint64)
    z = [[0.0, 0.0], [0.0, 0.0]]
    assert float(cevis.cross_entropy(z, y)) == pytest.approx(math.log(2), rel=1e-15)


# ------------------------------------------------------------------ sums past the dtype
def test_a_mean_whose_float32_sum_overflows_is_still_the_mean():
    # two losses of 2e38: their float32 sum (4e38) overflows, their mean does not
    z = np.float32([[0.0, -2e38], [0.0, -2e38]])
    for kwargs in ({}, {"weight": [1.0, 1.0]}):  # the fast path and the general path
        assert cevis.cross_entropy(z, [1, 1], **kwargs) == np.float32(2e38)
        assert np.isposinf(cevis.cross_entropy(z, [1, 1], reduction="sum", **kwargs))
    x = np.float32([-3e38, 3e38])  # -log sigmoid(-3e38) = 3e38; t = 0 at 3e38 costs 3e38
    assert cevis.binary_cross_entropy_with_logits(x, [1.0, 0.0]) == np.float32(3e38)
    # float64: 1.5e308 twice overflows float64 itself; the mean is taken term by term
    assert cevis.binary_cross_entropy_with_logits([-1.5e308] * 2, [1.0, 1.0]) == 1.5e308
