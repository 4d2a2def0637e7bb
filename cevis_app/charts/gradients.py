"""Gradient charts: the softmax Jacobian, the central-difference check, CE against MSE gradients."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import CHART_HEIGHT
from cevis_app.charts.style import CURVE_COLOUR
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import POINT_COLOUR
from cevis_app.charts.style import PUSH_DOWN_COLOUR
from cevis_app.charts.style import PUSH_UP_COLOUR
from cevis_app.charts.style import axis_title
from cevis_app.charts.style import bar_pair
from cevis_app.charts.style import base_layout
from cevis_app.charts.style import vline


def make_jacobian_figure(jacobian, class_names) -> go.Figure:
    """Heatmap of dp_i/dz_j, every cell labelled; the diagonal p_i(1 − p_i) > 0, the rest −p_i p_j."""
    j = np.asarray(jacobian, dtype=float)
    c = len(class_names)
    if j.shape != (c, c):
        raise InputError(f"make_jacobian_figure: jacobian has shape {j.shape}; expected ({c}, {c})")
    names = list(class_names)
    kind = [["diagonal: p_i(1 − p_i)" if a == b else "off-diagonal: −p_i p_j" for b in range(c)]
            for a in range(c)]
    reach = max(float(np.abs(j).max()), 1e-12)
    layout = dict(**base_layout("Softmax Jacobian ∂p_i/∂z_j"), yaxis=dict(autorange="reversed"))
    layout.update(height=CHART_HEIGHT + 40)
    return PlainFigure(data=[dict(
        type="heatmap", z=j, x=[f"z of {n}" for n in names], y=[f"p of {n}" for n in names],
        zmid=0, zmin=-reach, zmax=reach,
        colorscale=[[0, PUSH_DOWN_COLOUR], [0.5, "#ffffff"], [1, PUSH_UP_COLOUR]],
        text=[[f"{v:+.3f}" for v in row] for row in j], texttemplate="%{text}",
        customdata=kind, hovertemplate="∂%{y}/∂%{x} = %{z:+.4f}<br>%{customdata}<extra></extra>",
        colorbar=dict(thickness=12))], layout=layout)


def make_grad_check_figure(steps, errors, *, current=None) -> go.Figure:
    """Worst relative error of central differences against the step h, both axes logarithmic."""
    h = np.asarray(steps, dtype=float)
    e = np.asarray(errors, dtype=float)
    if h.shape != e.shape:
        raise InputError(f"make_grad_check_figure: errors has shape {e.shape}; expected {h.shape}")
    # annotations on log axes are placed by log10 of the position (shapes are not)
    # in the bottom corners, under the two arms of the V: clear of the curve and the marker
    notes = [dict(x=x, y=0.02, xref="paper", yref="paper", xanchor=side, yanchor="bottom",
                  text=text, showarrow=False, font=dict(size=11, color=OTHER_COLOUR))
             for x, side, text in ((0.01, "left", "← rounding: ∝ ε/h"),
                                   (0.99, "right", "truncation: ∝ h² →"))]
    return PlainFigure(
        data=[dict(type="scatter", x=h, y=np.maximum(e, 1e-17), mode="lines+markers",
                   line=dict(color=CURVE_COLOUR),
                   hovertemplate="h = %{x:.0e}<br>error = %{y:.1e}<extra></extra>")],
        layout=dict(**base_layout("Gradient check: relative error against the step h"),
                    xaxis=dict(type="log", title=axis_title("step h"), exponentformat="power"),
                    yaxis=dict(type="log", title=axis_title("worst relative error"),
                               exponentformat="power"),
                    shapes=[] if current is None else [vline(float(current), POINT_COLOUR)],
                    annotations=notes))


def make_gradient_pair_figure(first, second, class_names, *, names=("cross-entropy", "MSE")):
    """Two gradient vectors over the same classes, as grouped bars."""
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    if a.shape != b.shape or a.shape != (len(class_names),):
        raise InputError(f"make_gradient_pair_figure: shapes {a.shape} and {b.shape}; expected "
                         f"({len(class_names)},) each")
    reach = max(1.0, float(np.abs(np.concatenate([a, b])).max())) * 1.25
    return bar_pair(a, b, class_names, names, (CURVE_COLOUR, "#e9c46a"), "+.3f",
                     layout=dict(**base_layout("∂L/∂z for the same logits"),
                                 yaxis=dict(range=[-reach, reach], title=axis_title("gradient"))))


def make_gradient_magnitude_figure(p_true, magnitudes: dict, *, current=None) -> go.Figure:
    """|∂L/∂z_y| against p of the true class, one line per loss; log x to show p near 0."""
    p = np.asarray(p_true, dtype=float)
    data = []
    colours = [CURVE_COLOUR, "#e9c46a", OTHER_COLOUR]
    for i, (name, m) in enumerate(magnitudes.items()):
        m = np.asarray(m, dtype=float)
        if m.shape != p.shape:
            raise InputError(f"make_gradient_magnitude_figure: {name} has shape {m.shape}; "
                             f"expected {p.shape}")
        data.append(dict(type="scatter", x=p, y=m, mode="lines", name=name,
                         line=dict(color=colours[i % 3], width=2.5),
                         hovertemplate="p = %{x:.2g}<br>|∂L/∂z_y| = %{y:.3f}<extra></extra>"))
    shapes = [vline(float(current), POINT_COLOUR)] if current is not None and current > 0 else []
    layout = dict(**base_layout("How hard each loss pushes the true logit"),
                  xaxis=dict(type="log", title=axis_title("p of the true class (log scale)"),
                             exponentformat="power"),
                  yaxis=dict(title=axis_title("|∂L/∂z_y|"), range=[0, 1.1]), shapes=shapes)
    layout.update(showlegend=True, legend=dict(x=0.02, y=0.5))
    return PlainFigure(data=data, layout=layout)


# ---------------------------------------------------------------- animations
