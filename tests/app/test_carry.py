"""Training -> Explorer: the example is carried exactly, scaled by a temperature, or said clipped.

Expected numbers are closed forms with math (log-sum-exp), not cevis.
"""

import math

import pytest

from cevis_app.views.carry import carry_note
from cevis_app.views.carry import carry_to_explorer
from cevis_app.views.carry import explorer_query
from cevis_app.views.carry import explorer_state

SAMPLE_106 = [16.09368331, 1.52178496, -17.6221774]  # "One that diverges", sample 106, y = 2


def ce(z, y, t=1.0):
    top = max(v / t for v in z)
    return top + math.log(sum(math.exp(v / t - top) for v in z)) - z[y] / t


def test_logits_within_the_sliders_are_shifted_not_changed():
    c = carry_to_explorer([3.0, 1.0, -2.0], 1)
    assert c.logits == (0.0, -2.0, -5.0) and c.temperature == 1.0 and not c.clipped
    assert c.loss_there == pytest.approx(ce([3, 1, -2], 1), abs=1e-12)
    assert "shifted" in carry_note(c)


def test_sample_106_is_scaled_by_a_temperature_not_clipped():
    c = carry_to_explorer(SAMPLE_106, 2)
    assert c.temperature == 0.25  # the grid's largest T with 33.7·T <= 10
    assert c.logits == (0.0, -3.64, -8.43)  # round((z - max)·0.25, 2)
    assert not c.clipped
    assert c.loss_here == pytest.approx(ce(SAMPLE_106, 2), rel=1e-12)
    assert round(c.loss_here, 4) == 33.7159
    assert c.loss_there == pytest.approx(ce([0.0, -3.64, -8.43], 2, 0.25), rel=1e-12)
    assert round(c.loss_there, 4) == 33.7200  # not the 10.0001 of clipping
    note = carry_note(c)
    assert "multiplied by T = 0.25 at temperature T = 0.25" in note and "33.7200" in note


def test_a_spread_over_100_is_clipped_and_says_so():
    c = carry_to_explorer([150.0, 0.0, 1.0], 1)
    assert c.temperature == 0.1 and c.clipped
    assert c.logits == (0.0, -10.0, -10.0)
    assert c.loss_there == pytest.approx(ce([0.0, -10.0, -10.0], 1, 0.1), rel=1e-12)
    note = carry_note(c)
    assert "clipped at −10" in note and f"{c.loss_there:.4f}" in note and "not 150.0000" in note


def test_the_state_and_the_link_say_the_same():
    c = carry_to_explorer(SAMPLE_106, 2)
    state = explorer_state(c, 2, ["setosa", "versicolor", "virginica"])
    assert state == {"explorer.classes": 3, "explorer.names": "setosa, versicolor, virginica",
                     "explorer.y": 2, "explorer.T": 0.25, "explorer.z0": 0.0,
                     "explorer.z1": -3.64, "explorer.z2": -8.43}
    assert explorer_query(state)["explorer.z2"] == "-8.43"
    assert explorer_query(state)["explorer.T"] == "0.25"
