"""The Explorer's plotly sweep of one logit (frames computed in advance)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import CHART_HEIGHT
from cevis_app.charts.style import CURVE_COLOUR
from cevis_app.charts.style import CURVE_P_FLOOR
from cevis_app.charts.style import CURVE_POINTS
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import POINT_COLOUR
from cevis_app.charts.style import TRUE_COLOUR
from cevis_app.charts.style import bar_names
from cevis_app.charts.style import base_layout
from cevis_app.charts.style import frames_of
from cevis_app.charts.style import gradient_colours
from cevis_app.charts.style import three_panels


def make_sweep_figure(sweep, class_names, true_index) -> go.Figure:
    """Drag one logit inside the figure: probabilities, gradient and the point on −log p follow.

    Every frame is precomputed (``sweep`` from :func:`cevis.explain.sweep_logit`), so the
    figure's own slider moves through them in the browser, with no round trip.
    """
    p, g, loss = sweep.probs, sweep.grads, sweep.losses
    c = len(class_names)
    if p.shape != (sweep.values.size, c) or g.shape != p.shape:
        raise InputError(f"make_sweep_figure: probs {p.shape}; expected ({sweep.values.size}, {c})")
    names = bar_names(class_names, true_index)
    colours = [TRUE_COLOUR if i == true_index else OTHER_COLOUR for i in range(c)]
    p_true = p[:, true_index]
    curve_p = np.geomspace(max(float(p_true.min()), CURVE_P_FLOOR) / 2, 1.0, CURVE_POINTS)
    top = float(-np.log(curve_p[0]))


    def point(k):
        return dict(x=[max(float(p_true[k]), curve_p[0])], y=[min(float(loss[k]), top)],
                    text=[f"loss {loss[k]:.3f}"],
                    textposition="top right" if p_true[k] < 0.6 else "top left")

    def changes(k):  # what a frame updates; everything else stays as in the first frame
        return [dict(type="bar", y=p[k], text=[f"{v:.3f}" for v in p[k]]),
                dict(type="bar", y=g[k], text=[f"{v:+.3f}" for v in g[k]],
                     marker=dict(color=gradient_colours(g[k]))),
                dict(type="scatter", **point(k))]

    k0 = sweep.start
    data = [
        dict(type="bar", x=names, y=p[k0], marker=dict(color=colours),
             text=[f"{v:.3f}" for v in p[k0]], textposition="outside", cliponaxis=False,
             hoverinfo="skip", xaxis="x", yaxis="y"),
        dict(type="bar", x=names, y=g[k0], marker=dict(color=gradient_colours(g[k0])),
             text=[f"{v:+.3f}" for v in g[k0]], textposition="outside", cliponaxis=False,
             hoverinfo="skip", xaxis="x2", yaxis="y2"),
        dict(type="scatter", mode="markers+text", hoverinfo="skip", cliponaxis=False,
             marker=dict(color=POINT_COLOUR, size=13, line=dict(color="white", width=2)),
             xaxis="x3", yaxis="y3", **point(k0)),
        dict(type="scatter", x=curve_p, y=-np.log(curve_p), mode="lines", hoverinfo="skip",
             line=dict(color=CURVE_COLOUR, width=2), xaxis="x3", yaxis="y3"),
    ]
    reach = max(1.0, float(np.abs(g).max())) * 1.25
    moved = class_names[sweep.which]
    titles = ("probabilities p", "gradient ∂L/∂z", "loss −log p of the true class")
    layout = dict(
        **base_layout(f"Drag the slider: the logit of {moved}, live"),
        **three_panels(titles, ([0, 1.18], [-reach, reach], [0, top * 1.05])),
        sliders=[dict(active=k0, x=0, len=1.0, y=-0.12, yanchor="top",
                      currentvalue=dict(prefix=f"z of {moved} = "),
                      steps=[dict(label=f"{v:g}", method="animate",
                                  args=[[str(k)], dict(mode="immediate", transition=dict(duration=0),
                                                       frame=dict(duration=0, redraw=True))])
                             for k, v in enumerate(sweep.values)])])
    layout["xaxis3"].update(range=[0, 1.02], title=dict(text="p of the true class"))
    layout.update(height=CHART_HEIGHT + 90, margin=dict(l=10, r=10, t=60, b=10))
    return PlainFigure(data=data, layout=layout, frames=frames_of(
        [changes(k) for k in range(sweep.values.size)], range(sweep.values.size), [0, 1, 2]))
