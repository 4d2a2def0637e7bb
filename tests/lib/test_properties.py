"""Properties that must hold for any input (hypothesis), checked against independent references."""

import math

import numpy as np
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import cevis

settings.register_profile("cevis", max_examples=60, deadline=None)
settings.load_profile("cevis")

logit = st.floats(-30, 30, allow_nan=False, allow_infinity=False)


@st.composite
def batches(draw, max_n=5, max_c=6):
    """Logits [N, C] with index targets [N]."""
    n = draw(st.integers(1, max_n))
    c = draw(st.integers(2, max_c))
    z = draw(arrays(np.float64, (n, c), elements=logit))
    y = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return z, y


@st.composite
def soft_batches(draw):
    z, _ = draw(batches())
    raw = draw(arrays(np.float64, z.shape, elements=st.floats(0, 1)))
    raw[:, 0] += 1e-3  # keep every row summable
    return z, raw / raw.sum(axis=1, keepdims=True)


def naive_ce(z, y, weight=None, eps=0.0):
    """Reference: per-sample loss by the textbook formula, one class at a time."""
    out = []
    for row, t in zip(z, y):
        c = len(row)
        w = [1.0] * c if weight is None else list(weight)
        lse = math.log(sum(math.exp(v) for v in row))
        nll = w[t] * (lse - row[t])
        smooth = sum(w[k] * (lse - row[k]) for k in range(c))
        out.append((1 - eps) * nll + eps / c * smooth)
    return np.array(out)


@given(z=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 7)), elements=logit),
       shift=st.floats(-1e3, 1e3))
def test_softmax_sums_to_one_and_ignores_shifts(z, shift):
    p = cevis.softmax(z)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-13)
    assert (p >= 0).all()
    np.testing.assert_allclose(cevis.softmax(z + shift), p, atol=1e-12)


@given(batches(), st.floats(0, 1), st.booleans())
def test_cross_entropy_matches_textbook_formula(batch, eps, weighted):
    z, y = batch
    c = z.shape[1]
    w = np.linspace(0.5, 2.0, c) if weighted else None
    per = cevis.cross_entropy(z, y, weight=w, label_smoothing=eps, reduction="none")
    ref = naive_ce(z, y, w, eps)
    np.testing.assert_allclose(per, ref, rtol=1e-10, atol=1e-12)
    denom = len(y) if w is None else w[y].sum()
    np.testing.assert_allclose(cevis.cross_entropy(z, y, weight=w, label_smoothing=eps),
                               ref.sum() / denom, rtol=1e-10, atol=1e-12)
    assert (per >= 0).all()


@given(batches(), st.sampled_from(["none", "sum", "mean"]), st.floats(0, 0.5), st.booleans())
def test_cross_entropy_grad_matches_finite_differences(batch, reduction, eps, weighted):
    z, y = batch
    w = np.linspace(0.5, 2.0, z.shape[1]) if weighted else None
    kw = dict(weight=w, label_smoothing=eps, reduction=reduction)

    def total(v):
        return float(np.sum(cevis.cross_entropy(v, y, **kw)))

    np.testing.assert_allclose(cevis.cross_entropy_grad(z, y, **kw),
                               cevis.numerical_grad(total, z, h=1e-5), atol=2e-7)


@given(soft_batches(), st.floats(0, 0.5))
def test_soft_target_grad_matches_finite_differences(batch, eps):
    z, t = batch
    np.testing.assert_allclose(
        cevis.cross_entropy_grad(z, t, label_smoothing=eps),
        cevis.numerical_grad(lambda v: float(cevis.cross_entropy(v, t, label_smoothing=eps)),
                             z, h=1e-5),
        atol=2e-7)


@given(batches())
def test_hard_label_gradient_is_softmax_minus_onehot_and_sums_to_zero(batch):
    z, y = batch
    g = cevis.cross_entropy_grad(z, y, reduction="sum")
    onehot = np.eye(z.shape[1])[y]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    np.testing.assert_allclose(g, e / e.sum(axis=1, keepdims=True) - onehot, atol=1e-14)
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-14)


@given(arrays(np.float64, st.integers(1, 8), elements=logit),
       arrays(np.float64, 8, elements=st.floats(0, 1)),
       st.floats(0.1, 5))
def test_bce_with_logits_grad_matches_finite_differences(z, t, pos_weight):
    t = t[: z.size]
    kw = dict(pos_weight=pos_weight, reduction="mean")
    np.testing.assert_allclose(
        cevis.binary_cross_entropy_with_logits_grad(z, t, **kw),
        cevis.numerical_grad(lambda v: float(cevis.binary_cross_entropy_with_logits(v, t, **kw)),
                             z, h=1e-5),
        atol=2e-7)


@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-15, 15)),
       arrays(np.float64, 8, elements=st.floats(0, 1)))
def test_bce_of_sigmoid_equals_bce_with_logits(z, t):
    t = t[: z.size]
    p = 1 / (1 + np.exp(-z))  # moderate z: the naive sigmoid is accurate here
    np.testing.assert_allclose(cevis.binary_cross_entropy(p, t, reduction="none"),
                               cevis.binary_cross_entropy_with_logits(z, t, reduction="none"),
                               rtol=1e-9, atol=1e-12)


@given(soft_batches())
def test_cross_entropy_is_entropy_plus_kl(batch):
    z, t = batch
    p = cevis.softmax(z)
    ce = cevis.cross_entropy_from_probs(p, t, reduction="none")
    np.testing.assert_allclose(ce, cevis.entropy(t) + cevis.kl_divergence(t, p),
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(cevis.cross_entropy(z, t, reduction="none"), ce,
                               rtol=1e-9, atol=1e-12)
    assert (cevis.kl_divergence(t, p) >= -1e-12).all()


@given(batches())
def test_softmax_jacobian_matches_finite_differences(batch):
    z, _ = batch
    row = z[0]
    jac = cevis.softmax_jacobian(row)
    for i in range(row.size):
        np.testing.assert_allclose(
            jac[i], cevis.numerical_grad(lambda v, i=i: float(cevis.softmax(v)[i]), row, h=1e-6),
            atol=1e-8)
