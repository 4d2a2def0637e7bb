"""Stability charts: naive softmax overflowing per dtype, the frameworks' clamps at p = 0, −y log y."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import CURVE_COLOUR
from cevis_app.charts.style import CURVE_POINTS
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import POINT_COLOUR
from cevis_app.charts.style import axis_title
from cevis_app.charts.style import base_layout
from cevis_app.charts.style import vline

DTYPE_COLOURS = {"float16": "#e76f51", "float32": "#e9c46a", "float64": "#264653"}
DTYPE_TEXT_COLOURS = {"float32": "#a67c00"}  # the line's yellow is too light for text on white


def make_overflow_figure(largest, naive_by_dtype: dict, thresholds: dict, *, current=None):
    """The naive softmax's top probability against the largest logit, one line per dtype.

    Each line stops where ``exp`` overflows (NaN from there on); the dotted line
    is the max-subtracted softmax, the same in every dtype.
    """
    x = np.asarray(largest, dtype=float)
    data, shapes, notes = [], [], []
    widths = iter([8, 5, 2.5, 2.5])  # wider first: lines that coincide stay visible
    for dtype, p in naive_by_dtype.items():
        p = np.asarray(p, dtype=float)
        if p.shape != x.shape:
            raise InputError(f"make_overflow_figure: {dtype} has shape {p.shape}; expected {x.shape}")
        colour = DTYPE_COLOURS.get(dtype, OTHER_COLOUR)
        data.append(dict(type="scatter", x=x, y=p, mode="lines", name=f"naive, {dtype}",
                         line=dict(color=colour, width=next(widths)), connectgaps=False,
                         hovertemplate=f"{dtype}<br>z = %{{x:.1f}}<br>p = %{{y:.4f}}"
                                       "<extra></extra>"))
        t = thresholds[dtype]
        if x.min() <= t <= x.max():
            shapes.append(vline(t, colour, dash="dot"))
            # annotations on a log axis are placed by log10 of the position (shapes are not)
            notes.append(dict(x=float(np.log10(t)), y=0.5, text=f"{dtype} exp overflows: {t:.1f}",
                              textangle=-90, showarrow=False, xshift=-12,
                              font=dict(size=11, color=DTYPE_TEXT_COLOURS.get(dtype, colour))))
    if current is not None:
        shapes.append(vline(float(current), POINT_COLOUR))
    layout = dict(**base_layout("Naive softmax: p of the top class as its logit grows"),
                  xaxis=dict(title=axis_title("largest logit z (the others are 0 and −1)"), type="log"),
                  yaxis=dict(range=[0, 1.05], title=axis_title("p of the top class")),
                  shapes=shapes, annotations=notes)
    layout.update(showlegend=True, legend=dict(x=0.01, y=0.05, bgcolor="rgba(255,255,255,0.8)"))
    return PlainFigure(data=data, layout=layout)


def make_clamp_figure(p_grid, losses: dict, labels: dict, *, current=None) -> go.Figure:
    """Loss of the true class against its probability, one line per clamping convention.

    The x axis is logarithmic so the caps (16.1, 34.5, 100) show as plateaus.
    """
    p = np.asarray(p_grid, dtype=float)
    data = []
    top = 100.0  # the highest cap; the unclamped line may reach above it
    palette = [CURVE_COLOUR, "#2a9d8f", "#e9c46a", "#e76f51", OTHER_COLOUR]
    for i, (key, loss) in enumerate(losses.items()):
        loss = np.asarray(loss, dtype=float)
        if loss.shape != p.shape:
            raise InputError(f"make_clamp_figure: {key} has shape {loss.shape}; expected {p.shape}")
        top = max(top, float(np.max(loss, where=np.isfinite(loss), initial=0.0)))
        data.append(dict(type="scatter", x=p, y=loss, mode="lines", name=labels.get(key, key),
                         line=dict(color=palette[i % len(palette)], width=2.5),
                         hovertemplate="p = %{x:.3g}<br>loss = %{y:.3f}<extra></extra>"))
    shapes = [vline(float(current), POINT_COLOUR)] if current is not None and current > 0 else []
    layout = dict(**base_layout("−log p near p = 0: where each convention caps it"),
                  xaxis=dict(type="log", title=axis_title("p of the true class (log scale)"),
                             exponentformat="power"),
                  yaxis=dict(title=axis_title("loss"), range=[0, 1.05 * top]), shapes=shapes)
    # above the falling unclamped line: the top right of the chart is empty
    layout.update(showlegend=True, legend=dict(x=0.99, xanchor="right", y=0.98,
                                               bgcolor="rgba(255,255,255,0.8)"))
    return PlainFigure(data=data, layout=layout)


def make_entropy_term_figure(marks=(0.2, 0.8)) -> go.Figure:
    """The term −y log y over [0, 1] with a few points marked; its peak is at y = 1/e."""
    y = np.linspace(1e-4, 1.0, CURVE_POINTS)
    m = np.asarray(marks, dtype=float)
    if ((m <= 0) | (m > 1)).any():
        raise InputError("make_entropy_term_figure: marks must be in (0, 1]")
    peak = 1 / np.e
    return PlainFigure(
        data=[dict(type="scatter", x=y, y=-y * np.log(y), mode="lines",
                   line=dict(color=CURVE_COLOUR, width=2),
                   hovertemplate="y = %{x:.3f}<br>−y log y = %{y:.4f}<extra></extra>"),
              dict(type="scatter", x=m, y=-m * np.log(m), mode="markers+text",
                   marker=dict(color=POINT_COLOUR, size=12, line=dict(color="white", width=2)),
                   text=[f"y = {v:g}: {-v * np.log(v):.4f}" for v in m],
                   textposition=["top left" if v < peak else "top right" for v in m],
                   hoverinfo="skip")],
        layout=dict(**base_layout("One term of the sum: −y log y"),
                    xaxis=dict(range=[0, 1.02], title=axis_title("y (= t = p)")),
                    yaxis=dict(range=[0, 0.45], title=axis_title("−y log y")),
                    shapes=[vline(peak, OTHER_COLOUR, dash="dot")],
                    annotations=[dict(x=peak, y=0, xref="x", yref="y domain", text="peak at y = 1/e",
                                      showarrow=False, xanchor="left", yanchor="bottom")]))
