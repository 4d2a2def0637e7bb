"""Pure plotly figure builders: numbers in, ``go.Figure`` out (no Streamlit, no maths).

Every builder checks its inputs first and raises :class:`cevis.InputError`, so a page
can show the message instead of a broken chart. Colours and sizes live here so
every page looks the same.
"""

from __future__ import annotations

import base64

import numpy as np
import plotly.colors as pcolors
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import to_typed_array_spec

from ._checks import InputError

TRUE_COLOUR = "#2a9d8f"  # the true class, on every chart
OTHER_COLOUR = "#8d99ae"  # every other class
PUSH_UP_COLOUR = "#2a9d8f"  # negative gradient: descent raises this logit
PUSH_DOWN_COLOUR = "#e76f51"  # positive gradient: descent lowers this logit
CURVE_COLOUR = "#264653"
POINT_COLOUR = "#e76f51"
CHART_HEIGHT = 300  # px: three charts fit a laptop screen side by side or stacked
CURVE_POINTS = 400  # samples of the -log(p) curve; smooth at any chart width
CURVE_P_MIN = 1e-3  # -log(1e-3) = 6.9: the curve's left end unless the point lies further left
CURVE_P_FLOOR = 1e-6  # -log(1e-6) = 13.8: the furthest the curve follows a point
ZERO_GRADIENT = 5e-4  # a gradient that rounds to 0.000 is drawn grey, neither up nor down
MARGIN = dict(l=10, r=10, t=40, b=10)
# plotly's "Blues", written out: plotly.js has a different scale under the same name
BLUES = [[i / (len(pcolors.sequential.Blues) - 1), c]
         for i, c in enumerate(pcolors.sequential.Blues)]


class PlainFigure(go.Figure):
    """A ``go.Figure`` that stays the plain dicts it was built from until it is used as one.

    Plotly validates every property of a figure when it is made: about 1 ms for a
    simple chart and over 10 ms for one with many slider steps or frames, on every
    rerun. Streamlit only asks for ``to_dict()``, and that returns the dicts as they
    are (arrays typed and the default template added, as plotly's own ``to_dict``
    does). Anything else (``.data``, ``.layout``, ``.frames``, ``show()``,
    ``update_layout()``) first turns it into the real figure, validated, once.
    The tests check that both give the same JSON for every builder.
    """

    def __init__(self, data=(), layout=None, frames=()):  # noqa: D107 (no go.Figure.__init__: see above)
        object.__setattr__(self, "_spec", dict(data=list(data), layout=dict(layout or {}),
                                               frames=list(frames)))

    def __getattr__(self, name):
        # reached only for attributes that do not exist yet: a plotly API is being used
        spec = self.__dict__.pop("_spec", None)
        if spec is None:
            raise AttributeError(name)
        go.Figure.__init__(self, data=spec["data"], layout=spec["layout"], frames=spec["frames"])
        return getattr(self, name)

    def to_dict(self):
        spec = self.__dict__.get("_spec")
        if spec is None:  # already a real figure (it may have been changed since)
            return super().to_dict()
        out = {"data": _typed(spec["data"]), "layout": _typed(spec["layout"])}
        if "template" not in out["layout"] and pio.templates.default:
            out["layout"]["template"] = _template_json(pio.templates.default)
        if spec["frames"]:
            out["frames"] = _typed(spec["frames"])
        return out

    def to_plotly_json(self):
        return self.to_dict()


_TEMPLATES: dict = {}


def _template_json(name) -> dict:
    """The JSON of a registered template, computed once per template object."""
    template = pio.templates[name]
    cached = _TEMPLATES.get(name)
    if cached is None or cached[0] is not template:
        cached = _TEMPLATES[name] = (template, template.to_plotly_json())
    return cached[1]


_FLOAT_CODES = {np.dtype(np.float64): "f8", np.dtype(np.float32): "f4"}
_UNTYPED_KEYS = frozenset({"geojson", "layer", "layers", "range"})  # plotly's is_skipped_key


def _typed(obj):
    """A copy of plain figure dicts with numpy arrays as plotly.js typed arrays (base64),
    as ``go.Figure.to_dict`` sends them."""
    if isinstance(obj, dict):
        return {k: v if k in _UNTYPED_KEYS else _typed(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_typed(v) for v in obj]
    if isinstance(obj, np.ndarray):
        code = _FLOAT_CODES.get(obj.dtype)
        if code is None or obj.size == 0:  # ints are narrowed first, objects stay: plotly's rules
            return to_typed_array_spec(obj)
        # what to_typed_array_spec does for floats, without its ~20 µs of copying and checks
        out = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(obj)).decode("ascii")}
        if obj.ndim > 1:
            out["shape"] = str(obj.shape)[1:-1]
        return out
    return obj


def _check_classes(values, class_names, true_index, what):
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size != len(class_names):
        raise InputError(f"{what}: values have shape {v.shape}; expected ({len(class_names)},), "
                         "one per class name")
    if not 0 <= true_index < v.size:
        raise InputError(f"{what}: true_index is {true_index}; expected 0 <= true_index < {v.size}")
    return v


def _layout(title, **extra):
    """The layout every chart shares. Figures are built from plain dicts into a
    :class:`PlainFigure`: ``go.Scatter`` objects, ``update_layout``, ``add_vline`` and
    ``make_subplots`` validate the same properties again and again (4-14 ms a chart)."""
    return {"title": dict(text=title, x=0, font=dict(size=15)), "height": CHART_HEIGHT,
            "margin": MARGIN, "showlegend": False, **extra}  # extra may override the defaults


def _vline(x, colour, *, dash=None, width=2) -> dict:
    """A vertical line across the whole plot at data x (a shape, as ``add_vline`` makes)."""
    line = dict(color=colour, width=width) if dash is None else dict(color=colour, width=width,
                                                                       dash=dash)
    return dict(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain", line=line)


def _title(text) -> dict:
    return dict(text=text)


LEGEND_ABOVE = dict(orientation="h", y=1.0, x=1, xanchor="right", yanchor="bottom")


def make_probability_figure(probs, class_names, true_index) -> go.Figure:
    """Bars of softmax probabilities; the true class coloured and labelled."""
    p = _check_classes(probs, class_names, true_index, "make_probability_figure")
    colours = [TRUE_COLOUR if i == true_index else OTHER_COLOUR for i in range(p.size)]
    digits = 2 if p.size > MANY_CLASSES else 3
    # one constructor call with plain dicts: far cheaper than go.Bar(...) + update_layout
    return PlainFigure(
        data=[dict(type="bar", x=_bar_names(class_names, true_index), y=p,
                   marker=dict(color=colours), text=[f"{v:.{digits}f}" for v in p],
                   textfont=dict(size=11), textposition="outside", cliponaxis=False,
                   customdata=list(class_names),
                   hovertemplate="%{customdata}: p = %{y:.4f}<extra></extra>")],
        layout=dict(**_layout("Softmax probabilities p"),
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
    label = f"p = {p:.3g}, loss = {value:.3f}" + (" (off the chart)" if off_chart else "")
    # the label sits up and away from the curve, towards the middle of the chart
    note = dict(x=shown[0], y=shown[1], text=label, showarrow=True, arrowhead=0,
                arrowcolor=OTHER_COLOUR, ax=-70 if p > 0.5 else 60,
                ay=40 if shown[1] > 0.6 * top else -45, font=dict(size=12),
                bgcolor="rgba(255,255,255,0.85)")
    return PlainFigure(
        data=[dict(type="scatter", x=grid, y=-np.log(grid), mode="lines",
                   line=dict(color=CURVE_COLOUR, width=2),
                   hovertemplate="p = %{x:.3f}<br>−log p = %{y:.3f}<extra></extra>"),
              dict(type="scatter", x=[shown[0]], y=[shown[1]], mode="markers", cliponaxis=False,
                   marker=dict(color=POINT_COLOUR, size=13, line=dict(color="white", width=2),
                               symbol="triangle-up" if off_chart else "circle"),
                   hovertemplate=label + "<extra></extra>")],
        layout=dict(**_layout("Loss of the true class: −log p"), annotations=[note],
                    xaxis=dict(range=[0, 1.02], title=dict(text="p of the true class")),
                    yaxis=dict(range=[-0.04 * top, top], title=dict(text="loss"),
                               zeroline=False)))


MANY_CLASSES = 6  # above this, bar labels get two decimals and tick labels are shortened
TICK_LABEL_LENGTH = 12  # characters of a class name under a bar when there are many classes


def _bar_names(class_names, true_index):
    short = len(class_names) > MANY_CLASSES
    out = []
    for i, n in enumerate(class_names):
        n = n if not short or len(n) <= TICK_LABEL_LENGTH else n[:TICK_LABEL_LENGTH - 1] + "…"
        out.append(f"{n} (true)" if i == true_index and not short else n)
    return out


def make_gradient_figure(grad, class_names, true_index, *, temperature=1.0) -> go.Figure:
    """Bars of dL/dz: negative (raised by a descent step) and positive (lowered) coloured apart.

    With a temperature T the gradient is (softmax(z/T) - onehot(y)) / T, so the
    axis grows with 1/T instead of cutting the bars off.
    """
    g = _check_classes(grad, class_names, true_index, "make_gradient_figure")
    title = ("Gradient ∂L/∂z = p − onehot(y)" if temperature == 1 else
             "Gradient ∂L/∂z = (p − onehot(y)) / T")
    reach = max(1.0, float(np.abs(g).max(initial=0.0))) * 1.2
    colours = [OTHER_COLOUR if abs(v) < ZERO_GRADIENT else
               PUSH_UP_COLOUR if v < 0 else PUSH_DOWN_COLOUR for v in g]
    digits = 2 if g.size > MANY_CLASSES else 3
    text = ["0" if abs(v) < ZERO_GRADIENT else f"{v:+.{digits}f}" for v in g]
    return PlainFigure(
        data=[dict(type="bar", x=_bar_names(class_names, true_index), y=g,
                   marker=dict(color=colours), text=text, textfont=dict(size=11),
                   textposition="outside", cliponaxis=False, customdata=list(class_names),
                   hovertemplate="%{customdata}: ∂L/∂z = %{y:+.4f}<extra></extra>")],
        layout=dict(**_layout(title),
                    yaxis=dict(range=[-reach, reach], title=dict(text="gradient"),
                               zeroline=True, zerolinecolor="#444")))


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
        data=[dict(type="scatter", x=grid, y=1 / (1 + np.exp(-grid)), mode="lines",
                   line=dict(color=CURVE_COLOUR, width=2),
                   hovertemplate="z = %{x:.2f}<br>p = %{y:.4f}<extra></extra>"),
              dict(type="scatter", x=[shown_z], y=[p], mode="markers+text",
                   marker=dict(color=POINT_COLOUR, size=13, line=dict(color="white", width=2)),
                   text=[f"z = {float(z):.2f}, p = {p:.3f}"],
                   textposition="middle right" if shown_z < 3 else "middle left",
                   hoverinfo="skip")],
        layout=dict(**_layout("p = σ(z) = 1 / (1 + e⁻ᶻ)"),
                    xaxis=dict(range=[-SIGMOID_RANGE, SIGMOID_RANGE], title=_title("logit z"),
                               zeroline=True),
                    yaxis=dict(range=[-0.05, 1.05], title=_title("p"))))


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
        layout=dict(**_layout("On (0, 1] log x is negative; −log x is positive, 0 at x = 1",
                              margin={**MARGIN, "t": 65}),
                    **_panels(("log x", "−log x"), halves),
                    xaxis=dict(domain=halves[0], anchor="y", range=[0, 1.02], title=_title("x")),
                    xaxis2=dict(domain=halves[1], anchor="y2", range=[0, 1.02],
                                title=_title("x")),
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
    with np.errstate(divide="ignore"):
        loss = np.where(t == 1, -np.log(p), -np.log1p(-p))
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
    layout = dict(**_layout("Confident and wrong costs most"),
                  xaxis=dict(range=[-0.02, 1.02], title=_title("predicted p (of class 1)")),
                  yaxis=dict(range=[0, top], title=_title("loss")))
    # the legend sits in the empty middle top, between the two rising curves
    layout.update(showlegend=True, legend=dict(x=0.5, xanchor="center", y=0.98,
                                               bgcolor="rgba(255,255,255,0.8)", font=dict(size=11)))
    return PlainFigure(data=traces, layout=layout)


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
            shapes.append(_vline(t, colour, dash="dot"))
            # annotations on a log axis are placed by log10 of the position (shapes are not)
            notes.append(dict(x=float(np.log10(t)), y=0.5, text=f"{dtype} exp overflows: {t:.1f}",
                              textangle=-90, showarrow=False, xshift=-12,
                              font=dict(size=11, color=DTYPE_TEXT_COLOURS.get(dtype, colour))))
    if current is not None:
        shapes.append(_vline(float(current), POINT_COLOUR))
    layout = dict(**_layout("Naive softmax: p of the top class as its logit grows"),
                  xaxis=dict(title=_title("largest logit z (the others are 0 and −1)"), type="log"),
                  yaxis=dict(range=[0, 1.05], title=_title("p of the top class")),
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
    shapes = [_vline(float(current), POINT_COLOUR)] if current is not None and current > 0 else []
    layout = dict(**_layout("−log p near p = 0: where each convention caps it"),
                  xaxis=dict(type="log", title=_title("p of the true class (log scale)"),
                             exponentformat="power"),
                  yaxis=dict(title=_title("loss"), range=[0, 1.05 * top]), shapes=shapes)
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
        layout=dict(**_layout("One term of the sum: −y log y"),
                    xaxis=dict(range=[0, 1.02], title=_title("y (= t = p)")),
                    yaxis=dict(range=[0, 0.45], title=_title("−y log y")),
                    shapes=[_vline(peak, OTHER_COLOUR, dash="dot")],
                    annotations=[dict(x=peak, y=0, xref="x", yref="y domain", text="peak at y = 1/e",
                                      showarrow=False, xanchor="left", yanchor="bottom")]))


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
    layout = dict(**_layout("Cross-entropy = entropy + KL divergence, per row"),
                  barmode="stack", yaxis=dict(title=_title("nats"), rangemode="tozero"))
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
    return _bar_pair(t, s, class_names, ("target", "smoothed target"),
                     (OTHER_COLOUR, TRUE_COLOUR), ".3f",
                     layout=dict(**_layout("Label smoothing: (1 − ε)·t + ε/C"),
                                 yaxis=dict(range=[0, 1.15], title=_title("probability"))))


def _bar_pair(a, b, class_names, names, colours, digits, *, layout) -> go.Figure:
    """Two bar series over the same classes, grouped, labelled, with the legend above."""
    data = [dict(type="bar", x=list(class_names), y=v, name=n, marker=dict(color=c),
                 text=[f"{x:{digits}}" for x in v], textposition="outside", cliponaxis=False)
            for v, n, c in zip((a, b), names, colours)]
    layout.update(barmode="group", showlegend=True, legend=LEGEND_ABOVE,
                  margin={**layout.get("margin", MARGIN), "t": 70})
    return PlainFigure(data=data, layout=layout)


# ---------------------------------------------------------------- gradients page
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
    layout = dict(**_layout("Softmax Jacobian ∂p_i/∂z_j"), yaxis=dict(autorange="reversed"))
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
        layout=dict(**_layout("Gradient check: relative error against the step h"),
                    xaxis=dict(type="log", title=_title("step h"), exponentformat="power"),
                    yaxis=dict(type="log", title=_title("worst relative error"),
                               exponentformat="power"),
                    shapes=[] if current is None else [_vline(float(current), POINT_COLOUR)],
                    annotations=notes))


def make_gradient_pair_figure(first, second, class_names, *, names=("cross-entropy", "MSE")):
    """Two gradient vectors over the same classes, as grouped bars."""
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    if a.shape != b.shape or a.shape != (len(class_names),):
        raise InputError(f"make_gradient_pair_figure: shapes {a.shape} and {b.shape}; expected "
                         f"({len(class_names)},) each")
    reach = max(1.0, float(np.abs(np.concatenate([a, b])).max())) * 1.25
    return _bar_pair(a, b, class_names, names, (CURVE_COLOUR, "#e9c46a"), "+.3f",
                     layout=dict(**_layout("∂L/∂z for the same logits"),
                                 yaxis=dict(range=[-reach, reach], title=_title("gradient"))))


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
    shapes = [_vline(float(current), POINT_COLOUR)] if current is not None and current > 0 else []
    layout = dict(**_layout("How hard each loss pushes the true logit"),
                  xaxis=dict(type="log", title=_title("p of the true class (log scale)"),
                             exponentformat="power"),
                  yaxis=dict(title=_title("|∂L/∂z_y|"), range=[0, 1.1]), shapes=shapes)
    layout.update(showlegend=True, legend=dict(x=0.02, y=0.5))
    return PlainFigure(data=data, layout=layout)


# ---------------------------------------------------------------- animations
PANELS = ((0.0, 0.28), (0.36, 0.64), (0.72, 1.0))  # x domains of three side-by-side panels


def _panels(titles, domains) -> dict:
    """Titles over side-by-side panels, as make_subplots writes them (it costs ~15 ms a call)."""
    return {"annotations": [dict(text=t, x=sum(d) / 2, y=1.0, xref="paper", yref="paper",
                                 xanchor="center", yanchor="bottom", showarrow=False,
                                 font=dict(size=13)) for t, d in zip(titles, domains)]}


def _three_panels(titles, y_ranges) -> dict:
    """Layout of three side-by-side panels, by hand."""
    out = _panels(titles, PANELS)
    for n, (domain, y_range) in enumerate(zip(PANELS, y_ranges), start=1):
        suffix = "" if n == 1 else str(n)
        out[f"xaxis{suffix}"] = dict(domain=domain, anchor=f"y{suffix}")
        out[f"yaxis{suffix}"] = dict(range=y_range, anchor=f"x{suffix}")
    return out


def _frames(frame_traces, names, trace_indices) -> list[dict]:
    """Frame dicts: for each frame, the partial trace updates and its name."""
    return [dict(data=data, traces=list(trace_indices), name=str(name))
            for data, name in zip(frame_traces, names)]


# ---------------------------------------------------------------- descent page
MAX_FRAMES = 60  # frames of an animation: smooth enough, and the figure stays small
RUN_COLOURS = [OTHER_COLOUR, CURVE_COLOUR, POINT_COLOUR, "#e9c46a"]  # runs, in the same order everywhere


def _frame_steps(n_steps: int) -> np.ndarray:
    return np.unique(np.linspace(0, n_steps, min(n_steps + 1, MAX_FRAMES)).round().astype(int))


def make_descent_animation(probs, grads, losses, class_names, true_index) -> go.Figure:
    """Probabilities, gradient and loss of one run, moving together, with a play button.

    Args:
      probs, grads: ``[S + 1, C]`` along the run; losses: ``[S + 1]``.
    """
    p = np.asarray(probs, dtype=float)
    g = np.asarray(grads, dtype=float)
    loss = np.asarray(losses, dtype=float)
    c = len(class_names)
    if p.ndim != 2 or p.shape[1] != c or g.shape != p.shape or loss.shape != p.shape[:1]:
        raise InputError(f"make_descent_animation: probs {p.shape}, grads {g.shape}, losses "
                         f"{loss.shape}; expected [S + 1, {c}], [S + 1, {c}], [S + 1]")

    names = _bar_names(class_names, true_index)
    colours = [TRUE_COLOUR if i == true_index else OTHER_COLOUR for i in range(c)]
    steps = _frame_steps(p.shape[0] - 1)

    def gradient_colours(k):
        return [PUSH_UP_COLOUR if v < 0 else PUSH_DOWN_COLOUR for v in g[k]]

    def changes(k):  # what a frame updates; everything else stays as in the first frame
        return [dict(type="bar", y=p[k], text=[f"{v:.2f}" for v in p[k]]),
                dict(type="bar", y=g[k], marker=dict(color=gradient_colours(k))),
                dict(type="scatter", y=loss),
                dict(type="scatter", x=[int(k)], y=[float(loss[k])])]

    data = [
        dict(type="bar", x=names, y=p[0], marker=dict(color=colours),
             text=[f"{v:.2f}" for v in p[0]], textposition="outside", cliponaxis=False,
             xaxis="x", yaxis="y"),
        dict(type="bar", x=names, y=g[0], marker=dict(color=gradient_colours(0)),
             xaxis="x2", yaxis="y2"),
        dict(type="scatter", x=np.arange(loss.size), y=loss, mode="lines",
             line=dict(color=CURVE_COLOUR), xaxis="x3", yaxis="y3"),
        dict(type="scatter", x=[0], y=[loss[0]], mode="markers",
             marker=dict(color=POINT_COLOUR, size=12), xaxis="x3", yaxis="y3"),
    ]
    reach = max(1.0, float(np.abs(g).max())) * 1.1
    play = dict(label="▶ play", method="animate",
                args=[None, dict(frame=dict(duration=80, redraw=True), fromcurrent=True,
                                 transition=dict(duration=0))])
    pause = dict(label="❚❚ pause", method="animate",
                 args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")])
    layout = dict(
        **_layout("Gradient descent on the logits"),
        **_three_panels(("probabilities p", "gradient ∂L/∂z", "loss per step"),
                        ([0, 1.15], [-reach, reach],
                         [0, float(np.nanmax(loss)) * 1.1 + 1e-9])),
        updatemenus=[dict(type="buttons", buttons=[play, pause], direction="left", x=0, y=-0.25,
                          xanchor="left", yanchor="top", showactive=False)],
        sliders=[dict(active=0, x=0.16, y=-0.18, len=0.84, currentvalue=dict(prefix="step ", xanchor="right"),
                      steps=[dict(label=str(k), method="animate",
                                  args=[[str(k)], dict(mode="immediate",
                                                       frame=dict(duration=0, redraw=True))])
                             for k in steps])])
    layout["xaxis3"]["title"] = dict(text="step")
    layout.update(height=CHART_HEIGHT + 110, margin=dict(l=10, r=10, t=60, b=10))
    return PlainFigure(data=data, layout=layout,
                       frames=_frames([changes(k) for k in steps], steps, [0, 1, 2, 3]))


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
        pts = np.asarray(shading, dtype=float)
        val = np.asarray(shade_values, dtype=float)
        data.append(dict(
            type="scatterternary", a=pts[:, 0], b=pts[:, 1], c=pts[:, 2], mode="markers",
            hoverinfo="skip", showlegend=False,
            marker=dict(color=np.minimum(val, 6.0), colorscale=BLUES, reversescale=True,
                        size=7, symbol="triangle-up", opacity=0.55,
                        colorbar=dict(title=_title("loss"), thickness=10, x=1.02))))
    palette = RUN_COLOURS
    for i, (label, probs) in enumerate(runs.items()):
        q = np.asarray(probs, dtype=float)
        if q.ndim != 2 or q.shape[1] != 3:
            raise InputError(f"make_simplex_figure: run {label!r} has shape {q.shape}; "
                             "expected [S + 1, 3]")
        data.append(dict(
            type="scatterternary", a=q[:, 0], b=q[:, 1], c=q[:, 2], mode="lines+markers",
            name=label, line=dict(color=palette[i % len(palette)], width=2.5), marker=dict(size=4),
            hovertemplate="step %{customdata}<extra></extra>", customdata=np.arange(len(q))))
    layout = _layout("The path on the probability simplex")
    layout.update(height=CHART_HEIGHT + 120, showlegend=True, margin=dict(l=50, r=50, t=60, b=30),
                  legend=dict(orientation="h", y=-0.08),
                  ternary={f"{axis}axis": dict(title=_title(name), min=0)
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
                         line=dict(color=RUN_COLOURS[i % len(RUN_COLOURS)], width=2.5)))
    layout = dict(**_layout(title), xaxis=dict(title=dict(text="step")),
                  yaxis=dict(title=dict(text=y_title), type="log" if log_y else "linear"))
    layout.update(showlegend=True, legend=LEGEND_ABOVE)
    return PlainFigure(data=data, layout=layout)


# ---------------------------------------------------------------- training page
SPECIES_COLOURS = ["#2a9d8f", "#e9c46a", "#e76f51", "#8d99ae"]  # one per class, in order
REGION_COLOURS = ["#cfeae6", "#f8edc9", "#f7d3c8", "#e3e6ea"]  # lighter, for the regions


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
        **_layout("Training"),
        xaxis=dict(domain=halves[0], anchor="y", title=dict(text="epoch")),
        yaxis=dict(anchor="x", rangemode="tozero"),
        xaxis2=dict(domain=halves[1], anchor="y2", title=dict(text="epoch")),
        yaxis2=dict(anchor="x2", range=[0, 1.05]),
        **_panels(("mean cross-entropy", "accuracy"), halves))
    # the loss falls from the top left: its panel's top right is empty at any width
    layout.update(showlegend=True, legend=dict(x=halves[0][1], xanchor="right", y=1,
                                               yanchor="top", bgcolor="rgba(255,255,255,0.8)"),
                  margin={**MARGIN, "t": 70})
    return PlainFigure(data=data, layout=layout)


def make_decision_regions_figure(gx, gy, predictions, epochs, samples, class_names, *,
                                 axis_titles=("x", "y")) -> go.Figure:
    """Predicted class over the feature plane, one frame per epoch, with the samples on top.

    Args:
      gx, gy: grid coordinates ``[nx]``, ``[ny]``.
      predictions: ``[len(epochs), ny * nx]`` predicted class per grid point per frame.
      epochs: the epoch of each frame.
      samples: dict with ``x``, ``y``, ``label``, ``row``, ``held_out`` arrays ``[N]``.
      class_names: K names.
    """
    k = len(class_names)
    pred = np.asarray(predictions)
    gx, gy = np.asarray(gx, float), np.asarray(gy, float)
    if pred.ndim != 2 or pred.shape[1] != gx.size * gy.size or pred.shape[0] != len(epochs):
        raise InputError(f"make_decision_regions_figure: predictions has shape {pred.shape}; "
                         f"expected ({len(epochs)}, {gx.size * gy.size})")
    scale = [c for i in range(k) for c in ([i / k, REGION_COLOURS[i % 4]],
                                            [(i + 1) / k, REGION_COLOURS[i % 4]])]

    data = [dict(type="heatmap", x=gx, y=gy, z=pred[-1].reshape(gy.size, gx.size), zmin=-0.5,
                 zmax=k - 0.5, colorscale=scale, showscale=False, hoverinfo="skip")]
    label = np.asarray(samples["label"])
    held = np.asarray(samples["held_out"], bool)
    # one legend entry per species (its held-out flowers toggle with it), and one saying
    # what an open circle is: short enough for a phone's width
    for c in range(k):
        shown = False
        for part, symbol in ((~held, "circle"), (held, "circle-open")):
            idx = np.flatnonzero((label == c) & part)
            if idx.size == 0:
                continue
            data.append(dict(
                type="scatter", x=np.asarray(samples["x"])[idx], y=np.asarray(samples["y"])[idx],
                mode="markers", name=class_names[c], legendgroup=class_names[c],
                showlegend=not shown,
                marker=dict(color=SPECIES_COLOURS[c % 4], size=9, symbol=symbol,
                            line=dict(color="#1d2b36", width=1)),
                customdata=np.asarray(samples["row"])[idx],
                hovertemplate=f"{class_names[c]}, sample %{{customdata}}"
                              f"{' (held out)' if symbol == 'circle-open' else ''}<extra></extra>"))
            shown = True
    if held.any():
        data.append(dict(type="scatter", x=[None], y=[None], mode="markers", name="open: held out",
                         hoverinfo="skip", marker=dict(color="#1d2b36", size=9,
                                                       symbol="circle-open")))
    frame_dicts = _frames([[dict(type="heatmap", z=pred[f].reshape(gy.size, gx.size))]
                           for f in range(len(epochs))], epochs, [0])
    play = dict(label="▶ play", method="animate",
                args=[None, dict(frame=dict(duration=150, redraw=True), fromcurrent=True,
                                 transition=dict(duration=0))])
    layout = _layout("Decision regions; a dot's colour is its true species")
    layout["title"].update(y=1, yref="container", yanchor="top", pad=dict(t=10))  # above the legend
    layout.update(
        height=CHART_HEIGHT + 230, showlegend=True, margin=dict(l=10, r=10, t=90, b=120),
        legend=dict(orientation="h", x=0, y=1.01, yanchor="bottom", font=dict(size=11)),
        xaxis=dict(title=_title(axis_titles[0])), yaxis=dict(title=_title(axis_titles[1])),
        updatemenus=[dict(type="buttons", buttons=[play], x=0, y=-0.2, xanchor="left",
                          yanchor="top", showactive=False)],
        sliders=[dict(active=len(epochs) - 1, x=0.16, y=-0.2, len=0.84, yanchor="top",
                      currentvalue=dict(prefix="epoch ", xanchor="right"),
                      steps=[dict(label=str(e), method="animate",
                                  args=[[str(e)], dict(mode="immediate",
                                                       frame=dict(duration=0, redraw=True))])
                             for e in epochs])])
    return PlainFigure(data=data, layout=layout, frames=frame_dicts)


# ---------------------------------------------------------------- live sweep
def make_sweep_figure(sweep, class_names, true_index) -> go.Figure:
    """Drag one logit inside the figure: probabilities, gradient and the point on −log p follow.

    Every frame is precomputed (``sweep`` from :func:`cevis.explain.sweep_logit`), so the
    figure's own slider moves through them in the browser, with no round trip.
    """
    p, g, loss = sweep.probs, sweep.grads, sweep.losses
    c = len(class_names)
    if p.shape != (sweep.values.size, c) or g.shape != p.shape:
        raise InputError(f"make_sweep_figure: probs {p.shape}; expected ({sweep.values.size}, {c})")
    names = _bar_names(class_names, true_index)
    colours = [TRUE_COLOUR if i == true_index else OTHER_COLOUR for i in range(c)]
    p_true = p[:, true_index]
    curve_p = np.geomspace(max(float(p_true.min()), CURVE_P_FLOOR) / 2, 1.0, CURVE_POINTS)
    top = float(-np.log(curve_p[0]))

    def gradient_colours(k):
        return [OTHER_COLOUR if abs(v) < ZERO_GRADIENT else PUSH_UP_COLOUR if v < 0 else
                PUSH_DOWN_COLOUR for v in g[k]]

    def point(k):
        return dict(x=[max(float(p_true[k]), curve_p[0])], y=[min(float(loss[k]), top)],
                    text=[f"loss {loss[k]:.3f}"],
                    textposition="top right" if p_true[k] < 0.6 else "top left")

    def changes(k):  # what a frame updates; everything else stays as in the first frame
        return [dict(type="bar", y=p[k], text=[f"{v:.3f}" for v in p[k]]),
                dict(type="bar", y=g[k], text=[f"{v:+.3f}" for v in g[k]],
                     marker=dict(color=gradient_colours(k))),
                dict(type="scatter", **point(k))]

    k0 = sweep.start
    data = [
        dict(type="bar", x=names, y=p[k0], marker=dict(color=colours),
             text=[f"{v:.3f}" for v in p[k0]], textposition="outside", cliponaxis=False,
             hoverinfo="skip", xaxis="x", yaxis="y"),
        dict(type="bar", x=names, y=g[k0], marker=dict(color=gradient_colours(k0)),
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
        **_layout(f"Drag the slider: the logit of {moved}, live"),
        **_three_panels(titles, ([0, 1.18], [-reach, reach], [0, top * 1.05])),
        sliders=[dict(active=k0, x=0, len=1.0, y=-0.12, yanchor="top",
                      currentvalue=dict(prefix=f"z of {moved} = "),
                      steps=[dict(label=f"{v:g}", method="animate",
                                  args=[[str(k)], dict(mode="immediate", transition=dict(duration=0),
                                                       frame=dict(duration=0, redraw=True))])
                             for k, v in enumerate(sweep.values)])])
    layout["xaxis3"].update(range=[0, 1.02], title=dict(text="p of the true class"))
    layout.update(height=CHART_HEIGHT + 90, margin=dict(l=10, r=10, t=60, b=10))
    return PlainFigure(data=data, layout=layout, frames=_frames(
        [changes(k) for k in range(sweep.values.size)], range(sweep.values.size), [0, 1, 2]))
