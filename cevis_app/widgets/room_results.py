"""The class's answers as a chart, for the projector and for every phone after the reveal."""

from __future__ import annotations

from cevis_app import charts
from cevis_app.views.room import answer_histogram
from cevis_app.views.room_view import view_answers
from cevis_app.widgets import present


def answers_figure(question: dict, answers, mine=None):
    """Bars of the class's answers (large when presenting), the truth marked, ``mine`` highlighted."""
    height = charts.PROJECTOR_HEIGHT if present.active() else charts.ANSWERS_HEIGHT
    if question["kind"] == "view":  # every phone's view as a point on the −log p curve
        v = view_answers(question, answers, mine)
        return charts.make_view_answers_figure(v.p, v.loss, target=v.target, tolerance=v.tolerance,
                                               curve_p=v.curve_p, curve_loss=v.curve_loss, mine=v.mine,
                                               height=height)
    hist = answer_histogram(question, answers, mine)
    if question["kind"] == "choice":
        return charts.make_answers_figure(hist.counts, choices=hist.labels, truth_bar=hist.truth_bar,
                                          mine_bar=hist.mine, height=height)
    return charts.make_answers_figure(hist.counts, hist.edges, truth=hist.truth, mine=hist_value(mine),
                                      truth_bar=hist.truth_bar, mine_bar=hist.mine, height=height)


def hist_value(mine):
    """The student's own number for the ● mark (None: no answer, or not a number)."""
    return float(mine) if isinstance(mine, (int, float)) and not isinstance(mine, bool) else None
