"""The class's answers to a room question: a histogram beside the true value."""

from __future__ import annotations

import numpy as np

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import POINT_COLOUR
from cevis_app.charts.style import TRUE_COLOUR
from cevis_app.charts.style import base_layout
from cevis_app.charts.style import vline

MAX_TICKS = 6  # y ticks on the count axis
ANSWERS_HEIGHT = 320  # px: the histogram is the projector's main chart at reveal


def _title(counts) -> str:
    n = int(np.sum(counts))
    return f"{n} answer{'s' if n != 1 else ''}"


def _count_axis(counts) -> dict:
    """Whole students on the y axis: ticks 1 apart up to MAX_TICKS, then spaced further."""
    top = int(np.max(counts, initial=0))
    return dict(title=dict(text="students"), rangemode="tozero", dtick=max(1, -(-top // MAX_TICKS)))


def make_answers_figure(counts, edges=None, *, choices=None, truth=None) -> PlainFigure:
    """Bars of answer counts: over bins ``edges`` [B+1] for an estimate (truth = a value, drawn
    as a line), or one bar per label in ``choices`` [B] (truth = the right choice's index)."""
    c = np.asarray(counts, dtype=np.int64)
    if c.ndim != 1 or (c < 0).any():
        raise InputError(f"make_answers_figure: counts has shape {c.shape}; expected [B] counts >= 0")
    if choices is not None:
        if len(choices) != c.size:
            raise InputError(f"make_answers_figure: {len(choices)} choices for {c.size} counts")
        colours = [TRUE_COLOUR if i == truth else OTHER_COLOUR for i in range(c.size)]
        return PlainFigure(
            data=[dict(type="bar", x=[str(x) for x in choices], y=c, marker=dict(color=colours),
                       text=[str(int(v)) for v in c], textposition="outside", cliponaxis=False,
                       hovertemplate="%{x}: %{y}<extra></extra>")],
            layout=dict(**base_layout(_title(c), height=ANSWERS_HEIGHT),
                        yaxis=_count_axis(c)))
    e = np.asarray(edges, dtype=np.float64)
    if e.shape != (c.size + 1,) or not np.all(np.diff(e) > 0):
        raise InputError(f"make_answers_figure: edges has shape {e.shape}; expected ({c.size + 1},), "
                         "increasing")
    shapes, notes = [], []
    if truth is not None:
        shapes.append(vline(float(truth), POINT_COLOUR, width=3))
        notes.append(dict(x=float(truth), y=1.0, yref="y domain", text=f"true value {truth:.3f}",
                          showarrow=False, xanchor="left", yanchor="bottom", font=dict(color=POINT_COLOUR)))
    return PlainFigure(
        data=[dict(type="bar", x=(e[:-1] + e[1:]) / 2, y=c, width=np.diff(e) * 0.95,
                   marker=dict(color=OTHER_COLOUR), text=[str(int(v)) if v else "" for v in c],
                   textposition="outside", cliponaxis=False,
                   customdata=[f"{a:g} to {b:g}" for a, b in zip(e[:-1], e[1:])],
                   hovertemplate="%{customdata}: %{y}<extra></extra>")],
        layout=dict(**base_layout(_title(c), height=ANSWERS_HEIGHT), shapes=shapes, annotations=notes,
                    xaxis=dict(title=dict(text="answer")),
                    yaxis=_count_axis(c)))
