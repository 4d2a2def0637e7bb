"""Training charts: loss and accuracy per epoch, decision regions animated over epochs."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import CHART_HEIGHT
from cevis_app.charts.style import CURVE_COLOUR
from cevis_app.charts.style import MARGIN
from cevis_app.charts.style import POINT_COLOUR
from cevis_app.charts.style import animation_controls
from cevis_app.charts.style import axis_title
from cevis_app.charts.style import base_layout
from cevis_app.charts.style import frames_of
from cevis_app.charts.style import panel_titles

# Okabe-Ito (bluish green, blue, orange, reddish purple): versicolor (blue) and virginica
# (orange) stay far apart under deuteranopia; each species also has its own marker shape
SPECIES_COLOURS = ["#009E73", "#0072B2", "#E69F00", "#CC79A7"]  # one per class, in order
SPECIES_SYMBOLS = ["circle", "square", "diamond", "triangle-up"]  # shape, not colour alone
REGION_COLOURS = ["#b3e2d5", "#b3d4e8", "#f8e2b3", "#f0d7e5"]  # 30 % tints, for the regions


def make_training_curves_figure(run) -> go.Figure:
    """Loss (train and held-out) and accuracy per epoch, side by side."""
    epochs = np.arange(run.train_loss.size)
    data = []
    for n, (train, test) in enumerate([(run.train_loss, run.test_loss),
                                       (run.train_accuracy, run.test_accuracy)], start=1):
        axes = dict(xaxis="x" if n == 1 else "x2", yaxis="y" if n == 1 else "y2")
        data.append(dict(type="scatter", x=epochs, y=train, name="training", mode="lines",
                         line=dict(color=CURVE_COLOUR, width=2.5), showlegend=n == 1, **axes))
        data.append(dict(type="scatter", x=epochs, y=test, name="held out", mode="lines",
                         line=dict(color=POINT_COLOUR, width=2.5, dash="dash"),
                         showlegend=n == 1, **axes))
    halves = ((0.0, 0.45), (0.55, 1.0))  # two panels, by hand (make_subplots is slow)
    layout = dict(
        **base_layout("Training"),
        xaxis=dict(domain=halves[0], anchor="y", title=dict(text="epoch")),
        yaxis=dict(anchor="x", rangemode="tozero"),
        xaxis2=dict(domain=halves[1], anchor="y2", title=dict(text="epoch")),
        yaxis2=dict(anchor="x2", range=[0, 1.05]),
        **panel_titles(("mean cross-entropy", "accuracy"), halves))
    # the loss falls from the top left: its panel's top right is empty at any width
    layout.update(showlegend=True, legend=dict(x=halves[0][1], xanchor="right", y=1,
                                               yanchor="top", bgcolor="rgba(255,255,255,0.8)"),
                  margin={**MARGIN, "t": 70})
    return PlainFigure(data=data, layout=layout)


def region_labels(gx, gy, predicted, class_names) -> list[dict]:
    """Each region's species name at its centre (the regions of a linear classifier are
    convex, so the mean of its grid points lies inside): regions named, not only coloured."""
    px, py = np.meshgrid(gx, gy)
    notes = []
    for c, name in enumerate(class_names):
        inside = np.asarray(predicted).reshape(px.shape) == c
        if inside.any():
            notes.append(dict(x=float(px[inside].mean()), y=float(py[inside].mean()), text=name,
                              showarrow=False, bgcolor="rgba(255,255,255,0.7)", opacity=0.9))
    return notes


def species_traces(samples, class_names) -> list[dict]:
    """The samples as markers: one legend entry per species (its held-out flowers, open
    markers, toggle with it), and one saying what an open marker is: short enough for a
    phone's width."""
    label = np.asarray(samples["label"])
    held = np.asarray(samples["held_out"], bool)
    data = []
    for c, name in enumerate(class_names):
        in_legend = False
        shape = SPECIES_SYMBOLS[c % 4]
        for part, symbol in ((~held, shape), (held, f"{shape}-open")):
            idx = np.flatnonzero((label == c) & part)
            if idx.size == 0:
                continue
            data.append(dict(
                type="scatter", x=np.asarray(samples["x"])[idx], y=np.asarray(samples["y"])[idx],
                mode="markers", name=name, legendgroup=name, showlegend=not in_legend,
                marker=dict(color=SPECIES_COLOURS[c % 4], size=9, symbol=symbol,
                            line=dict(color="#1d2b36", width=1)),
                customdata=np.asarray(samples["row"])[idx],
                hovertemplate=f"{name}, sample %{{customdata}}"
                              f"{' (held out)' if symbol.endswith('-open') else ''}<extra></extra>"))
            in_legend = True
    if held.any():
        data.append(dict(type="scatter", x=[None], y=[None], mode="markers", name="open: held out",
                         hoverinfo="skip", marker=dict(color="#1d2b36", size=9,
                                                       symbol="circle-open")))
    return data


def make_decision_regions_figure(gx, gy, predictions, epochs, samples, class_names, *,
                                 axis_titles=("x", "y"), shown=None) -> go.Figure:
    """Predicted class over the feature plane, one frame per epoch, with the samples on top.

    Args:
      gx, gy: grid coordinates ``[nx]``, ``[ny]``.
      predictions: ``[len(epochs), ny * nx]`` predicted class per grid point per frame.
      epochs: the epoch of each frame.
      samples: dict with ``x``, ``y``, ``label``, ``row``, ``held_out`` arrays ``[N]``.
      class_names: K names.
      shown: the frame drawn first (default: the last), so a keyboard control outside the
        chart can step through the epochs: plotly's play button and slider are not focusable.
    """
    k = len(class_names)
    pred = np.asarray(predictions)
    gx, gy = np.asarray(gx, float), np.asarray(gy, float)
    if pred.ndim != 2 or pred.shape[1] != gx.size * gy.size or pred.shape[0] != len(epochs):
        raise InputError(f"make_decision_regions_figure: predictions has shape {pred.shape}; "
                         f"expected ({len(epochs)}, {gx.size * gy.size})")
    scale = [c for i in range(k) for c in ([i / k, REGION_COLOURS[i % 4]],
                                            [(i + 1) / k, REGION_COLOURS[i % 4]])]
    at = len(epochs) - 1 if shown is None else int(shown)
    if not 0 <= at < len(epochs):
        raise InputError(f"make_decision_regions_figure: shown is {shown}; expected 0 <= shown < "
                         f"{len(epochs)}")
    data = [dict(type="heatmap", x=gx, y=gy, z=pred[at].reshape(gy.size, gx.size), zmin=-0.5,
                 zmax=k - 0.5, colorscale=scale, showscale=False, hoverinfo="skip"),
            *species_traces(samples, class_names)]
    frame_dicts = frames_of([[dict(type="heatmap", z=pred[f].reshape(gy.size, gx.size))]
                             for f in range(len(epochs))], epochs, [0])
    layout = base_layout("Decision regions; a marker's colour and shape: its true species")
    layout["title"].update(y=1, yref="container", yanchor="top", pad=dict(t=10))  # above the legend
    layout.update(
        height=CHART_HEIGHT + 230, showlegend=True, margin=dict(l=10, r=10, t=90, b=120),
        legend=dict(orientation="h", x=0, y=1.01, yanchor="bottom"),
        annotations=region_labels(gx, gy, pred[at], class_names),
        xaxis=dict(title=axis_title(axis_titles[0])), yaxis=dict(title=axis_title(axis_titles[1])),
        **animation_controls(epochs, "epoch ", duration=150, active=at, pause=False,
                             y=(-0.2, -0.2)))
    return PlainFigure(data=data, layout=layout, frames=frame_dicts)
