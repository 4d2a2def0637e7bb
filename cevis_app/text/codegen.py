"""The Batch page's computation written out in PyTorch and in Keras, to paste and compare.

Pure text: every number in a comment is what the code beside it prints, computed with
cevis (PyTorch) or with cevis_app.views.keras (Keras 3's formulas). Where the two
frameworks differ (a weighted mean divides by N, not by the summed weights; class
weights scale whole rows), the comment says so and gives both numbers.
"""

from __future__ import annotations

import numpy as np

from cevis_app.views.batch import NO_IGNORE
from cevis_app.views.batch import BatchBreakdown
from cevis_app.views.batch import BatchOptions
from cevis_app.views.keras import KERAS_EPSILON
from cevis_app.views.keras import KERAS_REDUCTIONS
from cevis_app.views.keras import keras_loss


def _num(value) -> str:
    """A float as Python writes it back exactly (``repr``): the code computes on the page's data.

    Six significant digits moved the printed loss in its 6th digit (0.5869228 against a
    comment of 0.586924); ``repr`` is the shortest text that reads back as the same float.
    """
    return repr(float(value))


def _list(values) -> str:
    return "[" + ", ".join(_list(v) if isinstance(v, (list, tuple, np.ndarray)) else _num(v)
                           for v in values) + "]"


def _shown(values) -> str:
    """A result for a comment: six significant digits (the data above it are exact)."""
    return "[" + ", ".join(f"{v:.6g}" for v in values) + "]"


def _int_list(values) -> str:
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


def torch_code(preds, targets, options: BatchOptions, result: BatchBreakdown, *,
               from_probs: bool, target_kind: str) -> str:
    """PyTorch code computing the same loss, with cevis's answer in a comment."""
    index_targets = target_kind == "index"
    lines = ["import torch", "import torch.nn.functional as F", ""]
    if from_probs:
        lines += [f"probs = torch.tensor({_list(preds)}, dtype=torch.float64)",
                  "logits = probs.log()  # softmax(log p) = p; a p of 0 would give -inf here"]
    else:
        lines.append(f"logits = torch.tensor({_list(preds)}, dtype=torch.float64)")
    if index_targets:
        lines.append(f"target = torch.tensor({_int_list(targets)})")
    else:
        lines.append(f"target = torch.tensor({_list(targets)}, dtype=torch.float64)")
    args = []
    if options.weight is not None:
        lines.append(f"weight = torch.tensor({_list(options.weight)}, dtype=torch.float64)")
        args.append("weight=weight")
    if index_targets and options.ignore_index != NO_IGNORE:  # PyTorch's default: not written
        args.append(f"ignore_index={options.ignore_index}")
    if options.label_smoothing:
        args.append(f"label_smoothing={_num(options.label_smoothing)}")
    args.append(f'reduction="{options.reduction}"')
    lines.append(f"loss = F.cross_entropy(logits, target, {', '.join(args)})")
    lines.append(f"print(loss)  # cevis: {_answer(result, options.reduction)}")
    return "\n".join(lines)


def _answer(result: BatchBreakdown, reduction: str) -> str:
    value = result.reduced[reduction]
    return _shown(value) if reduction == "none" else f"{value:.6g}"


def _keras_data_lines(preds, targets, options: BatchOptions, result: BatchBreakdown, *,
                      index: bool) -> list[str]:
    """``y_pred`` and ``y_true`` as Keras takes them: ignored rows dropped, one-hot targets
    where smoothing needs them."""
    lines = [f"y_pred = np.array({_list(preds)})"]
    if not index:
        return lines + [f"y_true = np.array({_list(targets)})"]
    lines.append(f"y_true = np.array({_int_list(targets)})")
    if result.ignored.any():
        lines += [f"keep = y_true != {options.ignore_index}  # as PyTorch's ignore_index "
                  "(Keras 3 also has ignore_class=...)",
                  "y_true, y_pred = y_true[keep], y_pred[keep]"]
    if options.label_smoothing:  # only the one-hot loss takes label_smoothing
        lines.append(f"y_true = keras.ops.one_hot(y_true, {len(preds[0])})")
    return lines


def _why_keras_differs(preds, options: BatchOptions, result: BatchBreakdown, *,
                       from_probs: bool, target_kind: str) -> list[str]:
    """The reasons Keras's number differs from PyTorch's for this batch (may be none)."""
    index = target_kind == "index"
    reasons = []
    if options.reduction == "none" and result.ignored.any():
        reasons.append("PyTorch keeps the ignored rows, as 0")
    if options.weight is not None and target_kind != "soft":
        if options.label_smoothing:
            reasons.append("PyTorch weights the smoothing term class by class, Keras "
                           "scales each whole row by its class's weight")
        if options.reduction == "mean" and index:
            reasons.append(f"PyTorch's mean divides by the summed weights "
                           f"({result.denominator:g}), Keras's by N ({int((~result.ignored).sum())})")
    if options.weight is not None and target_kind == "soft":
        reasons.append("the class weights apply in PyTorch only")
    if from_probs and np.min(np.asarray(preds, float)[~result.ignored], initial=1.0) < KERAS_EPSILON:
        reasons.append(f"Keras clips probabilities to [{KERAS_EPSILON:g}, 1 − {KERAS_EPSILON:g}]")
    return reasons


def keras_code(preds, targets, options: BatchOptions, result: BatchBreakdown, *,
               from_probs: bool, target_kind: str) -> str:
    """Keras 3 code for the same batch, with the number Keras gives in a comment.

    Keras takes class weights as ``sample_weight = class_weight[y]``: each row's whole
    loss (smoothing included) is scaled by its class's weight, and the mean divides
    by N. PyTorch weights the smoothing term class by class and divides by the
    summed weights. When the two differ, both numbers are given.
    """
    keep = ~result.ignored
    index = target_kind == "index"
    smoothing = options.label_smoothing
    lines = ["import numpy as np", "import keras", "",
             'keras.config.set_floatx("float64")  # as cevis computes; float32 moves the 7th digit',
             *_keras_data_lines(preds, targets, options, result, index=index)]
    sparse = index and not smoothing
    kwargs = [f"from_logits={not from_probs}"]
    if smoothing:
        kwargs.append(f"label_smoothing={_num(smoothing)}")
    red = KERAS_REDUCTIONS[options.reduction]
    kwargs.append(f'reduction="{red}"' if red else "reduction=None")
    cls = "SparseCategoricalCrossentropy" if sparse else "CategoricalCrossentropy"
    lines.append(f"loss_fn = keras.losses.{cls}({', '.join(kwargs)})")

    call = "loss_fn(y_true, y_pred"
    weighted = options.weight is not None and target_kind != "soft"
    if weighted:
        lines += [f"class_weight = np.array({_list(options.weight)})",
                  f"sample_weight = class_weight[{'y_true' if sparse else 'np.argmax(y_true, -1)'}]"]
        call += ", sample_weight=sample_weight"
    kept_targets = np.asarray(targets, int)[keep] if index else targets
    value = keras_loss(np.asarray(preds, float)[keep], kept_targets, reduction=options.reduction,
                       from_probs=from_probs, index_targets=index, label_smoothing=smoothing,
                       class_weight=options.weight if weighted else None)
    keras_answer = _shown(value) if options.reduction == "none" else f"{value:.6g}"
    lines.append(f"print({call}))  # {keras_answer}")
    torch_answer = _answer(result, options.reduction)
    if options.weight is not None and not weighted:
        lines.append("# Keras has no per-class weight for soft targets: this is the unweighted loss")
    if torch_answer != keras_answer:
        reasons = _why_keras_differs(preds, options, result, from_probs=from_probs,
                                     target_kind=target_kind)
        lines.append(f"# F.cross_entropy gives {torch_answer}: "
                     + "; ".join(reasons or ["the frameworks round differently"]))
    return "\n".join(lines)
