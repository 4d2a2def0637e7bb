"""Editor conversions: the same rows written with another kind of target or prediction.

The Batch and Binary pages' kind selectors call these on a change, so the table keeps its
meaning.
"""

from __future__ import annotations

import numpy as np

from cevis import InputError
from cevis.activations import sigmoid
from cevis.activations import softmax
from cevis_app.text.parsing import BatchRows
from cevis_app.text.parsing import format_batch
from cevis_app.text.parsing import parse_batch

PROB_FLOOR_LOGIT = -30.0  # a probability of 0 turned into a logit: e^-30 ~ 1e-13


def convert_batch(rows, target_kind: str, pred_kind: str):
    """The same batch with other kinds of targets or predictions.

    index -> one-hot/soft is exact; one-hot/soft -> index keeps the most probable
    class; logits -> probabilities is softmax; probabilities -> logits is log p
    (log 0 becomes ``PROB_FLOOR_LOGIT``). Values are rounded to 6 digits, as the
    table shows them.

    >>> from cevis_app.text.parsing import parse_batch
    >>> b = convert_batch(parse_batch("1 | 0, 0", "index", "logits"), "one-hot", "probabilities")
    >>> b.targets, b.preds
    ([[0.0, 1.0]], [[0.5, 0.5]])
    """
    c = rows.num_classes
    targets = rows.targets
    if rows.target_kind == "index" and target_kind != "index" \
            and any(not 0 <= t < c for t in targets):
        raise InputError("rows with an ignored target have no class, so they cannot be written "
                         "as a distribution: remove them (or change their target) first")
    if target_kind != rows.target_kind:
        if target_kind == "index":
            targets = [int(np.argmax(t)) for t in targets]
        elif rows.target_kind == "index":
            targets = [[1.0 if k == t else 0.0 for k in range(c)] for t in targets]
        elif target_kind == "one-hot":
            targets = [[1.0 if k == int(np.argmax(t)) else 0.0 for k in range(c)] for t in targets]
    preds = rows.preds
    if pred_kind != rows.pred_kind and preds:
        p = np.asarray(preds, dtype=float)
        if pred_kind == "probabilities":
            p = softmax(p)
        else:
            with np.errstate(divide="ignore"):
                p = np.maximum(np.log(p), PROB_FLOOR_LOGIT)
        preds = [[round(float(v), 6) for v in row] for row in p]
    return BatchRows(targets, preds, target_kind, pred_kind)


LOGIT_LIMIT = 20.0  # |z| when p = 0 or 1 becomes a logit: sigma(20) = 1 - 2e-9


def rows_in_kinds(text: str, kinds: tuple[str, str], target_kind: str, pred_kind: str) -> str:
    """``text`` (rows of ``kinds``, a preset's) rewritten for other kinds, as the switches do.

    A link that sets only ``batch.target_kind=index`` gets the default batch with index
    targets, not an error about the one-hot rows it did not write.

    >>> rows_in_kinds("1, 0 | 0.25, 0.75", ("one-hot", "probabilities"), "index", "probabilities")
    '0 | 0.25, 0.75'
    """
    if kinds == (target_kind, pred_kind):
        return text
    return format_batch(convert_batch(parse_batch(text, *kinds), target_kind, pred_kind))


def convert_predictions(values, to_kind: str) -> np.ndarray:
    """Probabilities -> logits (``to_kind="logit"``) or logits -> probabilities.

    A probability of exactly 0 or 1 has an infinite logit; it becomes
    ``-LOGIT_LIMIT`` or ``+LOGIT_LIMIT`` instead.

    >>> print(convert_predictions([0.5, 0.0], "logit"), convert_predictions([0.0], "probability"))
    [  0. -20.] [0.5]
    """
    v = np.asarray(values, dtype=np.float64)
    if to_kind == "probability":
        return sigmoid(v)
    if to_kind != "logit":
        raise InputError(f"convert_predictions: to_kind is {to_kind!r}; expected 'logit' or "
                         "'probability'")
    with np.errstate(divide="ignore"):
        z = np.log(v) - np.log1p(-v)
    return np.clip(z, -LOGIT_LIMIT, LOGIT_LIMIT)
