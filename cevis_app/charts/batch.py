"""Batch charts: entropy + KL per row, a target before and after label smoothing."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import LEGEND_ABOVE
from cevis_app.charts.style import MARGIN
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import TRUE_COLOUR
from cevis_app.charts.style import axis_title
from cevis_app.charts.style import bar_pair
from cevis_app.charts.style import base_layout

ENTROPY_COLOUR = "#8d99ae"  # the part of a loss no prediction can remove
KL_COLOUR = "#e76f51"  # the part a better prediction removes


def make_entropy_kl_figure(entropy, kl, row_names=None) -> go.Figure:
    """Each row's cross-entropy as stacked bars: entropy H(t) below, KL(t ‖ p) on top."""
    h = np.asarray(entropy, dtype=float)
    d = np.asarray(kl, dtype=float)
    if h.shape != d.shape or h.ndim != 1:
        raise InputError(f"make_entropy_kl_figure: entropy has shape {h.shape} and kl {d.shape}; "
                         "expected two [N] arrays")
    names = list(row_names) if row_names is not None else [f"row {i + 1}" for i in range(h.size)]
    layout = dict(**base_layout("Cross-entropy = entropy + KL divergence, per row"),
                  barmode="stack", yaxis=dict(title=axis_title("nats"), rangemode="tozero"))
    layout.update(showlegend=True, legend=LEGEND_ABOVE, margin={**MARGIN, "t": 70})
    return PlainFigure(
        data=[dict(type="bar", x=names, y=h, name="entropy H(t): the floor",
                   marker=dict(color=ENTROPY_COLOUR),
                   hovertemplate="%{x}: H(t) = %{y:.4f}<extra></extra>"),
              dict(type="bar", x=names, y=d, name="KL(t ‖ p): what a better p removes",
                   marker=dict(color=KL_COLOUR), text=[f"{a + b:.3f}" for a, b in zip(h, d)],
                   textposition="outside", cliponaxis=False,
                   hovertemplate="%{x}: KL = %{y:.4f}<extra></extra>")],
        layout=layout)


def make_smoothing_figure(original, smoothed, class_names) -> go.Figure:
    """A target distribution before and after label smoothing, class by class."""
    t = np.asarray(original, dtype=float)
    s = np.asarray(smoothed, dtype=float)
    if t.shape != s.shape or t.shape != (len(class_names),):
        raise InputError(f"make_smoothing_figure: original {t.shape}, smoothed {s.shape}; expected "
                         f"({len(class_names)},) each")
    return bar_pair(t, s, class_names, ("target", "smoothed target"),
                     (OTHER_COLOUR, TRUE_COLOUR), ".3f",
                     layout=dict(**base_layout("Label smoothing: (1 − ε)·t + ε/C"),
                                 yaxis=dict(range=[0, 1.15], title=axis_title("probability"))))



# ---------------------------------------------------------------- gradients page
