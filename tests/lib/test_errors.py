"""Every bad input raises cevis.InputError naming the argument, what it got and what it expects."""

import numpy as np
import pytest

import cevis

Z = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]]


@pytest.mark.parametrize("call, pattern", [
    (lambda: cevis.cross_entropy(Z, [0, 3]),
     r"cross_entropy: target has class index 3 at index \(1,\); expected 0 <= index < 3"),
    (lambda: cevis.cross_entropy(Z, [0, -2]), r"class index -2 .* or ignore_index \(-100\)"),
    (lambda: cevis.cross_entropy(Z, [0, 1, 2]),
     r"target has shape \(3,\); expected \(2,\) \(class indices.*or \(2, 3\)"),
    (lambda: cevis.cross_entropy(Z, [0.5, 1.0]), r"target has 0.5 at index \(0,\); expected whole"),
    (lambda: cevis.cross_entropy([[np.nan, 1.0]], [0]), r"logits has nan at index \(0, 0\)"),
    (lambda: cevis.cross_entropy([[np.inf, 1.0]], [0]), r"logits has inf .*expected finite"),
    (lambda: cevis.cross_entropy(Z, [0, 1], reduction="avg"),
     r"reduction is 'avg'; expected one of 'none', 'sum', 'mean'"),
    (lambda: cevis.cross_entropy(Z, [0, 1], label_smoothing=1.5),
     r"label_smoothing is 1.5; expected a finite number in \[0, 1\]"),
    (lambda: cevis.cross_entropy(Z, [0, 1], weight=[1, 2]),
     r"weight has shape \(2,\); expected \(3,\), one weight per class"),
    (lambda: cevis.cross_entropy(Z, [0, 1], weight=[1, -2, 1]),
     r"weight has -2.0 for class 1; expected weights >= 0"),
    (lambda: cevis.cross_entropy(Z, [0, 1], ignore_index=1.5), r"ignore_index is 1.5"),
    (lambda: cevis.cross_entropy(Z, [0, 1], axis=2), r"cross_entropy: axis is 2 but logits has 2 dimension"),
    (lambda: cevis.cross_entropy(Z, [[0.5, 0.5, 0.0], [0.2, 0.2, 0.2]]),
     r"target sums to 0.6 along axis 1 at index \(1,\); expected each row .* to sum to 1"),
    (lambda: cevis.cross_entropy(Z, [[1.5, -0.5, 0.0], [0, 1, 0]]),
     r"target has 1.5 at index \(0, 0\); expected probabilities in \[0, 1\]"),
    (lambda: cevis.cross_entropy(np.zeros((2, 0)), [0, 0]), r"no classes along axis 1"),
    (lambda: cevis.cross_entropy(3.0, 0), r"logits is a scalar"),
    (lambda: cevis.cross_entropy([[1, 2], [3]], [0, 0]), r"logits could not be read as an array"),
    (lambda: cevis.cross_entropy([["a", "b"]], [0]), r"logits has dtype <U1; expected real"),
    (lambda: cevis.softmax([1.0, 2.0], temperature=0),
     r"softmax: temperature is 0; expected a finite number in \(0, inf\)"),
    (lambda: cevis.log_softmax([1.0, 2.0], temperature=-1), r"log_softmax: temperature is -1"),
    (lambda: cevis.softmax([1.0, 2.0], temperature="hot"), r"temperature is 'hot'; expected a real"),
    (lambda: cevis.sigmoid([np.nan]), r"sigmoid: x has nan"),
    (lambda: cevis.binary_cross_entropy([0.5, 1.2], [0, 1]),
     r"binary_cross_entropy: probs has 1.2 at index \(1,\); expected probabilities in \[0, 1\]"),
    (lambda: cevis.binary_cross_entropy([0.5, 0.2], [0, 2]), r"target has 2.0 at index \(1,\)"),
    (lambda: cevis.binary_cross_entropy([0.5, 0.2], [0, 1, 1]),
     r"target has shape \(3,\); expected \(2,\), the shape of probs"),
    (lambda: cevis.binary_cross_entropy_with_logits([[0.5, 0.2]], [[0, 1]], pos_weight=[1, 2, 3]),
     r"pos_weight has shape \(3,\); expected a shape that broadcasts to \(1, 2\)"),
    (lambda: cevis.binary_cross_entropy_with_logits([0.5], [1], pos_weight=-1.0),
     r"pos_weight has a negative value"),
    (lambda: cevis.binary_cross_entropy_with_logits([0.5], [1], weight=[1, 2]),
     r"weight has shape \(2,\); expected a shape that broadcasts to \(1,\)"),
    (lambda: cevis.cross_entropy_from_probs([0.5, 0.4], 0),
     r"cross_entropy_from_probs: probs sums to 0.9 along axis 0"),
    (lambda: cevis.cross_entropy_from_probs([0.5, 0.5], 0, eps=0.5), r"eps is 0.5"),
    (lambda: cevis.cross_entropy_from_probs([0.5, 0.5], 2), r"class index 2 at index \(\)"),
    (lambda: cevis.entropy([0.5, 0.6]), r"entropy: probs sums to 1.1"),
    (lambda: cevis.kl_divergence([0.5, 0.5], [1.0, 0.0, 0.0]),
     r"kl_divergence: probs has shape \(3,\); expected \(2,\)"),
    (lambda: cevis.numerical_grad(3, [1.0]), r"numerical_grad: f is int; expected a callable"),
    (lambda: cevis.numerical_grad(lambda v: v, [1.0, 2.0]), r"f returned shape \(2,\)"),
    (lambda: cevis.numerical_grad(lambda v: v.sum(), [1.0], h=0), r"h is 0"),
    (lambda: cevis.cross_entropy_grad(Z, [0, 5]), r"cross_entropy_grad: target has class index 5"),
    (lambda: cevis.binary_cross_entropy_with_logits_grad([0.0], [1], reduction=None),
     r"binary_cross_entropy_with_logits_grad: reduction is None"),
])
def test_error_message(call, pattern):
    with pytest.raises(cevis.InputError, match=pattern):
        call()


def test_input_error_is_a_value_error():
    assert issubclass(cevis.InputError, ValueError)
