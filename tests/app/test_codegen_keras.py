"""Every number printed beside the Keras code is what Keras 3 prints for that code.

Keras 3 (keras/src/losses/loss.py, reduce_weighted_values): each row's loss
-sum_c t~_c log p_c (t~ = (1 - eps) t + eps / C), times its sample weight
class_weight[argmax t]; "sum_over_batch_size" divides the weighted sum by N. The
expected numbers below are written out with math, not cevis.
"""

import math
import re

import pytest

from cevis_app.text import codegen
from cevis_app.views.batch import BatchOptions
from cevis_app.views.batch import explain_batch

P = [[0.91, 0.04, 0.05], [0.11, 0.8, 0.09], [0.3, 0.1, 0.6], [0.25, 0.4, 0.35]]  # preset "four"
Y = [0, 1, 2, 0]
ONE_HOT = [[1.0 if c == y else 0.0 for c in range(3)] for y in Y]


def row_loss(p, y, eps, c=3, from_logits=False):
    if from_logits:
        top = max(p)
        log_norm = top + math.log(sum(math.exp(v - top) for v in p))
        log_p = [v - log_norm for v in p]
    else:
        s = sum(p)
        log_p = [math.log(min(max(v / s, 1e-7), 1 - 1e-7)) for v in p]
    return -sum(((1 - eps) * (k == y) + eps / c) * lp for k, lp in enumerate(log_p))


def printed(code):
    [line] = [ln for ln in code.splitlines() if ln.startswith("print(loss_fn")]
    return line.split("# ")[1]


def keras(preds, targets, options, *, from_probs=True, kind="index"):
    result = explain_batch(preds, targets, options, from_probs=from_probs)
    return codegen.keras_code(preds, targets, options, result, from_probs=from_probs,
                              target_kind=kind)


@pytest.mark.parametrize("kind, targets", [("index", Y), ("one-hot", ONE_HOT)])
def test_weighted_smoothed_mean_is_keras_s_for_both_target_kinds(kind, targets):
    w = [1.0, 2.0, 1.0]
    expected = sum(w[y] * row_loss(p, y, 0.1) for p, y in zip(P, Y)) / 4
    assert f"{expected:.6g}" == "0.743115"  # the number, from Keras 3
    code = keras(P, targets, BatchOptions(tuple(w), -100, 0.1, "mean"), kind=kind)
    assert printed(code) == "0.743115"
    assert "sample_weight = class_weight[" in code


@pytest.mark.parametrize("reduction", ["sum", "mean", "none"])
def test_reductions_with_weights_and_logits(reduction):
    z = [[2.0, 0.5, -1.0], [0.0, 3.0, 1.0], [1.0, 1.0, 1.0]]
    y = [0, 2, 1]
    w = [0.5, 1.0, 3.0]
    rows = [w[t] * row_loss(p, t, 0.0, from_logits=True) for p, t in zip(z, y)]
    code = keras(z, y, BatchOptions(tuple(w), -100, 0.0, reduction), from_probs=False)
    expected = {"sum": f"{sum(rows):.6g}", "mean": f"{sum(rows) / 3:.6g}",
                "none": "[" + ", ".join(f"{r:.6g}" for r in rows) + "]"}[reduction]
    assert printed(code) == expected
    assert "SparseCategoricalCrossentropy" in code


def test_ignored_rows_are_left_out_and_n_counts_the_rest():
    z = [[2.0, 0.0], [0.0, 1.0], [5.0, 5.0]]
    code = keras(z, [0, -100, 1], BatchOptions((1.0, 4.0), -100, 0.0, "mean"), from_probs=False,
                 kind="index")
    expected = (row_loss(z[0], 0, 0, 2, True) + 4 * row_loss(z[2], 1, 0, 2, True)) / 2
    assert printed(code) == f"{expected:.6g}"
    assert "Keras's by N (2)" in code and "summed weights (5)" in code


def test_soft_targets_take_no_class_weight_in_keras():
    soft = [[0.7, 0.3], [0.2, 0.8]]
    p = [[0.6, 0.4], [0.5, 0.5]]
    code = keras(p, soft, BatchOptions((1.0, 9.0), -100, 0.0, "sum"), kind="soft")
    expected = sum(-sum(t * math.log(q) for t, q in zip(ts, ps)) for ts, ps in zip(soft, p))
    assert printed(code) == f"{expected:.6g}"
    assert "no per-class weight for soft targets" in code


def test_keras_clips_tiny_probabilities():
    p = [[1e-12, 1 - 1e-12], [0.5, 0.5]]
    code = keras(p, [0, 1], BatchOptions(None, -100, 0.0, "sum"))
    expected = -math.log(1e-7) + math.log(2)
    assert printed(code) == f"{expected:.6g}"
    assert re.search(r"Keras clips probabilities to \[1e-07, 1 − 1e-07\]", code)


def test_without_options_keras_and_torch_agree():
    code = keras(P, Y, BatchOptions(None, -100, 0.0, "mean"))
    expected = sum(row_loss(p, y, 0.0) for p, y in zip(P, Y)) / 4
    assert printed(code) == f"{expected:.6g}"
    assert "F.cross_entropy gives" not in code
