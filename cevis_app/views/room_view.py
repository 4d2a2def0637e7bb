"""The class's answers to a question on the live view, as points on the −log p curve.

Pure numpy. Each answer is stored as [loss, p_true] (rooms/view_answers.py, computed by cevis
on the server); here they become x = p_true, y = loss, beside the target loss, its band
(target ± tolerance) and where the target meets the curve, p = exp(−target).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

CURVE_POINTS = 200  # of −log p: smooth at a projector's width
P_FLOOR = 0.01  # the curve starts at least this low (loss 4.6): room for a wild drag


class ViewAnswers(NamedTuple):
    """Points [N] of the class (p_true, loss), the target and its band, the counts, the curve."""

    p: np.ndarray  # [N] p of the true class of each answer
    loss: np.ndarray  # [N] its loss −log p
    target: float  # the target loss
    tolerance: float  # answers within target ± tolerance hit it
    p_target: float  # exp(−target): the p at which the curve meets the target
    counts: tuple  # (below the band: too sure, within it, above it: too unsure)
    curve_p: np.ndarray  # [CURVE_POINTS] p from the lowest point shown up to 1
    curve_loss: np.ndarray  # [CURVE_POINTS] −log curve_p
    mine: tuple | None = None  # (p, loss) of the student's own answer


def _pair(value):
    """[loss, p] as (loss, p) if it is one (finite, 0 < p ≤ 1), else None."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value):
        return None
    return (float(value[0]), float(value[1])) if 0 < value[1] <= 1 else None


def view_answers(question: dict, answers, mine=None) -> ViewAnswers:
    """The answers [[loss, p], ...] to a view question as points; malformed ones are left out.

    >>> v = view_answers({"target_loss": 1.0, "tolerance": 0.1}, [[0.69, 0.5], [1.05, 0.35]])
    >>> v.p.tolist(), v.counts, round(v.p_target, 4)
    ([0.5, 0.35], (1, 1, 0), 0.3679)
    """
    pairs = [pair for pair in map(_pair, answers) if pair is not None]
    loss = np.array([pair[0] for pair in pairs], dtype=np.float64)
    p = np.array([pair[1] for pair in pairs], dtype=np.float64)
    target, tolerance = float(question["target_loss"]), float(question["tolerance"])
    below = int(np.sum(loss < target - tolerance))
    above = int(np.sum(loss > target + tolerance))
    own = _pair(mine)
    shown = [P_FLOOR, math.exp(-(target + tolerance)), *p.tolist(), *([own[1]] if own else [])]
    curve_p = np.geomspace(max(min(shown), 1e-12), 1.0, CURVE_POINTS)
    counts = (below, len(pairs) - below - above, above)
    return ViewAnswers(p, loss, target, tolerance, math.exp(-target), counts, curve_p,
                       -np.log(curve_p), None if own is None else (own[1], own[0]))
