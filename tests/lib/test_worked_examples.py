"""The worked numbers from the seed articles, and closed forms anyone can check by hand."""

import math

import numpy as np
import pytest

import cevis

# Seven-sample binary example: per-sample -[t log p + (1-t) log(1-p)] as printed in the seed.
BINARY_T = [0, 1, 1, 0, 0, 1, 1]
BINARY_P = [0.07, 0.91, 0.74, 0.23, 0.85, 0.17, 0.94]
BINARY_LOSSES = [0.0725706928348355, 0.09431067947124129, 0.3011050927839216,
                 0.2613647641344075, 1.897119984885881, 1.7719568419318752,
                 0.06187540371808753]
BINARY_SUM = 4.460303459760249

# Four-sample categorical example (one-hot targets, probabilities), as printed in the seed.
CAT_T = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]
CAT_P = [[0.91, 0.04, 0.05], [0.11, 0.8, 0.09], [0.3, 0.1, 0.6], [0.25, 0.4, 0.35]]
CAT_LOSSES = [0.09431067947124129, 0.2231435513142097, 0.5108256237659907,
              1.3862943611198906]
CAT_SUM = 2.214574215671332


def test_binary_seed_per_sample_sum_and_mean():
    got = cevis.binary_cross_entropy(BINARY_P, BINARY_T, reduction="none")
    np.testing.assert_allclose(got, BINARY_LOSSES, rtol=1e-14)
    assert float(cevis.binary_cross_entropy(BINARY_P, BINARY_T, reduction="sum")) == \
        pytest.approx(BINARY_SUM, rel=1e-14)
    assert float(cevis.binary_cross_entropy(BINARY_P, BINARY_T)) == \
        pytest.approx(BINARY_SUM / 7, rel=1e-14)


def test_binary_seed_through_logits_matches_probabilities():
    z = np.log(np.array(BINARY_P) / (1 - np.array(BINARY_P)))  # the logit of each p
    got = cevis.binary_cross_entropy_with_logits(z, BINARY_T, reduction="none")
    np.testing.assert_allclose(got, BINARY_LOSSES, rtol=1e-12)


def test_categorical_seed_from_probabilities():
    got = cevis.cross_entropy_from_probs(CAT_P, CAT_T, reduction="none")
    np.testing.assert_allclose(got, CAT_LOSSES, rtol=1e-14)
    assert float(cevis.cross_entropy_from_probs(CAT_P, CAT_T, reduction="sum")) == \
        pytest.approx(CAT_SUM, rel=1e-14)
    # class-index targets give the same numbers as the one-hot rows
    idx = [0, 1, 2, 0]
    np.testing.assert_allclose(cevis.cross_entropy_from_probs(CAT_P, idx, reduction="none"),
                               CAT_LOSSES, rtol=1e-14)


def test_categorical_seed_through_logits():
    # log p are logits whose softmax is p (the rows sum to 1), so cross_entropy agrees.
    logits = np.log(CAT_P)
    got = cevis.cross_entropy(logits, [0, 1, 2, 0], reduction="none")
    np.testing.assert_allclose(got, CAT_LOSSES, rtol=1e-12)
    assert float(cevis.cross_entropy(logits, [0, 1, 2, 0])) == pytest.approx(CAT_SUM / 4, rel=1e-12)


@pytest.mark.parametrize("p, shown", [(0.57, 0.56), (0.58, 0.54), (0.52, 0.65)])
def test_iris_table_of_the_seed(p, shown):
    # The seed's table rounds -log(p) to two decimals.
    rest = (1 - p) / 2
    assert round(float(cevis.cross_entropy_from_probs([p, rest, rest], 0)), 2) == \
        pytest.approx(shown, abs=0.0051)


@pytest.mark.parametrize("y, value", [(0.2, 0.3218875824868201), (0.8, 0.17851484105136778)])
def test_asymmetry_of_minus_y_log_y(y, value):
    # The term -t log p with t = p = y: a "correct" prediction still costs, and 0.2 costs
    # more than 0.8. Only that class's term is kept in the target row.
    got = cevis.cross_entropy_from_probs([y, 1 - y], [y, 0.0])
    assert float(got) == pytest.approx(value, rel=1e-14)
    assert value == pytest.approx(-y * math.log(y), rel=1e-15)


@pytest.mark.parametrize("c", [2, 3, 10, 1000])
def test_uniform_logits_cost_log_c(c):
    assert float(cevis.cross_entropy(np.zeros(c), 0)) == pytest.approx(math.log(c), rel=1e-15)


def test_softmax_known_values():
    np.testing.assert_allclose(cevis.softmax([0.0, math.log(3.0)]), [0.25, 0.75], rtol=1e-15)
    # temperature 2 halves the logits
    np.testing.assert_allclose(cevis.softmax([0.0, 2 * math.log(3.0)], temperature=2.0),
                               [0.25, 0.75], rtol=1e-15)


def test_sigmoid_and_log_sigmoid_known_values():
    np.testing.assert_allclose(cevis.sigmoid([0.0, math.log(3.0)]), [0.5, 0.75], rtol=1e-15)
    np.testing.assert_allclose(cevis.log_sigmoid([0.0, math.log(3.0)]),
                               [math.log(0.5), math.log(0.75)], rtol=1e-15)


def test_entropy_kl_known_values():
    assert float(cevis.entropy([0.25] * 4)) == pytest.approx(math.log(4), rel=1e-15)
    assert float(cevis.entropy([1.0, 0.0])) == 0.0  # 0 log 0 = 0
    assert float(cevis.kl_divergence([0.5, 0.5], [0.5, 0.5])) == 0.0
    assert float(cevis.kl_divergence([1.0, 0.0], [0.25, 0.75])) == pytest.approx(math.log(4))
    assert float(cevis.kl_divergence([0.5, 0.5], [1.0, 0.0])) == math.inf


def test_softmax_jacobian_two_classes_closed_form():
    # for p = (1/4, 3/4): diagonal p(1-p) = 3/16, off-diagonal -p0 p1 = -3/16
    j = cevis.softmax_jacobian([0.0, math.log(3.0)])
    np.testing.assert_allclose(j, [[3 / 16, -3 / 16], [-3 / 16, 3 / 16]], rtol=1e-14)
