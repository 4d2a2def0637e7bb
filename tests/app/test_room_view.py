"""The room's view-model and chart: the followed sample, the loss question, the answers' histogram.

Expected values are closed forms or counts written out by hand.
"""

import math

import numpy as np
import pytest

from cevis import InputError
from cevis_app.charts import make_answers_figure
from cevis_app.rooms.checks import check_question
from cevis_app.views.room import LOSS_ANSWER_MAX
from cevis_app.views.room import answer_histogram
from cevis_app.views.room import clean_sample
from cevis_app.views.room import loss_question
from cevis_app.views.room import sample_view


def test_clean_sample_keeps_only_values_the_explorer_widgets_accept():
    state = {"explorer.classes": 4, "explorer.names": "a, b, c, d", "explorer.y": 3, "explorer.T": 0.5,
             "explorer.z0": -10, "explorer.z1": 10.0, "explorer.z2": 10.5, "explorer.z3": float("nan"),
             "explorer.z4": True, "explorer.z5": "1", "page": "explorer", "secret": "x"}
    assert clean_sample(state) == {"explorer.classes": 4, "explorer.names": "a, b, c, d",
                                   "explorer.y": 3, "explorer.T": 0.5, "explorer.z0": -10.0,
                                   "explorer.z1": 10.0}


@pytest.mark.parametrize("bad", [
    {"explorer.classes": 11}, {"explorer.classes": 1}, {"explorer.classes": 3.0},
    {"explorer.classes": True}, {"explorer.names": "x" * 301}, {"explorer.names": 5},
    {"explorer.T": 0.05}, {"explorer.T": 6}, {"explorer.T": math.inf},
    {"explorer.classes": 3, "explorer.y": 3}, {"explorer.y": -1}, {"explorer.y": False},
])
def test_clean_sample_drops_what_a_widget_would_refuse(bad):
    kept = clean_sample(bad)
    assert all(bad.get(k) == v for k, v in kept.items())
    assert len(kept) == len(bad) - 1


@pytest.mark.parametrize("state", [None, [], "explorer.z0=1", 3])
def test_clean_sample_of_a_non_dict_is_empty(state):
    assert clean_sample(state) == {}


def test_sample_view_fills_in_the_explorer_defaults():
    assert sample_view({}) == (["panda", "seal", "duck"], [0.0, 0.0, 0.0], 0, 1.0)
    names, logits, y, t = sample_view({"explorer.classes": 2, "explorer.names": "cat, dog",
                                       "explorer.z1": 1.5, "explorer.y": 1, "explorer.T": 2.0})
    assert (names, logits, y, t) == (["cat", "dog"], [0.0, 1.5], 1, 2.0)


@pytest.mark.parametrize("logits, y, t", [([0.0, 10.0, 0.0], 0, 1.0), ([2.0, 1.0, 0.1], 2, 0.5),
                                          ([-10.0, 10.0], 0, 0.1)])
def test_the_loss_question_carries_the_closed_form_loss(logits, y, t):
    question = loss_question(logits, y, t)
    expected = math.log(sum(math.exp(z / t) for z in logits)) - logits[y] / t
    assert question["truth"] == pytest.approx(expected, rel=1e-12)
    assert check_question(question) == question  # the store accepts it as it is
    assert question["low"] == 0.0 and question["high"] == LOSS_ANSWER_MAX


def test_estimate_histogram_counts_each_answer_once_in_nice_bins():
    h = answer_histogram({"kind": "estimate", "truth": 2.3}, [0.1, 0.9, 1.0, 1.0, 4.75])
    width = h.edges[1] - h.edges[0]
    assert width == pytest.approx(0.5)  # span 4.65 / 12 bins = 0.39 -> the next of 1, 2, 5: 0.5
    assert h.edges[0] == 0.0 and h.edges[-1] == pytest.approx(5.0)
    assert h.counts.tolist() == [1, 1, 2, 0, 0, 0, 0, 0, 0, 1]  # [0, .5) [.5, 1) [1, 1.5) ... [4.5, 5]
    assert h.truth == 2.3


def test_estimate_histogram_of_one_value_and_of_none():
    one = answer_histogram({"kind": "estimate", "truth": None}, [3.0])
    assert one.counts.sum() == 1 and one.edges[0] <= 3.0 <= one.edges[-1]
    none = answer_histogram({"kind": "estimate", "truth": 1.0}, [])
    assert none.counts.sum() == 0 and none.edges[0] <= 1.0 <= none.edges[-1]


def test_the_largest_answer_is_never_lost_to_rounding():
    answers = list(np.linspace(0.1, 0.7, 7))
    h = answer_histogram({"kind": "estimate", "truth": 0.3}, answers)
    assert h.counts.sum() == 7 and h.edges[-1] >= 0.7


def test_choice_histogram_is_one_bar_per_choice():
    h = answer_histogram({"kind": "choice", "choices": ["up", "down", "same"], "truth": 1}, [0, 2, 2, 2])
    assert h.counts.tolist() == [1, 0, 3] and h.labels == ["up", "down", "same"] and h.truth == 1


def test_the_histogram_finds_the_bars_of_the_truth_and_of_the_students_own_answer():
    h = answer_histogram({"kind": "estimate", "truth": 2.3}, [0.1, 0.9, 1.0, 1.0, 4.75], mine=1.0)
    # bins of 0.5 from 0 (as above): 1.0 opens [1, 1.5), 2.3 is in [2, 2.5), the 5th bin
    assert h.mine == 2 and h.truth_bar == 4
    last = answer_histogram({"kind": "estimate", "truth": None}, [0.0, 6.0], mine=6.0)
    assert last.mine == len(last.counts) - 1 and last.truth_bar is None  # the last bin is closed
    outside = answer_histogram({"kind": "estimate", "truth": 1.0}, [0.5, 0.7], mine=9.0)
    assert outside.edges[-1] >= 9.0 and outside.mine == len(outside.counts) - 1  # the range grows
    assert answer_histogram({"kind": "estimate", "truth": 1.0}, [0.5]).mine is None


def test_choice_histogram_marks_the_students_choice_and_the_truth():
    q = {"kind": "choice", "choices": ["up", "down", "same"], "truth": 1}
    assert answer_histogram(q, [0, 2], mine=2)[4:] == (2, 1)
    assert answer_histogram(q, [0, 2], mine=7)[4:] == (None, 1)  # not an option: no mark
    assert answer_histogram(q, [0, 2], mine=True)[4:] == (None, 1)


def test_number_figure_marks_the_truth_by_shape_label_and_colour_under_the_bars():
    fig = make_answers_figure([1, 0, 2], [0.0, 0.5, 1.0, 1.5], truth=0.7, mine=1.2, truth_bar=1,
                              mine_bar=2)  # validated by plotly on use
    bar, truth, mine = fig.data
    assert list(bar.x) == [0.25, 0.75, 1.25] and list(bar.y) == [1, 0, 2]
    assert fig.layout.title.text == "3 answers · ▲ true value 0.700 · ● yours 1.200"
    assert (truth.marker.symbol, list(truth.x)) == ("triangle-up", [0.7])
    assert (mine.marker.symbol, list(mine.x)) == ("circle", [1.2])
    assert truth.y[0] < 0 and mine.y[0] < 0 and fig.layout.yaxis.range[0] < truth.y[0]  # below 0
    assert not fig.layout.shapes  # no line through the bars' counts (D23)
    assert list(bar.marker.pattern.shape) == ["", "/", ""]  # the truth's bar hatched
    assert bar.marker.color[1] != bar.marker.color[0] == bar.marker.color[2]
    assert list(bar.marker.line.width) == [0, 0, 3]  # the student's own bar outlined
    assert fig.layout.yaxis.dtick == 1  # whole students


def test_choice_figure_marks_the_right_choice_by_hatch_tick_and_colour_and_escapes_labels():
    fig = make_answers_figure([3, 1, 0], choices=["up", "<b>down</b>", "=HYPERLINK(\"x\")"],
                              truth_bar=1, mine_bar=0)
    bar = fig.data[0]
    assert bar.orientation == "h" and list(bar.x) == [3, 1, 0]
    assert list(fig.layout.yaxis.ticktext) == ["up<br>(yours)", "✓ &lt;b&gt;down&lt;/b&gt;",
                                               '=HYPERLINK("x")']
    assert list(bar.marker.pattern.shape) == ["", "/", ""]
    assert bar.marker.color[0] != bar.marker.color[1]
    assert list(bar.text) == ["3", "1", "0"] and list(bar.marker.line.width) == [3, 0, 0]
    assert fig.layout.title.text == "4 answers · ✓ the right answer"


def test_a_long_option_is_shortened_on_its_axis_and_whole_in_the_hover():
    option = "a very long option that a teacher wrote for the class"
    fig = make_answers_figure([1, 1], choices=[option, "b"])
    assert fig.layout.yaxis.ticktext[0] == option[:27] + "…" and fig.data[0].customdata[0] == option


@pytest.mark.parametrize("args, kwargs", [(([1, -1], [0, 1, 2]), {}), (([1, 2], [0, 1]), {}),
                                          (([1, 2], [0, 2, 1]), {}), (([1, 2],), {"choices": ["a"]}),
                                          (([1, 2],), {"choices": ["a", "b"], "truth_bar": 2}),
                                          (([1, 2], [0, 1, 2]), {"mine_bar": -1})])
def test_answers_figure_refuses_bad_input(args, kwargs):
    with pytest.raises(InputError, match="make_answers_figure"):
        make_answers_figure(*args, **kwargs)
