"""Descent charts: the animated run, paths on the probability simplex, runs side by side."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import BLUES
from cevis_app.charts.style import CHART_HEIGHT
from cevis_app.charts.style import CURVE_COLOUR
from cevis_app.charts.style import LEGEND_ABOVE
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import POINT_COLOUR
from cevis_app.charts.style import RUN_COLOURS
from cevis_app.charts.style import RUN_DASHES
from cevis_app.charts.style import TRUE_COLOUR
from cevis_app.charts.style import animation_controls
from cevis_app.charts.style import axis_title
from cevis_app.charts.style import bar_names
from cevis_app.charts.style import base_layout
from cevis_app.charts.style import frame_steps
from cevis_app.charts.style import frames_of
from cevis_app.charts.style import gradient_arrow
from cevis_app.charts.style import gradient_colours
from cevis_app.charts.style import three_panels
from cevis_app.charts.style import true_patterns


def _checked_run(probs, grads, losses, c, shown):
    """The run as float arrays ``[S + 1, C]``, ``[S + 1, C]``, ``[S + 1]``, or InputError."""
    p = np.asarray(probs, dtype=float)
    g = np.asarray(grads, dtype=float)
    loss = np.asarray(losses, dtype=float)
    if p.ndim != 2 or p.shape[1] != c or g.shape != p.shape or loss.shape != p.shape[:1]:
        raise InputError(f"make_descent_animation: probs {p.shape}, grads {g.shape}, losses "
                         f"{loss.shape}; expected [S + 1, {c}], [S + 1, {c}], [S + 1]")
    if not 0 <= shown < p.shape[0]:
        raise InputError(f"make_descent_animation: shown is {shown}; expected 0 <= shown < {p.shape[0]}")
    return p, g, loss


def _arrows(grad):  # ↑ raised by the next step, ↓ lowered: direction not by colour alone
    return [gradient_arrow(v).strip() for v in grad]


def _descent_traces(p, g, loss, k, names, colours, pattern) -> list[dict]:
    """The first frame: probability bars, gradient bars, the loss curve and step k's point."""
    return [
        dict(type="bar", x=names, y=p[k], marker=dict(color=colours, pattern=pattern),
             text=[f"{v:.2f}" for v in p[k]], textposition="outside", cliponaxis=False,
             xaxis="x", yaxis="y"),
        dict(type="bar", x=names, y=g[k], marker=dict(color=gradient_colours(g[k]), pattern=pattern),
             text=_arrows(g[k]), textposition="outside", cliponaxis=False, xaxis="x2", yaxis="y2"),
        dict(type="scatter", x=np.arange(loss.size), y=loss, mode="lines",
             line=dict(color=CURVE_COLOUR), xaxis="x3", yaxis="y3"),
        dict(type="scatter", x=[k], y=[loss[k]], mode="markers",
             marker=dict(color=POINT_COLOUR, size=12), xaxis="x3", yaxis="y3"),
    ]


def make_descent_animation(probs, grads, losses, class_names, true_index, *,
                           shown: int = 0) -> go.Figure:
    """Probabilities, gradient and loss of one run, moving together, with a play button.

    Args:
      probs, grads: ``[S + 1, C]`` along the run; losses: ``[S + 1]``.
      shown: the step drawn first (the nearest frame), so a keyboard control outside the
        chart can step through the run: plotly's own play button and slider are SVG, not
        focusable.
    """
    c = len(class_names)
    p, g, loss = _checked_run(probs, grads, losses, c, shown)
    names = bar_names(class_names, true_index)
    colours = [TRUE_COLOUR if i == true_index else OTHER_COLOUR for i in range(c)]
    steps = frame_steps(p.shape[0] - 1)
    pattern = true_patterns(c, true_index)
    at = int(np.argmin(np.abs(steps - shown)))  # the frame drawn first

    def changes(k):  # what a frame updates; everything else stays as in the first frame
        return [dict(type="bar", y=p[k], text=[f"{v:.2f}" for v in p[k]]),
                dict(type="bar", y=g[k], text=_arrows(g[k]),
                     marker=dict(color=gradient_colours(g[k]), pattern=pattern)),
                dict(type="scatter", y=loss),
                dict(type="scatter", x=[int(k)], y=[float(loss[k])])]

    data = _descent_traces(p, g, loss, int(steps[at]), names, colours, pattern)
    reach = max(1.0, float(np.abs(g).max())) * 1.1
    layout = dict(
        **base_layout("Gradient descent on the logits"),
        **three_panels(("softmax p", "gradient ∂L/∂z", "loss per step"),
                        ([0, 1.15], [-reach, reach],
                         [0, float(np.nanmax(loss)) * 1.1 + 1e-9])),
        **animation_controls(steps, "step ", duration=80, active=at))
    layout["xaxis3"]["title"] = dict(text="step")
    layout.update(height=CHART_HEIGHT + 110, margin=dict(l=10, r=10, t=60, b=10))
    return PlainFigure(data=data, layout=layout,
                       frames=frames_of([changes(k) for k in steps], steps, [0, 1, 2, 3]))


def make_simplex_figure(runs: dict, class_names, *, shading=None, shade_values=None):
    """Paths of probability vectors (3 classes) on the simplex, over a shaded loss map.

    Args:
      runs: ``{label: [S + 1, 3] probabilities}``.
      shading, shade_values: ``[M, 3]`` points and their ``[M]`` loss, drawn as the background.
    """
    if len(class_names) != 3:
        raise InputError(f"make_simplex_figure: {len(class_names)} classes; expected 3")
    data = []
    if shading is not None:
        # the background only: float32 and no c (plotly takes c = 1 - a - b, the ternary's sum
        # being 1), so the figure a whole room receives is 40 KB, not 100
        pts = np.asarray(shading, dtype=np.float32)
        val = np.asarray(shade_values, dtype=float)
        data.append(dict(
            type="scatterternary", a=pts[:, 0], b=pts[:, 1], mode="markers",
            hoverinfo="skip", showlegend=False,
            marker=dict(color=np.minimum(val, 6.0).astype(np.float32), colorscale=BLUES,
                        reversescale=True,
                        size=7, symbol="triangle-up", opacity=0.55,
                        colorbar=dict(title=axis_title("loss"), thickness=10, x=1.02))))
    palette = RUN_COLOURS
    for i, (label, probs) in enumerate(runs.items()):
        q = np.asarray(probs, dtype=float)
        if q.ndim != 2 or q.shape[1] != 3:
            raise InputError(f"make_simplex_figure: run {label!r} has shape {q.shape}; "
                             "expected [S + 1, 3]")
        data.append(dict(
            type="scatterternary", a=q[:, 0], b=q[:, 1], c=q[:, 2], mode="lines+markers",
            name=label, line=dict(color=palette[i % len(palette)], width=2.5,
                                  dash=RUN_DASHES[i % len(RUN_DASHES)]), marker=dict(size=4),
            hovertemplate="step %{customdata}<extra></extra>", customdata=np.arange(len(q))))
    layout = base_layout("The path on the probability simplex")
    layout.update(height=CHART_HEIGHT + 120, showlegend=True, margin=dict(l=50, r=50, t=60, b=30),
                  legend=dict(orientation="h", y=-0.08),
                  ternary={f"{axis}axis": dict(title=axis_title(name), min=0)
                           for axis, name in zip("abc", class_names)})
    return PlainFigure(data=data, layout=layout)


def make_runs_figure(series: dict, *, title: str, y_title: str, log_y: bool = False):
    """One line per run (a learning rate, a loss) against the step."""
    data = []
    for i, (label, values) in enumerate(series.items()):
        v = np.asarray(values, dtype=float)
        if v.ndim != 1:
            raise InputError(f"make_runs_figure: {label!r} has shape {v.shape}; expected [S + 1]")
        data.append(dict(type="scatter", x=np.arange(v.size), y=v, mode="lines", name=label,
                         line=dict(color=RUN_COLOURS[i % len(RUN_COLOURS)], width=2.5,
                                   dash=RUN_DASHES[i % len(RUN_DASHES)])))
    layout = dict(**base_layout(title), xaxis=dict(title=dict(text="step")),
                  yaxis=dict(title=dict(text=y_title), type="log" if log_y else "linear"))
    layout.update(showlegend=True, legend=LEGEND_ABOVE)
    return PlainFigure(data=data, layout=layout)


# ---------------------------------------------------------------- training page
