"""The class's answers to a question on the live view: every phone's view as a point on −log p.

x is the p of the true class, y the loss (both computed by cevis on the server); the curve
−log p, the target loss as a dashed line with its band (target ± tolerance), and a ▲ where
the target meets the curve, labelled. The student's own answer is a larger ● labelled "you"
(shape and label as well as colour). The title counts the answers on, below and above target.
"""

from __future__ import annotations

import numpy as np

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import CURVE_COLOUR
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import POINT_COLOUR
from cevis_app.charts.style import TRUE_COLOUR
from cevis_app.charts.style import base_layout

BAND_COLOUR = "rgba(0,114,178,0.12)"  # TRUE_COLOUR, faint: the band of answers that hit the target
CLASS_MARK = dict(symbol="circle", size=11, color=POINT_COLOUR, opacity=0.75,
                  line=dict(color="white", width=1))
TARGET_MARK = dict(symbol="triangle-up", size=16, color=TRUE_COLOUR, line=dict(color="white", width=1))
MINE_MARK = dict(symbol="circle-open", size=22, color=CURVE_COLOUR, line=dict(width=3))
HEADROOM = 1.15  # the loss axis runs this far above the highest point, for the labels


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def make_view_answers_figure(p, loss, *, target, tolerance, curve_p, curve_loss, mine=None,
                             height=320) -> PlainFigure:
    """Points (p [N], loss [N]) on the curve (curve_p [K], curve_loss [K]), the target loss and
    its band target ± tolerance, a ▲ at (exp(−target), target); ``mine``: (p, loss) or None."""
    p, loss = np.asarray(p, dtype=np.float64), np.asarray(loss, dtype=np.float64)
    cp, cl = np.asarray(curve_p, dtype=np.float64), np.asarray(curve_loss, dtype=np.float64)
    if p.ndim != 1 or p.shape != loss.shape or not np.all(np.isfinite(p)) or not np.all(np.isfinite(loss)):
        raise InputError(f"make_view_answers_figure: p {p.shape} and loss {loss.shape} must be finite [N]")
    if cp.ndim != 1 or cp.shape != cl.shape or cp.size < 2:
        raise InputError(f"make_view_answers_figure: curve_p {cp.shape} and curve_loss {cl.shape} "
                         "must be [K], K >= 2")
    if not (np.isfinite(target) and np.isfinite(tolerance) and tolerance > 0):
        raise InputError("make_view_answers_figure: target and tolerance > 0 must be finite")
    low, high = target - tolerance, target + tolerance
    within = int(np.sum((loss >= low) & (loss <= high)))
    below, above = int(np.sum(loss < low)), int(np.sum(loss > high))
    title = f"{_plural(p.size, 'answer')} · {within} on target · {below} below · {above} above"
    top = HEADROOM * max(float(np.max(loss, initial=0.0)), high, 1.0,
                         mine[1] if mine is not None else 0.0)
    p_target = float(np.exp(-target))
    data = [
        dict(type="scatter", x=cp, y=cl, mode="lines", line=dict(color=OTHER_COLOUR, width=3),
             name="−log p", hoverinfo="skip"),
        dict(type="scatter", x=p, y=loss, mode="markers", marker=CLASS_MARK, name="the class",
             hovertemplate="p = %{x:.3f}, loss = %{y:.3f}<extra></extra>"),
        dict(type="scatter", x=[p_target], y=[target], mode="markers+text", marker=TARGET_MARK,
             text=[f"▲ target {target:g} ± {tolerance:g}<br>at p = {p_target:.3f}"], textposition="top right",
             name="target",
             cliponaxis=False, hovertemplate="target: p = %{x:.3f}, loss = %{y:.3f}<extra></extra>"),
    ]
    if mine is not None:
        data.append(dict(type="scatter", x=[float(mine[0])], y=[float(mine[1])], mode="markers+text",
                         marker=MINE_MARK, text=["you"], textposition="top center", name="yours",
                         cliponaxis=False,
                         hovertemplate="yours: p = %{x:.3f}, loss = %{y:.3f}<extra></extra>"))
    shapes = [dict(type="rect", xref="x domain", x0=0, x1=1, yref="y", y0=max(low, 0.0), y1=high,
                   fillcolor=BAND_COLOUR, line=dict(width=0), layer="below"),
              dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=target, y1=target,
                   line=dict(color=TRUE_COLOUR, width=2, dash="dash"))]
    return PlainFigure(data=data, layout=dict(
        **base_layout(title, height=height), shapes=shapes,
        xaxis=dict(title=dict(text="p of the true class"), range=[0, 1.02]),
        yaxis=dict(title=dict(text="loss −log p"), range=[0, top])))
