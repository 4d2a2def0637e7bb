"""Inputs PyTorch accepts and cevis once refused: tuples of axes, scalars, empty batches, [N, C, d1, ...].

What torch does is from its documentation and source (torch 2.x): ``torch.logsumexp``
takes ``dim`` as an int or a tuple with ``keepdim``, and a sum over nothing is log 0 = -inf;
``softmax``/``log_softmax`` of a 0-d tensor are 1 and 0 (a scalar is one class);
``cross_entropy`` over 0 samples is nan for the mean (0/0), 0 for the sum, shape (0,) for
'none'; its K-dimensional case has classes on axis 1. Expected values are closed forms
computed here with ``math``, never with cevis.
"""

import itertools
import math
import warnings

import numpy as np
import pytest

import cevis


@pytest.fixture(autouse=True)
def _no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _lse(values):
    m = max(values)
    return m + math.log(sum(math.exp(v - m) for v in values))


@pytest.mark.parametrize("axes", [(0,), (1, 2), (0, 2), (-1, 0), (0, 1, 2), None])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_over_a_tuple_of_axes(axes, keepdims):
    z = np.random.default_rng(1).normal(size=(2, 3, 4)) * 30
    got = cevis.logsumexp(z, axis=axes, keepdims=keepdims)
    reduced = {a % 3 for a in (axes if axes is not None else range(3))}
    kept = [a for a in range(3) if a not in reduced]
    expected = np.empty([z.shape[a] for a in kept])
    for out in itertools.product(*(range(z.shape[a]) for a in kept)):
        picks = [np.arange(z.shape[a]) if a in reduced else [out[kept.index(a)]] for a in range(3)]
        expected[out] = _lse(z[np.ix_(*picks)].ravel().tolist())
    shape = tuple(1 if a in reduced else n for a, n in enumerate(z.shape)) if keepdims \
        else expected.shape
    assert got.shape == shape
    np.testing.assert_allclose(got.reshape(expected.shape), expected, rtol=1e-15, atol=1e-13)


def test_logsumexp_refuses_a_repeated_axis_by_name():
    with pytest.raises(cevis.InputError, match=r"^logsumexp: axis is \(1, -1\), which repeats"):
        cevis.logsumexp(np.zeros((2, 3)), axis=(1, -1))


def test_logsumexp_over_an_empty_axis_is_minus_inf_like_torch():
    got = cevis.logsumexp(np.zeros((3, 0)), axis=1)
    np.testing.assert_array_equal(got, [-np.inf] * 3)
    assert cevis.logsumexp(np.zeros((5, 0, 0)), axis=(0, 2)).shape == (0,)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("axis", [0, -1])
def test_a_scalar_is_one_class(dtype, axis):
    z = dtype(3.5)
    assert cevis.softmax(z, axis).shape == () and cevis.softmax(z, axis).dtype == dtype
    assert float(cevis.softmax(z, axis)) == 1.0
    assert float(cevis.log_softmax(z, axis)) == 0.0
    assert float(cevis.logsumexp(z, axis)) == 3.5
    assert float(cevis.softmax_jacobian(z, axis)) == 0.0  # d(1)/dz
    with pytest.raises(cevis.InputError, match=r"^softmax: axis is 1 but logits has 0 dim"):
        cevis.softmax(z, 1)


@pytest.mark.parametrize("shape,axis", [((0, 3), -1), ((5, 0, 0), -1), ((5, 0, 0), 1), ((0,), 0)])
def test_softmax_family_of_an_empty_array_is_empty(shape, axis):
    z = np.zeros(shape, np.float32)
    for fn in (cevis.softmax, cevis.log_softmax):
        out = fn(z, axis)
        assert out.shape == shape and out.dtype == np.float32
    c = shape[axis]
    moved = np.moveaxis(z, axis, -1).shape
    assert cevis.softmax_jacobian(z, axis).shape == moved + (c,)


@pytest.mark.parametrize("logits_shape,target_shape,axis", [
    ((0, 3), (0,), -1), ((5, 0, 0), (5, 0), 1), ((0, 0), (0,), -1)])
def test_cross_entropy_of_no_samples_as_torch(logits_shape, target_shape, axis):
    z, y = np.zeros(logits_shape), np.zeros(target_shape, np.int64)
    assert np.isnan(cevis.cross_entropy(z, y, axis=axis))  # mean over nothing: 0/0
    assert float(cevis.cross_entropy(z, y, axis=axis, reduction="sum")) == 0.0
    assert cevis.cross_entropy(z, y, axis=axis, reduction="none").shape == target_shape
    loss, grad = cevis.cross_entropy_and_grad(z, y, axis=axis, label_smoothing=0.1)
    assert np.isnan(loss) and grad.shape == logits_shape
    probs = np.zeros(logits_shape)
    assert np.isnan(cevis.cross_entropy(z, probs, axis=axis))
    assert cevis.cross_entropy_grad(z, probs, axis=axis, reduction="sum").shape == logits_shape


def test_no_classes_with_samples_is_still_refused():
    with pytest.raises(cevis.InputError, match=r"^cross_entropy: logits has shape \(2, 0\) with no"):
        cevis.cross_entropy(np.zeros((2, 0)), [-100, -100])


def test_binary_losses_of_nothing():
    e = np.zeros(0)
    assert np.isnan(cevis.binary_cross_entropy(e, e))
    assert float(cevis.binary_cross_entropy_with_logits(e, e, reduction="sum")) == 0.0
    assert cevis.binary_cross_entropy_with_logits_grad(e, e).shape == (0,)


def test_k_dimensional_cross_entropy_with_classes_on_axis_1():
    # torch: input [N, C, d1, d2], target [N, d1, d2]; cevis says axis=1
    rng = np.random.default_rng(5)
    z = rng.normal(size=(2, 4, 3, 2)) * 3
    y = rng.integers(0, 4, size=(2, 3, 2))
    per = np.empty(y.shape)
    grad = np.empty(z.shape)
    for n, i, j in itertools.product(range(2), range(3), range(2)):
        row = z[n, :, i, j].tolist()
        lse = _lse(row)
        per[n, i, j] = lse - row[y[n, i, j]]
        grad[n, :, i, j] = [math.exp(v - lse) - (c == y[n, i, j]) for c, v in enumerate(row)]
    np.testing.assert_allclose(cevis.cross_entropy(z, y, axis=1, reduction="none"), per,
                               rtol=1e-14)
    np.testing.assert_allclose(cevis.cross_entropy(z, y, axis=1), per.mean(), rtol=1e-14)
    np.testing.assert_allclose(cevis.cross_entropy_grad(z, y, axis=1, reduction="sum"), grad,
                               rtol=1e-13, atol=1e-15)
