"""Questions answered on the live view (issue 23, item 7): "set the logits so that the loss is 1".

The question is {"kind": "view", "text", "target_loss", "tolerance"}. A phone answers with
its own sample, {"logits": [C], "y": true class, "T": temperature}, as the Explorer holds it;
the server recomputes the loss with cevis (a posted loss is never trusted) and stores the
answer as ``[loss, p_true]``, plain JSON for both stores, sorted by loss in a tally.
"""

from __future__ import annotations

import math

import numpy as np

import cevis
from cevis_app.rooms.store import RoomError
from cevis_app.urlstate import LOGIT_RANGE
from cevis_app.urlstate import MAX_CLASSES
from cevis_app.urlstate import MIN_CLASSES
from cevis_app.urlstate import SPEC

MAX_TARGET_LOSS = 20.0  # a loss of 20 is p = 2e-9: beyond that a target is not a question for a drag
MAX_TOLERANCE = 5.0  # a wider band would accept nearly any view
T_LOW, T_HIGH = SPEC.temperature.low, SPEC.temperature.high  # as the Explorer's temperature slider


def _number(value, low, high, what) -> float:
    ok = (isinstance(value, (int, float)) and not isinstance(value, bool)
          and math.isfinite(value) and low <= value <= high)
    if not ok:
        raise RoomError(f"{what} must be a number from {low:g} to {high:g}.")
    return float(value)


def check_view_question(question: dict, text: str) -> dict:
    """The clean view question: a target loss in (0, MAX_TARGET_LOSS] and a tolerance > 0."""
    target = _number(question.get("target_loss"), 0.0, MAX_TARGET_LOSS, "A view question's target loss")
    tolerance = _number(question.get("tolerance"), 0.0, MAX_TOLERANCE, "A view question's tolerance")
    if target <= 0 or tolerance <= 0:
        raise RoomError("A view question needs a target loss and a tolerance above 0.")
    return {"kind": "view", "text": text, "target_loss": target, "tolerance": tolerance}


def view_loss(logits, y: int, temperature: float) -> tuple[float, float]:
    r"""(loss, p_true) of one sample, by cevis: :math:`p = \mathrm{softmax}(z / T)_y`, :math:`L = -\log p`.

    >>> loss, p = view_loss([0.0, 0.0], 0, 1.0)
    >>> round(loss, 6), round(p, 6)
    (0.693147, 0.5)
    """
    z = np.asarray(logits, dtype=np.float64)[None, :] / float(temperature)
    loss = float(cevis.cross_entropy(z, [int(y)]))
    p_true = float(cevis.softmax(z)[0, int(y)])
    return loss, p_true


def check_view_answer(answer) -> list[float]:
    """A posted view {"logits", "y", "T"} checked against the Explorer's ranges: [loss, p_true]."""
    if not isinstance(answer, dict):
        raise RoomError("An answer to this question is your view: send it from the Explorer.")
    logits = answer.get("logits")
    if not isinstance(logits, list) or not MIN_CLASSES <= len(logits) <= MAX_CLASSES:
        raise RoomError(f"A view has {MIN_CLASSES} to {MAX_CLASSES} logits.")
    z = [_number(v, -LOGIT_RANGE, LOGIT_RANGE, "Each logit") for v in logits]
    y = answer.get("y")
    if isinstance(y, bool) or not isinstance(y, int) or not 0 <= y < len(z):
        raise RoomError(f"A view's true class is a class number from 0 to {len(z) - 1}.")
    t = _number(answer.get("T"), T_LOW, T_HIGH, "A view's temperature")
    loss, p_true = view_loss(z, y, t)
    return [loss, p_true]


def within(question: dict, loss: float) -> bool:
    """Whether a view's loss is within the question's tolerance of its target."""
    return abs(float(loss) - question["target_loss"]) <= question["tolerance"]
