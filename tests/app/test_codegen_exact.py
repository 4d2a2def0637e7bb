"""The generated PyTorch and Keras code computes on the page's own data (issue 25, item 5).

The code's data literals are read back with ``ast`` and must be the very floats the page
used (``repr``-exact; six significant digits moved the printed loss in its 6th digit).
The loss the code would print is then recomputed from those literals with a plain Python
loop of PyTorch's and Keras's formulas (torch/nn/functional.py cross_entropy; Keras 3
reduce_weighted_values), never with cevis, and must round to the comment's digits.
"""

import ast
import math

import numpy as np
import pytest

from cevis_app.text import codegen
from cevis_app.views.batch import BatchOptions
from cevis_app.views.batch import explain_batch

CASES = 24  # random batches, as many as the reviewer tried


def _assigned(code: str) -> dict:
    """name -> the literal list of ``name = torch.tensor([...])`` / ``np.array([...])``."""
    out = {}
    for node in ast.parse(code).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                and node.value.args and isinstance(node.value.args[0], ast.List):
            out[node.targets[0].id] = ast.literal_eval(node.value.args[0])
    return out


def _comment(code: str, starts: str) -> str:
    [line] = [ln for ln in code.splitlines() if ln.startswith(starts)]
    return line.split("# ")[1].removeprefix("cevis: ")


def _log_softmax(z):
    top = max(z)
    norm = top + math.log(sum(math.exp(v - top) for v in z))
    return [v - norm for v in z]


def torch_reference(logits, target, weight, eps, reduction, index):
    """PyTorch's cross_entropy, written out row by row in Python floats."""
    c = len(logits[0])
    w = weight or [1.0] * c
    losses, denominator = [], 0.0
    for z, t in zip(logits, target):
        lp = _log_softmax(z)
        if index:
            smooth = -sum(w[k] * lp[k] for k in range(c))
            losses.append((1 - eps) * -w[t] * lp[t] + eps / c * smooth)
            denominator += w[t]
        else:
            losses.append(-sum(w[k] * ((1 - eps) * t[k] + eps / c) * lp[k] for k in range(c)))
            denominator += 1.0  # probability targets: PyTorch divides by N
    return {"none": losses, "sum": math.fsum(losses),
            "mean": math.fsum(losses) / denominator}[reduction]


def keras_reference(y_pred, y_true, class_weight, eps, reduction, from_logits):
    """Keras 3's CategoricalCrossentropy: each row's loss times its sample weight, mean over N."""
    c = len(y_pred[0])
    losses = []
    for p, t in zip(y_pred, y_true):
        t = [float(k == t) for k in range(c)] if isinstance(t, int) else t
        if from_logits:
            lp = _log_softmax(p)
        else:
            s = sum(p)
            lp = [math.log(min(max(v / s, 1e-7), 1 - 1e-7)) for v in p]
        row = -sum(((1 - eps) * tk + eps / c) * lk for tk, lk in zip(t, lp))
        sample_weight = 1.0 if class_weight is None else class_weight[max(range(c), key=t.__getitem__)]
        losses.append(sample_weight * row)
    return {"none": losses, "sum": math.fsum(losses),
            "mean": math.fsum(losses) / len(losses)}[reduction]


def _shown(value) -> str:
    return "[" + ", ".join(f"{v:.6g}" for v in value) + "]" if isinstance(value, list) \
        else f"{value:.6g}"


def _case(seed):
    rng = np.random.default_rng(seed)
    n, c = int(rng.integers(2, 6)), int(rng.integers(2, 5))
    kind = ("index", "one-hot", "soft")[seed % 3]
    from_probs = bool(seed % 2)
    preds = rng.dirichlet(np.ones(c), n) if from_probs else rng.normal(0, 3, (n, c))
    y = rng.integers(0, c, n)
    targets = {"index": y.tolist(), "one-hot": np.eye(c)[y].tolist(),
               "soft": rng.dirichlet(np.ones(c), n).tolist()}[kind]
    weight = tuple(rng.uniform(0.2, 3, c).tolist()) if seed % 4 < 2 else None
    eps = [0.0, 0.07000000000000001, 0.3][seed % 3]  # a slider's float, not 0.07
    reduction = ("mean", "sum", "none")[seed % 5 % 3]
    return preds.tolist(), targets, BatchOptions(weight, -100, eps, reduction), from_probs, kind


@pytest.mark.parametrize("seed", range(CASES))
def test_torch_code_prints_its_comment(seed):
    preds, targets, options, from_probs, kind = _case(seed)
    result = explain_batch(preds, targets, options, from_probs=from_probs)
    code = codegen.torch_code(preds, targets, options, result, from_probs=from_probs,
                              target_kind=kind)
    data = _assigned(code)
    assert data["probs" if from_probs else "logits"] == preds  # exact, float for float
    assert data["target"] == targets
    assert data.get("weight") == (list(options.weight) if options.weight else None)
    if options.label_smoothing:
        assert f"label_smoothing={options.label_smoothing!r}" in code
    logits = [[math.log(v) for v in row] for row in preds] if from_probs else preds
    expected = torch_reference(logits, targets, options.weight and list(options.weight),
                               options.label_smoothing, options.reduction, kind == "index")
    assert _comment(code, "print(loss)") == _shown(expected)


@pytest.mark.parametrize("seed", range(CASES))
def test_keras_code_prints_its_comment(seed):
    preds, targets, options, from_probs, kind = _case(seed)
    result = explain_batch(preds, targets, options, from_probs=from_probs)
    code = codegen.keras_code(preds, targets, options, result, from_probs=from_probs,
                              target_kind=kind)
    assert 'keras.config.set_floatx("float64")' in code  # Keras's float32 moves the 7th digit
    data = _assigned(code)
    assert data["y_pred"] == preds and data["y_true"] == targets
    weighted = options.weight is not None and kind != "soft"
    assert data.get("class_weight") == (list(options.weight) if weighted else None)
    expected = keras_reference(preds, targets, data.get("class_weight"), options.label_smoothing,
                               options.reduction, not from_probs)
    assert _comment(code, "print(loss_fn") == _shown(expected)
