"""The class's answers to a room question: bars of counts, the truth and the student's own answer.

The truth is marked by shape and label as well as colour: its bar is blue and hatched, a
choice's label starts with ✓, a number's true value is a ▲ under the axis named in the
title. The student's own answer has a dark outline (and a ● under the axis for a number,
"(yours)" under an option); no mark crosses a bar's count. Teacher-written text is
escaped: plotly draws no markup of it.
"""

from __future__ import annotations

import numpy as np

from cevis import InputError
from cevis_app.charts._unvalidated import PlainFigure
from cevis_app.charts.style import CURVE_COLOUR
from cevis_app.charts.style import OTHER_COLOUR
from cevis_app.charts.style import TRUE_COLOUR
from cevis_app.charts.style import TRUE_PATTERN
from cevis_app.charts.style import base_layout

MAX_TICKS = 6  # ticks on the count axis
ANSWERS_HEIGHT = 320  # px: on a phone and beside the sample on a laptop
PROJECTOR_HEIGHT = 440  # px: the projector's main chart at the reveal
CHOICE_ROW_PX = 46  # px per option of a choice chart (horizontal bars: long options read on a phone)
LABEL_CHARS = 28  # characters of an option on its axis; the whole text is in the hover
MINE_LINE = dict(color=CURVE_COLOUR, width=3)  # the outline of the student's own bar
MARK_BAND = 0.14  # of the count axis, below 0: where ▲ (truth) and ● (yours) sit, clear of the bars
TRUTH_MARK = dict(symbol="triangle-up", size=16, color=TRUE_COLOUR, line=dict(color="white", width=1))
MINE_MARK = dict(symbol="circle", size=12, color=CURVE_COLOUR, line=dict(color="white", width=1))


def plotly_plain(text) -> str:
    """``text`` as plotly shows it literally: its pseudo-HTML (<b>, <a href>, <br>) escaped.

    >>> plotly_plain('<a href="x">=1 & 2</a>')
    '&lt;a href="x"&gt;=1 &amp; 2&lt;/a&gt;'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def _count(counts) -> str:
    n = int(np.sum(counts))
    return f"{n} answer{'s' if n != 1 else ''}"


def _count_axis(counts, *, band: bool) -> dict:
    """Whole students: ticks 1 apart up to MAX_TICKS, then spaced further; room above the
    tallest bar for its count, and (``band``) below 0 for the ▲ and ● marks."""
    top = max(1, int(np.max(counts, initial=0)))
    low = -MARK_BAND * top * 1.2 if band else 0
    return dict(title=dict(text="students"), range=[low, top * 1.2], tick0=0,
                dtick=max(1, -(-top // MAX_TICKS)), zeroline=True)


def _bar_style(count: int, truth_bar, mine_bar) -> dict:
    colours = [TRUE_COLOUR if i == truth_bar else OTHER_COLOUR for i in range(count)]
    shapes = ["/" if i == truth_bar else "" for i in range(count)]
    widths = [MINE_LINE["width"] if i == mine_bar else 0 for i in range(count)]
    return dict(color=colours, pattern=dict(TRUE_PATTERN, shape=shapes),
                line=dict(color=MINE_LINE["color"], width=widths))


def _check(c, truth_bar, mine_bar):
    if c.ndim != 1 or (c < 0).any():
        raise InputError(f"make_answers_figure: counts has shape {c.shape}; expected [B] counts >= 0")
    for name, bar in (("truth_bar", truth_bar), ("mine_bar", mine_bar)):
        if bar is not None and not 0 <= bar < c.size:
            raise InputError(f"make_answers_figure: {name} is {bar}; expected a bar from 0 to {c.size - 1}")


def make_answers_figure(counts, edges=None, *, choices=None, truth=None, mine=None,
                        truth_bar=None, mine_bar=None, height=ANSWERS_HEIGHT) -> PlainFigure:
    """Bars of answer counts [B]: over bins ``edges`` [B+1] for a number (``truth`` and
    ``mine``: values, drawn as ▲ and ● under the axis), or one horizontal bar per option in
    ``choices`` [B]. ``truth_bar`` and ``mine_bar``: the bars holding the truth (hatched,
    blue) and the student's own answer (outlined); for choices, the option indices."""
    c = np.asarray(counts, dtype=np.int64)
    _check(c, truth_bar, mine_bar)
    if choices is not None:
        if len(choices) != c.size:
            raise InputError(f"make_answers_figure: {len(choices)} choices for {c.size} counts")
        return _choices_figure(c, [str(x) for x in choices], truth_bar, mine_bar, height)
    e = np.asarray(edges, dtype=np.float64)
    if e.shape != (c.size + 1,) or not np.all(np.diff(e) > 0):
        raise InputError(f"make_answers_figure: edges has shape {e.shape}; expected ({c.size + 1},), "
                         "increasing")
    title = _count(c)
    marks = []
    for value, name, marker in ((truth, "true value", TRUTH_MARK), (mine, "yours", MINE_MARK)):
        if value is not None:
            sign = "▲" if marker is TRUTH_MARK else "●"
            title += f" · {sign} {name} {float(value):.3f}"
            marks.append(dict(type="scatter", x=[float(value)], y=[-MARK_BAND * max(1, c.max(initial=0)) / 2],
                              mode="markers", marker=marker, cliponaxis=False, name=name,
                              hovertemplate=f"{name} %{{x:.3f}}<extra></extra>"))
    bars = dict(type="bar", x=(e[:-1] + e[1:]) / 2, y=c, width=np.diff(e) * 0.95,
                marker=_bar_style(c.size, truth_bar, mine_bar),
                text=[str(int(v)) if v else "" for v in c], textposition="outside", cliponaxis=False,
                customdata=[f"{a:g} to {b:g}" for a, b in zip(e[:-1], e[1:])],
                hovertemplate="%{customdata}: %{y}<extra></extra>")
    return PlainFigure(
        data=[bars, *marks],
        layout=dict(**base_layout(title, height=height), xaxis=dict(title=dict(text="answer")),
                    yaxis=_count_axis(c, band=True)))


def _choices_figure(c, choices, truth_bar, mine_bar, height) -> PlainFigure:
    # "(yours)" under the option: beside the bar it may not fit on a phone
    labels = [("✓ " if i == truth_bar else "") + _short(plotly_plain(x))
              + ("<br>(yours)" if i == mine_bar else "") for i, x in enumerate(choices)]
    text = [str(int(v)) for v in c]
    title = _count(c) + (" · ✓ the right answer" if truth_bar is not None else "")
    top = max(1, int(np.max(c, initial=0)))
    return PlainFigure(
        data=[dict(type="bar", orientation="h", y=list(range(c.size)), x=c,
                   marker=_bar_style(c.size, truth_bar, mine_bar), text=text,
                   textposition="outside", cliponaxis=False,
                   customdata=[plotly_plain(x) for x in choices],
                   hovertemplate="%{customdata}: %{x}<extra></extra>")],
        layout=dict(**base_layout(title, height=max(height, 90 + CHOICE_ROW_PX * c.size)),
                    yaxis=dict(tickmode="array", tickvals=list(range(c.size)), ticktext=labels,
                               autorange="reversed"),
                    xaxis=dict(title=dict(text="students"), range=[0, top * 1.45], tick0=0,
                               dtick=max(1, -(-top // MAX_TICKS)))))
