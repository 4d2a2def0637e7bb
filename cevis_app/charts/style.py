"""Chart style: one palette, sizes, the shared layout and the small layout helpers every chart family uses.

Colours are chosen once here so every page looks the same.
"""

from __future__ import annotations

import numpy as np
import plotly.colors as pcolors

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure

# Okabe & Ito's colour-blind-safe palette (https://jfly.uni-koeln.de/color/): blue and
# vermillion stay apart under every common colour-vision deficiency; meaning never rests on
# colour alone (the true class has ✓ and a hatch, gradients ↑/↓, species their own markers).
OKABE_ITO = {"blue": "#0072B2", "vermillion": "#D55E00", "orange": "#E69F00",
             "bluish green": "#009E73", "reddish purple": "#CC79A7", "sky blue": "#56B4E9"}
TRUE_COLOUR = OKABE_ITO["blue"]  # the true class, on every chart
OTHER_COLOUR = "#aab2bd"  # every other class: a light grey, darker than the page, lighter than blue
PUSH_UP_COLOUR = OKABE_ITO["blue"]  # negative gradient: descent raises this logit (↑)
PUSH_DOWN_COLOUR = OKABE_ITO["vermillion"]  # positive gradient: descent lowers this logit (↓)
CURVE_COLOUR = "#264653"
POINT_COLOUR = OKABE_ITO["vermillion"]
TRUE_PATTERN = dict(shape="/", fgcolor="rgba(255,255,255,0.55)", size=8, solidity=0.25)  # hatch: true
TEXT_COLOUR = "#3b4250"  # tick labels, bar labels, notes: 10.4:1 on white (WCAG asks 4.5:1)
TITLE_COLOUR = "#1d2b36"  # the theme's text colour: titles
CHART_HEIGHT = 300  # px: three charts fit a laptop screen side by side or stacked
CURVE_POINTS = 400  # samples of the -log(p) curve; smooth at any chart width
CURVE_P_MIN = 1e-3  # -log(1e-3) = 6.9: the curve's left end unless the point lies further left
CURVE_P_FLOOR = 1e-6  # -log(1e-6) = 13.8: the furthest the curve follows a point
ZERO_GRADIENT = 5e-4  # a gradient that rounds to 0.000 is drawn grey, neither up nor down
MARGIN = dict(l=10, r=10, t=40, b=10)
TEXT_PX = 13  # ticks, bar labels, legends, notes: 13 px reads on a laptop and a phone
TITLE_PX = 16  # chart titles
PRESENT_SCALE = 1.4  # presentation mode: 13 px * 1.4 = 18.2 px, the projector minimum of 18 px
# plotly's "Blues", written out: plotly.js has a different scale under the same name
BLUES = [[i / (len(pcolors.sequential.Blues) - 1), c]
         for i, c in enumerate(pcolors.sequential.Blues)]


def check_classes(values, class_names, true_index, what):
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size != len(class_names):
        raise InputError(f"{what}: values have shape {v.shape}; expected ({len(class_names)},), "
                         "one per class name")
    if not 0 <= true_index < v.size:
        raise InputError(f"{what}: true_index is {true_index}; expected 0 <= true_index < {v.size}")
    return v


def base_layout(title, **extra):
    """The layout every chart shares. Figures are built from plain dicts into a
    :class:`PlainFigure`: ``go.Scatter`` objects, ``update_layout``, ``add_vline`` and
    ``make_subplots`` validate the same properties again and again (4-14 ms a chart).
    Fonts are set once for every figure by :func:`cevis_app.charts.text_style.readable`."""
    return {"title": dict(text=title, x=0, font=dict(size=TITLE_PX)), "height": CHART_HEIGHT,
            "margin": MARGIN, "showlegend": False, **extra}  # extra may override the defaults


def vline(x, colour, *, dash=None, width=2) -> dict:
    """A vertical line across the whole plot at data x (a shape, as ``add_vline`` makes)."""
    line = dict(color=colour, width=width) if dash is None else dict(color=colour, width=width,
                                                                       dash=dash)
    return dict(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain", line=line)


def axis_title(text) -> dict:
    return dict(text=text)


LEGEND_ABOVE = dict(orientation="h", y=1.0, x=1, xanchor="right", yanchor="bottom")


MANY_CLASSES = 6  # above this, bar labels get two decimals and tick labels are shortened
TICK_LABEL_LENGTH = 12  # characters of a class name under a bar when there are many classes


def bar_names(class_names, true_index):
    short = len(class_names) > MANY_CLASSES
    out = []
    for i, n in enumerate(class_names):
        n = n if not short or len(n) <= TICK_LABEL_LENGTH else n[:TICK_LABEL_LENGTH - 1] + "…"
        out.append(f"{n} ✓" if i == true_index else n)  # ✓: the true class, not by colour alone
    return out


PANELS = ((0.0, 0.28), (0.36, 0.64), (0.72, 1.0))  # x domains of three side-by-side panels


def panel_titles(titles, domains) -> dict:
    """Titles over side-by-side panels, as make_subplots writes them (it costs ~15 ms a call)."""
    return {"annotations": [dict(text=t, x=sum(d) / 2, y=1.0, xref="paper", yref="paper",
                                 xanchor="center", yanchor="bottom", showarrow=False,
                                 font=dict(size=13)) for t, d in zip(titles, domains)]}


def three_panels(titles, y_ranges) -> dict:
    """Layout of three side-by-side panels, by hand."""
    out = panel_titles(titles, PANELS)
    for n, (domain, y_range) in enumerate(zip(PANELS, y_ranges), start=1):
        suffix = "" if n == 1 else str(n)
        out[f"xaxis{suffix}"] = dict(domain=domain, anchor=f"y{suffix}")
        out[f"yaxis{suffix}"] = dict(range=y_range, anchor=f"x{suffix}")
    return out


def animation_controls(names, prefix, *, duration, active, pause=True, y=(-0.25, -0.18)) -> dict:
    """A play button (and a pause button) and a slider over an animation's frames.

    Args:
      names: the frames' names, also the slider's step labels, in order.
      prefix: the slider's current-value prefix ("step ", "epoch ").
      duration: ms a frame is shown while playing.
      active: the slider position drawn first (the frame the figure's data shows).
      y: the buttons' and the slider's top edges, in the plot's height below its bottom.
    Returns ``{"updatemenus": [...], "sliders": [...]}`` to merge into a layout.
    """
    play = dict(label="▶ play", method="animate",
                args=[None, dict(frame=dict(duration=duration, redraw=True), fromcurrent=True,
                                 transition=dict(duration=0))])
    pause_button = dict(label="❚❚ pause", method="animate",
                        args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")])
    buttons = [play, pause_button] if pause else [play]
    steps = [dict(label=str(k), method="animate",
                  args=[[str(k)], dict(mode="immediate", frame=dict(duration=0, redraw=True))])
             for k in names]
    return dict(
        updatemenus=[dict(type="buttons", buttons=buttons, direction="left", x=0, y=y[0],
                          xanchor="left", yanchor="top", showactive=False)],
        sliders=[dict(active=active, x=0.16, y=y[1], len=0.84, yanchor="top",
                      currentvalue=dict(prefix=prefix, xanchor="right"), steps=steps)])


def frames_of(frame_traces, names, trace_indices) -> list[dict]:
    """Frame dicts: for each frame, the partial trace updates and its name."""
    return [dict(data=data, traces=list(trace_indices), name=str(name))
            for data, name in zip(frame_traces, names)]


# ---------------------------------------------------------------- descent page
MAX_FRAMES = 60  # frames of an animation: smooth enough, and the figure stays small
RUN_COLOURS = [OKABE_ITO["blue"], OKABE_ITO["vermillion"], CURVE_COLOUR, OKABE_ITO["orange"]]  # runs
RUN_DASHES = ["solid", "dash", "dot", "dashdot"]  # and a dash each: runs differ by more than colour


def frame_steps(n_steps: int) -> np.ndarray:
    return np.unique(np.linspace(0, n_steps, min(n_steps + 1, MAX_FRAMES)).round().astype(int))


def bar_pair(a, b, class_names, names, colours, digits, *, layout) -> PlainFigure:
    """Two bar series over the same classes, grouped, labelled, with the legend above."""
    data = [dict(type="bar", x=list(class_names), y=v, name=n, marker=dict(color=c),
                 text=[f"{x:{digits}}" for x in v], textposition="outside", cliponaxis=False)
            for v, n, c in zip((a, b), names, colours)]
    layout.update(barmode="group", showlegend=True, legend=LEGEND_ABOVE,
                  margin={**layout.get("margin", MARGIN), "t": 70})
    return PlainFigure(data=data, layout=layout)


def gradient_arrow(value) -> str:
    """↑ when a descent step raises the logit (negative gradient), ↓ when it lowers it, "" for 0."""
    return "" if abs(value) < ZERO_GRADIENT else "↑ " if value < 0 else "↓ "


def true_patterns(count, true_index) -> dict:
    """A bar pattern that marks the true class's bar with a hatch, the others plain."""
    return dict(TRUE_PATTERN, shape=["/" if i == true_index else "" for i in range(count)])


def gradient_colours(grad) -> list[str]:
    """One colour per gradient entry: raised by a descent step (negative), lowered (positive),
    or grey when it rounds to 0.000 and so pushes neither way."""
    return [OTHER_COLOUR if abs(v) < ZERO_GRADIENT else PUSH_UP_COLOUR if v < 0 else PUSH_DOWN_COLOUR
            for v in grad]
