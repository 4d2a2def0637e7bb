"""The stability page's numbers, each against an independent computation in the same dtype."""

import math
import warnings

import numpy as np
import pytest

from cevis.conventions import true_class_losses_by_convention
from cevis_app import charts as figures
from cevis_app.views import mistakes
from cevis_app.views import stability


def test_overflow_thresholds_are_log_of_the_largest_float():
    assert stability.exp_overflow_threshold("float16") == pytest.approx(math.log(65504.0))
    assert stability.exp_overflow_threshold("float32") == pytest.approx(math.log(3.4028234663852886e38))
    assert stability.exp_overflow_threshold("float64") == pytest.approx(709.782712893384)


@pytest.mark.parametrize("dtype, below, above", [("float16", 11.0, 11.2), ("float32", 88.0, 89.0),
                                                 ("float64", 709.0, 710.0)])
def test_naive_softmax_breaks_exactly_past_the_threshold(dtype, below, above):
    # the reference: numpy's own exp in that dtype
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(np.array(below, dtype)))
        assert np.isinf(np.exp(np.array(above, dtype)))
    ok = stability.naive_softmax([below, 0.0, -1.0], dtype)
    broken = stability.naive_softmax([above, 0.0, -1.0], dtype)
    assert ok.dtype == np.dtype(dtype) and np.isfinite(ok).all()
    assert np.isnan(broken[0])
    stable = stability.shifted_softmax([above, 0.0, -1.0], dtype)
    assert stable.dtype == np.dtype(dtype)
    e = np.exp(np.array([0.0, -above, -above - 1.0]))  # float64 reference of the same softmax
    np.testing.assert_allclose(stable.astype(float), e / e.sum(), atol=float(np.finfo(dtype).eps))


@pytest.mark.parametrize("dtype, finite_gap, underflow_gap", [
    ("float16", 15.0, 18.0), ("float32", 100.0, 105.0), ("float64", 740.0, 746.0)])
def test_log_of_softmax_underflows_but_log_softmax_stays_exact(dtype, finite_gap, underflow_gap):
    assert np.isfinite(stability.log_of_softmax([0.0, -finite_gap], dtype)[1])
    assert stability.log_of_softmax([0.0, -underflow_gap], dtype)[1] == -np.inf
    exact = -underflow_gap - math.log1p(math.exp(-underflow_gap))
    got = stability.stable_log_softmax([0.0, -underflow_gap], dtype)[1]
    assert float(got) == pytest.approx(exact, rel=float(np.finfo(dtype).eps) * 4)
    assert stability.two_step_cross_entropy([0.0, -underflow_gap], 1, dtype) == math.inf
    assert stability.fused_cross_entropy([0.0, -underflow_gap], 1, dtype) == \
        pytest.approx(-exact, rel=float(np.finfo(dtype).eps) * 4)


def test_float16_cannot_even_hold_a_large_logit():
    row = stability.compare_dtypes([1e5, 0.0])[0]
    assert row.dtype == "float16" and np.isinf(row.logits[0])


def test_naive_sweep_is_nan_past_the_threshold():
    x = np.array([5.0, 11.0, 12.0, 100.0])
    p = stability.naive_sweep(x, "float16")
    assert np.isfinite(p[:2]).all() and np.isnan(p[2:]).all()
    e = np.exp([5.0, 0.0, -1.0])
    assert p[0] == pytest.approx(e[0] / e.sum(), rel=1e-3)  # float16 precision


def test_no_numpy_warning_escapes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stability.compare_dtypes([1e5, 0.0, -1e5])
        stability.naive_sweep(stability.sweep_grid(), "float16")
        true_class_losses_by_convention(stability.probability_grid())
        true_class_losses_by_convention([0.0, 1.0])
        figures.make_overflow_figure([1.0, 100.0], {"float16": [0.5, np.nan]}, {"float16": 11.09})


def test_clamping_conventions_closed_forms():
    out = true_class_losses_by_convention([0.0, 1e-20, 0.5])
    np.testing.assert_allclose(out["plain"], [math.inf, 20 * math.log(10), math.log(2)])
    np.testing.assert_allclose(out["clamp"], [15 * math.log(10), 15 * math.log(10), math.log(2)])
    np.testing.assert_allclose(out["keras"], [7 * math.log(10)] * 2 + [math.log(2)], rtol=1e-6)
    np.testing.assert_allclose(out["torch"], [100.0, 20 * math.log(10), math.log(2)])


def ce(z, y):
    return math.log(sum(math.exp(v) for v in z)) - z[y]


def test_mistakes_against_closed_forms():
    z = [4.0, 1.0, -2.0]
    p = [math.exp(v - math.log(sum(math.exp(u) for u in z))) for v in z]
    m = mistakes.softmax_twice(z, 0)
    assert m.right == pytest.approx(ce(z, 0))
    assert m.wrong == pytest.approx(ce(p, 0))
    m = mistakes.probabilities_as_logits(0.9, 1)
    assert (m.wrong, m.right) == (pytest.approx(math.log1p(math.exp(-0.9))),
                                  pytest.approx(-math.log(0.9)))
    m = mistakes.missing_minus(z, 1)
    assert m.wrong == pytest.approx(-ce(z, 1)) and m.right == pytest.approx(ce(z, 1))
    m = mistakes.labels_off_by_one(z, 0)
    assert m.wrong == pytest.approx(ce(z, 1))
    m = mistakes.labels_off_by_one(z, 2)
    assert math.isnan(m.wrong) and "Target 3 is out of bounds" in m.why
    m = mistakes.mean_versus_sum(z, 0, 64)
    assert m.wrong / m.right == pytest.approx(64)


def test_softmax_twice_shrinks_the_gradient():
    m = mistakes.softmax_twice([4.0, 1.0, -2.0], 0)
    ratio = float(m.why.split("is ")[1].split("×")[0])
    assert 0 < ratio < 1


def test_entropy_terms_of_the_seed():
    assert stability.entropy_term(0.2) == pytest.approx(0.3218875824868201)
    assert stability.entropy_term(0.8) == pytest.approx(0.17851484105136778)
    assert stability.binary_entropy(0.2) == pytest.approx(stability.binary_entropy(0.8))
    assert stability.entropy_term(0.0) == 0.0


def test_stability_figures():
    x = np.geomspace(1, 700, 50)  # up to just below float64's threshold
    fig = figures.make_overflow_figure(x, {d: stability.naive_sweep(x, d) for d in stability.DTYPES},
                                       {d: stability.exp_overflow_threshold(d) for d in stability.DTYPES},
                                       current=100)
    assert [t.name for t in fig.data] == ["naive, float16", "naive, float32", "naive, float64"]
    assert np.isnan(fig.data[0].y[-1]) and np.isfinite(fig.data[2].y).all()
    assert len(fig.layout.shapes) == 3  # float16's and float32's thresholds, the current logit
    grid = stability.probability_grid()
    clamp = figures.make_clamp_figure(grid, true_class_losses_by_convention(grid), {})
    assert max(clamp.data[1].y) == pytest.approx(15 * math.log(10))  # the 1e-15 plateau
    entropy = figures.make_entropy_term_figure((0.2, 0.8))
    np.testing.assert_allclose(entropy.data[1].y, [0.3218875824868201, 0.17851484105136778])


def test_mistake_code_is_valid_pytorch_by_its_form():
    # torch wants float logits and [batch, class] indexing: no integer tensors, no [y] alone
    m = mistakes.missing_minus([4.0, 1.0, -2.0], 2)
    assert "[4.0, 1.0, -2.0]" in m.wrong_code and "[0, 2]" in m.wrong_code
    assert "torch.tensor([0.9])" in mistakes.probabilities_as_logits(0.9, 1).right_code
