"""Pure plotly figure builders: numbers in, ``go.Figure`` out (no Streamlit, no maths).

Every builder checks its inputs first and raises :class:`cevis.InputError`, so a page
can show the message instead of a broken chart. Colours and sizes live here so
every page looks the same.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ._checks import InputError

TRUE_COLOUR = "#2a9d8f"  # the true class, on every chart
OTHER_COLOUR = "#8d99ae"  # every other class
PUSH_UP_COLOUR = "#2a9d8f"  # negative gradient: descent raises this logit
PUSH_DOWN_COLOUR = "#e76f51"  # positive gradient: descent lowers this logit
CURVE_COLOUR = "#264653"
POINT_COLOUR = "#e76f51"
CHART_HEIGHT = 300  # px: three charts fit a laptop screen side by side or stacked
CURVE_POINTS = 400  # samples of the -log(p) curve; smooth at any chart width
CURVE_P_MIN = 1e-3  # -log(1e-3) = 6.9: the curve's left end, where the axis is cut
MARGIN = dict(l=10, r=10, t=40, b=10)


def _check_classes(values, class_names, true_index, what):
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size != len(class_names):
        raise InputError(f"{what}: values have shape {v.shape}; expected ({len(class_names)},), "
                         "one per class name")
    if not 0 <= true_index < v.size:
        raise InputError(f"{what}: true_index is {true_index}; expected 0 <= true_index < {v.size}")
    return v


def _layout(title, **extra):
    return dict(title=dict(text=title, x=0, font=dict(size=15)), height=CHART_HEIGHT,
                margin=MARGIN, showlegend=False, **extra)


def make_probability_figure(probs, class_names, true_index) -> go.Figure:
    """Bars of softmax probabilities; the true class coloured and labelled."""
    p = _check_classes(probs, class_names, true_index, "make_probability_figure")
    colours = [TRUE_COLOUR if i == true_index else OTHER_COLOUR for i in range(p.size)]
    names = [f"{n} (true)" if i == true_index else n for i, n in enumerate(class_names)]
    fig = go.Figure(go.Bar(x=names, y=p, marker_color=colours, text=[f"{v:.3f}" for v in p],
                           textposition="outside", cliponaxis=False,
                           hovertemplate="%{x}: p = %{y:.4f}<extra></extra>"))
    fig.update_layout(**_layout("Softmax probabilities p"),
                      yaxis=dict(range=[0, 1.12], title="probability", tickformat=".1f"))
    return fig


def make_loss_curve_figure(p_true, *, loss=None) -> go.Figure:
    """The curve -log(p) over (0, 1] and the current p of the true class on it."""
    p = float(p_true)
    if not 0.0 <= p <= 1.0:
        raise InputError(f"make_loss_curve_figure: p_true is {p!r}; expected a probability in [0, 1]")
    grid = np.geomspace(CURVE_P_MIN, 1.0, CURVE_POINTS)
    value = -np.log(max(p, np.finfo(float).tiny)) if loss is None else float(loss)
    shown_p = max(p, CURVE_P_MIN)  # a point left of the cut is drawn at the axis edge
    top = max(-np.log(CURVE_P_MIN), min(value, 12.0)) + 0.5
    fig = go.Figure([
        go.Scatter(x=grid, y=-np.log(grid), mode="lines", line=dict(color=CURVE_COLOUR, width=2),
                   hovertemplate="p = %{x:.3f}<br>-log p = %{y:.3f}<extra></extra>"),
        go.Scatter(x=[shown_p], y=[min(value, top - 0.2)], mode="markers+text",
                   marker=dict(color=POINT_COLOUR, size=13, line=dict(color="white", width=2)),
                   text=[f"p = {p:.3f}, loss = {value:.3f}"],
                   textposition="top right" if p < 0.6 else "top left",
                   hovertemplate="p = %{x:.4f}<extra></extra>"),
    ])
    fig.update_layout(**_layout("Loss of the true class: −log p"),
                      xaxis=dict(range=[0, 1.02], title="p of the true class"),
                      yaxis=dict(range=[0, top], title="loss"))
    return fig


def make_gradient_figure(grad, class_names, true_index, *, temperature=1.0) -> go.Figure:
    """Bars of dL/dz: negative (raised by a descent step) and positive (lowered) coloured apart.

    With a temperature T the gradient is (softmax(z/T) - onehot(y)) / T, so the
    axis grows with 1/T instead of cutting the bars off.
    """
    g = _check_classes(grad, class_names, true_index, "make_gradient_figure")
    title = ("Gradient ∂L/∂z = softmax(z) − onehot(y)" if temperature == 1 else
             "Gradient ∂L/∂z = (softmax(z/T) − onehot(y)) / T")
    reach = max(1.0, float(np.abs(g).max(initial=0.0))) * 1.2
    colours = [PUSH_UP_COLOUR if v < 0 else PUSH_DOWN_COLOUR for v in g]
    names = [f"{n} (true)" if i == true_index else n for i, n in enumerate(class_names)]
    fig = go.Figure(go.Bar(x=names, y=g, marker_color=colours, text=[f"{v:+.3f}" for v in g],
                           textposition="outside", cliponaxis=False,
                           hovertemplate="%{x}: ∂L/∂z = %{y:+.4f}<extra></extra>"))
    fig.update_layout(**_layout(title),
                      yaxis=dict(range=[-reach, reach], title="gradient", zeroline=True,
                                 zerolinecolor="#444"))
    return fig
