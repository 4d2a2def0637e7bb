"""Charts of one sample: softmax probabilities, the −log p curve with its point, the gradient bars."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import CURVE_COLOUR
from cevis_app.charts.style import CURVE_P_FLOOR
from cevis_app.charts.style import CURVE_P_MIN
from cevis_app.charts.style import CURVE_POINTS
from cevis_app.charts.style import MANY_CLASSES
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import POINT_COLOUR
from cevis_app.charts.style import TRUE_COLOUR
from cevis_app.charts.style import ZERO_GRADIENT
from cevis_app.charts.style import bar_names
from cevis_app.charts.style import base_layout
from cevis_app.charts.style import check_classes
from cevis_app.charts.style import gradient_arrow
from cevis_app.charts.style import gradient_colours
from cevis_app.charts.style import true_patterns


def make_probability_figure(probs, class_names, true_index) -> go.Figure:
    """Bars of softmax probabilities; the true class coloured and labelled."""
    p = check_classes(probs, class_names, true_index, "make_probability_figure")
    colours = [TRUE_COLOUR if i == true_index else OTHER_COLOUR for i in range(p.size)]
    digits = 2 if p.size > MANY_CLASSES else 3
    # one constructor call with plain dicts: far cheaper than go.Bar(...) + update_layout
    return PlainFigure(
        data=[dict(type="bar", x=bar_names(class_names, true_index), y=p,
                   marker=dict(color=colours, pattern=true_patterns(p.size, true_index)),
                   text=[f"{v:.{digits}f}" for v in p], textposition="outside", cliponaxis=False,
                   customdata=list(class_names),
                   hovertemplate="%{customdata}: p = %{y:.4f}<extra></extra>")],
        layout=dict(**base_layout("Softmax probabilities p"),
                    yaxis=dict(range=[0, 1.12], title=dict(text="probability"),
                               tickformat=".1f")))


def make_loss_curve_figure(p_true, *, loss=None) -> go.Figure:
    """The curve -log(p) over (0, 1] and the current p of the true class on it.

    The curve reaches down to the current p (to ``CURVE_P_FLOOR`` at most); a point
    beyond that is pinned to the top edge and its label says it is off the chart.
    """
    p = float(p_true)
    if not 0.0 <= p <= 1.0:
        raise InputError(f"make_loss_curve_figure: p_true is {p!r}; expected a probability in [0, 1]")
    value = float(-np.log(max(p, np.finfo(float).tiny))) if loss is None else float(loss)
    left = min(CURVE_P_MIN, max(p / 2, CURVE_P_FLOOR))
    grid = np.geomspace(left, 1.0, CURVE_POINTS)
    top = -np.log(left) * 1.08
    off_chart = value > top
    shown = (max(p, left), top if off_chart else value)
    # two short lines: the label fits a narrow chart at presentation size
    label = f"p = {p:.3g}<br>loss = {value:.3f}" + (" (off the chart)" if off_chart else "")
    # the label sits up and away from the curve, towards the middle of the chart
    note = dict(x=shown[0], y=shown[1], text=label, showarrow=True, arrowhead=0,
                arrowcolor=OTHER_COLOUR, ax=-70 if p > 0.5 else 60,
                ay=40 if shown[1] > 0.6 * top else -45,
                bgcolor="rgba(255,255,255,0.85)")
    return PlainFigure(
        # 0.0 - log p: at p = 1, -log p is -0.0, which the numbers table would print as "-0.0000"
        data=[dict(type="scatter", x=grid, y=0.0 - np.log(grid), mode="lines",
                   line=dict(color=CURVE_COLOUR, width=2),
                   hovertemplate="p = %{x:.3f}<br>−log p = %{y:.3f}<extra></extra>"),
              dict(type="scatter", x=[shown[0]], y=[shown[1]], mode="markers", cliponaxis=False,
                   marker=dict(color=POINT_COLOUR, size=13, line=dict(color="white", width=2),
                               symbol="triangle-up" if off_chart else "circle"),
                   hovertemplate=label + "<extra></extra>")],
        layout=dict(**base_layout("Loss of the true class: −log p"), annotations=[note],
                    xaxis=dict(range=[0, 1.02], title=dict(text="p of the true class")),
                    yaxis=dict(range=[-0.04 * top, top], title=dict(text="loss"),
                               zeroline=False)))


def make_gradient_figure(grad, class_names, true_index, *, temperature=1.0) -> go.Figure:
    """Bars of dL/dz: negative (raised by a descent step, ↑) and positive (lowered, ↓) apart.

    With a temperature T the gradient is (softmax(z/T) - onehot(y)) / T, so the
    axis grows with 1/T instead of cutting the bars off.
    """
    g = check_classes(grad, class_names, true_index, "make_gradient_figure")
    title = ("Gradient ∂L/∂z = p − onehot(y)" if temperature == 1 else
             "Gradient ∂L/∂z = (p − onehot(y)) / T")
    reach = max(1.0, float(np.abs(g).max(initial=0.0))) * 1.2
    colours = gradient_colours(g)
    digits = 2 if g.size > MANY_CLASSES else 3
    text = ["0" if abs(v) < ZERO_GRADIENT else f"{gradient_arrow(v)}{v:+.{digits}f}" for v in g]
    return PlainFigure(
        data=[dict(type="bar", x=bar_names(class_names, true_index), y=g,
                   marker=dict(color=colours, pattern=true_patterns(g.size, true_index)),
                   text=text, textposition="outside", cliponaxis=False, customdata=list(class_names),
                   hovertemplate="%{customdata}: ∂L/∂z = %{y:+.4f}<extra></extra>")],
        layout=dict(**base_layout(title),
                    yaxis=dict(range=[-reach, reach], title=dict(text="gradient"),
                               zeroline=True, zerolinecolor="#444")))
