"""Readable chart text, in one place: every font of a figure set to the app's sizes and colours.

Chart builders say what to draw; :func:`readable` then sets every text a figure can show
(title, axes, ticks, bar labels, annotations, legend, colour bars, animation buttons and
sliders) to ``TEXT_PX``/``TITLE_PX`` times a ``scale`` (1 normally, ``PRESENT_SCALE`` in
presentation mode) in colours with at least 4.5:1 contrast on white. Explicit fonts are
needed: Streamlit's chart theme draws text in rgb(128,132,149), 3.72:1 on white.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import TEXT_COLOUR
from cevis_app.charts.style import TEXT_PX
from cevis_app.charts.style import TITLE_COLOUR
from cevis_app.charts.style import TITLE_PX

MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text: a note's own colour is kept only above this
CARTESIAN_AXIS = re.compile(r"^[xy]axis\d*$")
TERNARY_AXES = ("aaxis", "baxis", "caxis")
NOT_CARTESIAN = frozenset({"scatterternary", "pie", "sunburst", "treemap"})  # draw no x/y axes
TITLE_CHARS = 30  # a longer title wraps: a chart in half a column at 1280x720 and 150 % holds ~27-35
PRESENT_TITLE_CHARS = 24  # presenting: a half-width chart (~270 px) at 20 px holds ~26
PRESENT_TITLE_PX = 20  # presenting: titles at 20 px, not 16 * 1.4 = 22.4, to fit more per line
LINE_HEIGHT = 1.3  # of a wrapped title's lines, in font sizes


def wrap_title(text: str, limit: int) -> list[str]:
    """Lines of at most ``limit`` characters (a longer word stays whole), split at spaces.

    >>> wrap_title("Gradient ∂L/∂z = p − onehot(y)", 24)
    ['Gradient ∂L/∂z = p −', 'onehot(y)']
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of an opaque ``#rrggbb`` colour against white: 1 to 21."""
    if not (isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour)):
        return 0.0  # named or rgba colours: unknown, so replaced
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 1.05 / (luminance + 0.05)


def _font(old, px, colour) -> dict:
    """``old`` font with the size set and its colour kept only when it is readable on white."""
    old = dict(old or {})
    keep = contrast_on_white(old.get("color")) >= MIN_CONTRAST
    return {**old, "size": px, "color": old["color"] if keep else colour}


def _axis(axis, px, scale=1.0) -> dict:
    axis = dict(axis or {})
    if axis.get("type") == "log" and "dtick" not in axis:
        axis["dtick"] = 1  # one label per power of ten: no minor "2" and "5" at 0.75 the size
    title = axis.get("title")
    title = dict(title) if isinstance(title, dict) else {} if title is None else dict(text=title)
    title["font"] = _font(title.get("font"), px, TEXT_COLOUR)
    return {**axis, "tickfont": _font(axis.get("tickfont"), px, TEXT_COLOUR), "title": title,
            "automargin": True}


def _trace(trace, px) -> dict:
    trace = dict(trace)
    if "text" in trace or "texttemplate" in trace:
        trace["textfont"] = _font(trace.get("textfont"), px, TEXT_COLOUR)
    for holder in (trace, trace.get("marker")):
        if isinstance(holder, dict) and isinstance(holder.get("colorbar"), dict):
            bar = dict(holder["colorbar"])
            bar["tickfont"] = _font(bar.get("tickfont"), px, TEXT_COLOUR)
            title = dict(bar.get("title") or {})
            title["font"] = _font(title.get("font"), px, TEXT_COLOUR)
            bar["title"] = title
            if holder is trace:
                trace["colorbar"] = bar
            else:
                trace["marker"] = {**holder, "colorbar": bar}
    return trace


def _controls(layout, px) -> None:
    """Animation buttons and sliders: their labels and the "step 12" readout."""
    if "updatemenus" in layout:
        layout["updatemenus"] = [{**m, "font": _font(m.get("font"), px, TEXT_COLOUR)}
                                 for m in layout["updatemenus"]]
    if "sliders" in layout:
        layout["sliders"] = [
            {**s, "font": _font(s.get("font"), px, TEXT_COLOUR),
             "currentvalue": {**s.get("currentvalue", {}),
                              "font": _font(s.get("currentvalue", {}).get("font"), px,
                                            TEXT_COLOUR)}}
            for s in layout["sliders"]]


def _layout(layout, data, px, title_px, scale) -> dict:
    layout = dict(layout)
    layout["font"] = _font(layout.get("font"), px, TEXT_COLOUR)
    _title(layout, title_px, PRESENT_TITLE_CHARS if scale > 1 else TITLE_CHARS)
    cartesian = any(t.get("type", "scatter") not in NOT_CARTESIAN for t in data)
    keys = {k for k in layout if CARTESIAN_AXIS.match(k)} | ({"xaxis", "yaxis"} if cartesian else set())
    for key in keys:
        layout[key] = _axis(layout.get(key), px, scale)
    if isinstance(layout.get("ternary"), dict):
        layout["ternary"] = {**layout["ternary"],
                             **{k: _axis(layout["ternary"].get(k), px, scale) for k in TERNARY_AXES}}
    if "annotations" in layout:
        layout["annotations"] = [{**a, "font": _font(a.get("font"), px, TEXT_COLOUR)}
                                 for a in layout["annotations"]]
    layout["legend"] = {**layout.get("legend", {}),
                        "font": _font(layout.get("legend", {}).get("font"), px, TEXT_COLOUR)}
    _controls(layout, px)
    if scale > 1:  # presenting: a bar's label keeps its size (plotly shrinks it to fit the bar)
        layout["uniformtext"] = {"minsize": px, "mode": "show"}
    return layout


def _pad(title_px) -> int:
    return round(0.6 * title_px) + 4


def _title(layout, title_px, limit) -> None:
    """The title in its font, wrapped at ``limit`` characters, at the top of the chart; the
    top margin grows by what the title needs beyond one line at the base size."""
    title = layout.get("title")
    if not isinstance(title, dict):
        return
    lines = wrap_title(str(title.get("text", "")), limit)
    layout["title"] = {**title, "text": "<br>".join(lines),
                       "font": _font(title.get("font"), title_px, TITLE_COLOUR)}
    if title.get("yref") != "container":  # a chart that places its own title keeps it
        # plotly anchors a wrapped title's top by its first baseline: ~0.6 em more pad or the
        # first line is clipped at the top edge
        layout["title"].update(yref="container", y=1, yanchor="top", pad=dict(t=_pad(title_px)))
    extra = round(_pad(title_px) + len(lines) * title_px * LINE_HEIGHT
                  - _pad(TITLE_PX) - TITLE_PX * LINE_HEIGHT)
    margin = dict(layout.get("margin") or {})
    layout["margin"] = {**margin, "t": margin.get("t", 40) + max(extra, 0)}


def readable(fig, *, scale: float = 1.0) -> go.Figure:
    """The same figure with every text at ``TEXT_PX * scale`` px (titles ``TITLE_PX * scale``).

    Colours: ``TEXT_COLOUR``/``TITLE_COLOUR``, or a text's own colour when it has at least
    ``MIN_CONTRAST`` (4.5:1) on white. Frames keep the fonts of the traces they update.

    >>> fig = readable(PlainFigure(data=[dict(type="bar", x=["a"], y=[1], text=["1"])]), scale=1.4)
    >>> fig.to_dict()["data"][0]["textfont"]
    {'size': 18.2, 'color': '#3b4250'}
    """
    if not 0.5 <= scale <= 3:
        raise InputError(f"readable: scale is {scale!r}; expected a number in [0.5, 3]")
    spec = fig.__dict__.get("_spec") or fig.to_plotly_json()  # a PlainFigure's dicts, or any figure's
    px = round(TEXT_PX * scale, 1)
    title_px = TITLE_PX if scale == 1 else max(PRESENT_TITLE_PX, round(TITLE_PX * scale * 0.9, 1))
    data = [_trace(t, px) for t in spec.get("data", ())]
    layout = _layout(spec.get("layout") or {}, data, px, title_px, scale)
    return PlainFigure(data=data, layout=layout, frames=spec.get("frames", ()))
