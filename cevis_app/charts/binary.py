"""Binary charts: the sigmoid with its point, log x beside −log x, the two BCE curves with samples."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import cevis
from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import CURVE_COLOUR
from cevis_app.charts.style import CURVE_P_MIN
from cevis_app.charts.style import CURVE_POINTS
from cevis_app.charts.style import MARGIN
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import POINT_COLOUR
from cevis_app.charts.style import axis_title
from cevis_app.charts.style import base_layout
from cevis_app.charts.style import panel_titles

SIGMOID_RANGE = 10.0  # the sigmoid chart spans z in [-10, 10]; sigma(10) = 0.99995
LABEL_COLOURS = {0: "#e76f51", 1: "#2a9d8f"}  # t = 0 and t = 1, on every binary chart


def make_sigmoid_figure(z, p) -> go.Figure:
    """The sigmoid curve p = 1 / (1 + e^-z) with the current (z, p) on it.

    An infinite z (p exactly 0 or 1) is drawn at the edge of the chart.
    """
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise InputError(f"make_sigmoid_figure: p is {p!r}; expected a probability in [0, 1]")
    grid = np.linspace(-SIGMOID_RANGE, SIGMOID_RANGE, CURVE_POINTS)
    shown_z = float(np.clip(z, -SIGMOID_RANGE, SIGMOID_RANGE))
    return PlainFigure(
        data=[dict(type="scatter", x=grid, y=cevis.sigmoid(grid), mode="lines",
                   line=dict(color=CURVE_COLOUR, width=2),
                   hovertemplate="z = %{x:.2f}<br>p = %{y:.4f}<extra></extra>"),
              dict(type="scatter", x=[shown_z], y=[p], mode="markers+text",
                   marker=dict(color=POINT_COLOUR, size=13, line=dict(color="white", width=2)),
                   text=[f"z = {float(z):.2f}, p = {p:.3f}"],
                   textposition="middle right" if shown_z < 3 else "middle left",
                   hoverinfo="skip")],
        layout=dict(**base_layout("p = σ(z) = 1 / (1 + e⁻ᶻ)"),
                    xaxis=dict(range=[-SIGMOID_RANGE, SIGMOID_RANGE], title=axis_title("logit z"),
                               zeroline=True),
                    yaxis=dict(range=[-0.05, 1.05], title=axis_title("p"))))


def make_log_pair_figure() -> go.Figure:
    """log(x) and -log(x) over (0, 1], side by side: negative, and its mirror the loss."""
    x = np.geomspace(CURVE_P_MIN, 1.0, CURVE_POINTS)
    halves = ((0.0, 0.44), (0.56, 1.0))  # two panels, 0.12 apart
    return PlainFigure(
        data=[dict(type="scatter", x=x, y=np.log(x), mode="lines", line=dict(color=OTHER_COLOUR),
                   hovertemplate="x = %{x:.3f}<br>log x = %{y:.3f}<extra></extra>"),
              dict(type="scatter", x=x, y=-np.log(x), mode="lines", line=dict(color=CURVE_COLOUR),
                   hovertemplate="x = %{x:.3f}<br>−log x = %{y:.3f}<extra></extra>",
                   xaxis="x2", yaxis="y2")],
        layout=dict(**base_layout("On (0, 1] log x is negative; −log x is positive, 0 at x = 1",
                              margin={**MARGIN, "t": 65}),
                    **panel_titles(("log x", "−log x"), halves),
                    xaxis=dict(domain=halves[0], anchor="y", range=[0, 1.02], title=axis_title("x")),
                    xaxis2=dict(domain=halves[1], anchor="y2", range=[0, 1.02],
                                title=axis_title("x")),
                    yaxis=dict(anchor="x"), yaxis2=dict(anchor="x2")))


def make_binary_curves_figure(probs=(), labels=(), *, names=None, highlight=None) -> go.Figure:
    """The two loss curves, −log p (t = 1) and −log(1 − p) (t = 0), with samples on them.

    Args:
      probs, labels: the samples' predicted p and true t (0 or 1), same length.
      names: hover names of the samples (default: "sample i").
      highlight: index of a sample to draw larger (the one being explored).
    """
    p = np.asarray(probs, dtype=float).ravel()
    t = np.asarray(labels, dtype=float).ravel()
    if p.shape != t.shape:
        raise InputError(f"make_binary_curves_figure: labels has shape {t.shape}; expected "
                         f"{p.shape}, one per probability")
    if ((p < 0) | (p > 1)).any() or not np.isin(t, (0, 1)).all():
        raise InputError("make_binary_curves_figure: expected probabilities in [0, 1] and "
                         "labels 0 or 1")
    names = list(names) if names is not None else [f"sample {i + 1}" for i in range(p.size)]
    grid = np.geomspace(CURVE_P_MIN, 1 - CURVE_P_MIN, CURVE_POINTS)
    grid = np.concatenate([grid[grid < 0.5], 1 - grid[grid < 0.5][::-1]])
    top = -np.log(CURVE_P_MIN) + 0.5
    traces = [
        dict(type="scatter", x=grid, y=-np.log(grid), mode="lines", name="t = 1: −log p",
             line=dict(color=LABEL_COLOURS[1], width=2), hoverinfo="skip"),
        dict(type="scatter", x=grid, y=-np.log1p(-grid), mode="lines", name="t = 0: −log(1 − p)",
             line=dict(color=LABEL_COLOURS[0], width=2), hoverinfo="skip"),
    ]
    loss = cevis.binary_cross_entropy(p, t, reduction="none")  # log clamped at -100, as PyTorch
    for label in (1, 0):
        idx = np.flatnonzero(t == label)
        if idx.size == 0:
            continue
        sizes = [18 if i == highlight else 11 for i in idx]
        traces.append(dict(
            type="scatter", x=p[idx], y=np.minimum(loss[idx], top - 0.2), mode="markers",
            name=f"samples with t = {label}",
            marker=dict(color=LABEL_COLOURS[label], size=sizes, line=dict(color="white", width=2)),
            customdata=np.stack([np.array(names, dtype=object)[idx], loss[idx]], axis=-1),
            hovertemplate="%{customdata[0]}<br>p = %{x:.3f}<br>loss = %{customdata[1]:.3f}"
                          "<extra></extra>"))
    layout = dict(**base_layout("Confident and wrong costs most"),
                  xaxis=dict(range=[-0.02, 1.02], title=axis_title("predicted p (of class 1)")),
                  yaxis=dict(range=[0, top], title=axis_title("loss")))
    # the legend sits in the empty middle top, between the two rising curves
    layout.update(showlegend=True, legend=dict(x=0.5, xanchor="center", y=0.98,
                                               bgcolor="rgba(255,255,255,0.8)", font=dict(size=11)))
    return PlainFigure(data=traces, layout=layout)
