"""Extreme logits stay finite and exact; dtypes are kept."""

import math
import warnings

import numpy as np
import pytest

import cevis

EXTREMES = [(np.float32, 1e4), (np.float64, 1e4), (np.float64, 1e30), (np.float32, 1e30)]


@pytest.mark.parametrize("dtype, big", EXTREMES)
def test_cross_entropy_confidently_wrong_costs_the_gap(dtype, big):
    z = np.array([[big, -big]], dtype=dtype)
    # p_1 = 1 / (1 + e^{2 big}), so -log p_1 = 2 big + log(1 + e^{-2 big}) = 2 big in floats
    assert float(cevis.cross_entropy(z, [1])) == pytest.approx(2 * big, rel=1e-6)
    assert float(cevis.cross_entropy(z, [0])) == 0.0
    g = cevis.cross_entropy_grad(z, [1])
    np.testing.assert_array_equal(g, [[1.0, -1.0]])
    assert g.dtype == dtype


@pytest.mark.parametrize("dtype, big", EXTREMES)
def test_every_function_is_finite_at_extremes(dtype, big):
    z = np.array([[big, 0.0, -big], [-big, -big, -big]], dtype=dtype)
    y = [2, 1]
    for reduction in ("none", "sum", "mean"):
        assert np.isfinite(cevis.cross_entropy(z, y, reduction=reduction)).all()
        assert np.isfinite(cevis.cross_entropy_grad(z, y, reduction=reduction)).all()
    assert np.isfinite(cevis.cross_entropy(z, y, label_smoothing=0.1)).all()
    assert np.isfinite(cevis.cross_entropy_grad(z, y, label_smoothing=0.1, weight=[1, 2, 3])).all()
    assert np.isfinite(cevis.log_softmax(z)).all()
    np.testing.assert_allclose(cevis.softmax(z)[0], [1, 0, 0])
    np.testing.assert_allclose(cevis.softmax(z)[1], [1 / 3] * 3, rtol=1e-6)
    assert np.isfinite(cevis.logsumexp(z)).all()
    flat = z.ravel()
    t = np.tile([0.0, 1.0, 0.5], 2).astype(dtype)
    assert np.isfinite(cevis.binary_cross_entropy_with_logits(flat, t, pos_weight=3.0)).all()
    assert np.isfinite(cevis.binary_cross_entropy_with_logits_grad(flat, t)).all()
    assert np.isfinite(cevis.log_sigmoid(flat)).all()
    np.testing.assert_array_equal(cevis.sigmoid(np.array([-big, big], dtype)), [0, 1])


def test_log_softmax_exact_where_naive_fails():
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        naive = np.log(np.exp([1000.0, 1.0]) / np.exp([1000.0, 1.0]).sum())
    assert not np.isfinite(naive).all()
    np.testing.assert_array_equal(cevis.log_softmax([1000.0, 1.0]), [0.0, -999.0])


def test_bce_with_logits_extremes_are_exact():
    got = cevis.binary_cross_entropy_with_logits([1e4, -1e4, 1e4, -1e4], [0, 1, 1, 0],
                                                 reduction="none")
    np.testing.assert_array_equal(got, [1e4, 1e4, 0, 0])
    g = cevis.binary_cross_entropy_with_logits_grad([1e4, -1e4], [0, 1], reduction="sum")
    np.testing.assert_array_equal(g, [1.0, -1.0])


def test_bce_clamps_log_at_minus_100_like_pytorch():
    got = cevis.binary_cross_entropy([0.0, 1.0, 0.0, 1.0], [1, 0, 0, 1], reduction="none")
    np.testing.assert_array_equal(got, [100.0, 100.0, 0.0, 0.0])


def test_from_probs_zero_probability_is_inf_unless_clipped():
    assert float(cevis.cross_entropy_from_probs([0.0, 1.0], 0)) == np.inf
    assert float(cevis.cross_entropy_from_probs([0.0, 1.0], 0, eps=1e-7)) == \
        pytest.approx(-np.log(1e-7))
    assert float(cevis.cross_entropy_from_probs([0.0, 1.0], 1)) == 0.0  # 0 log 0 = 0


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_dtype_in_dtype_out(dtype):
    z = np.array([[1.0, 2.0, 0.5]], dtype=dtype)
    y = np.array([1])
    for out in (cevis.softmax(z), cevis.log_softmax(z), cevis.logsumexp(z), cevis.sigmoid(z),
                cevis.log_sigmoid(z), cevis.cross_entropy(z, y), cevis.cross_entropy_grad(z, y),
                cevis.cross_entropy(z, y, reduction="none"), cevis.softmax_jacobian(z),
                cevis.binary_cross_entropy_with_logits(z, np.ones_like(z)),
                cevis.binary_cross_entropy_with_logits_grad(z, np.ones_like(z))):
        assert out.dtype == dtype
    assert isinstance(cevis.cross_entropy(z, y), np.ndarray)
    assert cevis.cross_entropy(z, y).shape == ()


def test_lists_and_ints_become_float64():
    assert cevis.cross_entropy([[1, 2]], [0]).dtype == np.float64
    assert cevis.softmax([1, 2]).dtype == np.float64


def test_class_axis_other_than_last():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(2, 4, 3))  # [N, C, d]: PyTorch's layout for per-position targets
    y = rng.integers(0, 4, size=(2, 3))
    moved = np.moveaxis(z, 1, -1)
    np.testing.assert_allclose(cevis.cross_entropy(z, y, axis=1, reduction="none"),
                               cevis.cross_entropy(moved, y, reduction="none"), rtol=1e-15)
    np.testing.assert_allclose(np.moveaxis(cevis.cross_entropy_grad(z, y, axis=1), 1, -1),
                               cevis.cross_entropy_grad(moved, y), rtol=1e-15)


def test_ignore_index_and_weighted_mean_by_hand():
    z = np.log([[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.25, 0.5]])
    w = [1.0, 2.0, 4.0]
    # rows 0 and 1 count: losses w_y * -log p_y = 1*ln2 and 2*ln2; the mean divides by 1 + 2
    got = cevis.cross_entropy(z, [0, 1, -1], weight=w, ignore_index=-1)
    assert float(got) == pytest.approx(3 * np.log(2) / 3)
    g = cevis.cross_entropy_grad(z, [0, 1, -1], weight=w, ignore_index=-1)
    np.testing.assert_array_equal(g[2], 0.0)
    per = cevis.cross_entropy(z, [0, 1, -1], weight=w, ignore_index=-1, reduction="none")
    np.testing.assert_allclose(per, [np.log(2), 2 * np.log(2), 0.0])


def test_all_ignored_mean_is_nan_like_pytorch():
    got = cevis.cross_entropy([[1.0, 2.0]], [-100])
    assert np.isnan(got)
    assert float(cevis.cross_entropy([[1.0, 2.0]], [-100], reduction="sum")) == 0.0


def test_nan_in_a_late_block_of_a_large_input_is_still_refused():
    # large inputs go through in blocks on a fast path: a NaN in the last block must still
    # raise the same error as a small input would
    x = np.zeros((300_000, 10))
    x[-1, -1] = np.nan
    y = np.zeros(300_000, dtype=np.int64)
    for call in (cevis.cross_entropy, cevis.cross_entropy_grad):
        with pytest.raises(cevis.InputError, match=r"logits has nan at index \(299999, 9\)"):
            call(x, y)


@pytest.mark.parametrize("shape", [(300_000, 10), (3_000, 1_000), (1, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fast_path_agrees_with_the_textbook_formula_across_blocks(shape, dtype):
    rng = np.random.default_rng(7)
    x = (rng.normal(size=shape) * 5).astype(dtype)
    y = rng.integers(0, shape[1], size=shape[0])
    ref = x.astype(np.float64)
    lse = np.log(np.exp(ref - ref.max(axis=1, keepdims=True)).sum(axis=1)) + ref.max(axis=1)
    per_row = lse - ref[np.arange(shape[0]), y]
    tol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(cevis.cross_entropy(x, y, reduction="none"), per_row, rtol=tol,
                               atol=tol)
    loss, grad = cevis.cross_entropy_and_grad(x, y, reduction="sum")
    p = np.exp(ref - lse[:, None])
    p[np.arange(shape[0]), y] -= 1
    np.testing.assert_allclose(grad, p, rtol=tol, atol=tol)
    assert float(loss) == pytest.approx(per_row.sum(), rel=tol)
    np.testing.assert_array_equal(grad, cevis.cross_entropy_grad(x, y, reduction="sum"))


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_a_few_low_precision_logits_are_rounded_once(dtype):
    # one sample of few classes is computed in float64 and rounded at the end: the loss is
    # the float64 closed form rounded to the dtype, bit for bit
    rng = np.random.default_rng(3)
    for _ in range(50):
        z = (rng.normal(size=(2, 7)) * 4).astype(dtype)
        y = rng.integers(0, 7, size=2)
        exact = [math.log(sum(math.exp(float(v)) for v in row)) - float(row[k])
                 for row, k in zip(z, y)]
        loss = cevis.cross_entropy(z, y, reduction="none")
        assert loss.dtype == dtype
        np.testing.assert_array_equal(loss, np.array(exact).astype(dtype))
        total = cevis.cross_entropy(z, y, reduction="sum")
        assert total.dtype == dtype and total == dtype(sum(exact))


def test_a_float16_loss_past_its_largest_number_is_inf_without_a_warning():
    # -log p_1 = 120000 > 65504, the largest float16; PyTorch 2.13 CPU returns inf too
    z = np.array([[60000.0, -60000.0]], np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for reduction in ("none", "sum", "mean"):
            assert np.isinf(cevis.cross_entropy(z, [1], reduction=reduction)).all()
            assert np.isinf(cevis.cross_entropy(np.tile(z, (300, 1)), [1] * 300,
                                                reduction=reduction)).all()
        np.testing.assert_array_equal(cevis.cross_entropy_grad(z, [1]), [[1.0, -1.0]])
