"""Descent's settings as a room shares them: a published state is untrusted, so only values a
control could show pass (views/descent_settings.py)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cevis_app.views import descent_settings as ds


def test_good_values_pass_and_numbers_come_back_as_the_controls_hold_them():
    state = {"descent.lr": 30, "descent.loss": "mse", "descent.eps": 0.15000000000000002,
             "descent.steps": 200}
    assert ds.clean_settings(state) == {"descent.lr": 30.0, "descent.loss": "mse",
                                        "descent.eps": 0.15, "descent.steps": 200}


@pytest.mark.parametrize("key, value", [
    ("descent.lr", 0.5), ("descent.lr", True), ("descent.lr", "1"), ("descent.lr", float("nan")),
    ("descent.lr", None), ("descent.loss", "mae"), ("descent.loss", 1), ("descent.loss", ["mse"]),
    ("descent.eps", -0.05), ("descent.eps", 0.55), ("descent.eps", float("inf")), ("descent.eps", False),
    ("descent.steps", 0), ("descent.steps", 201), ("descent.steps", 2.0), ("descent.steps", True),
    ("descent.steps", "50")])
def test_a_malformed_value_is_dropped_and_the_default_stands(key, value):
    assert ds.clean_settings({key: value}) == {}
    assert ds.settings_of({key: value}) == ds.DescentSettings(1.0, "cross-entropy", 0.0, 50)


@pytest.mark.parametrize("state", [None, [], "descent.lr=30", 3])
def test_a_state_that_is_no_dict_gives_the_defaults(state):
    assert ds.clean_settings(state) == {} and ds.settings_of(state) == ds.DEFAULTS


@given(st.dictionaries(st.sampled_from(ds.KEYS + ("other",)),
                       st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                                 st.floats(allow_nan=True), st.text(max_size=20))))
def test_whatever_is_published_the_settings_are_ones_the_controls_offer(state):
    s = ds.settings_of(state)
    assert s.learning_rate in ds.RATES and s.loss in ds.LOSSES and 1 <= s.steps <= 200
    low, high, step = ds.SMOOTHING
    assert low <= s.label_smoothing <= high
    assert math.isclose(s.label_smoothing / step, round(s.label_smoothing / step), abs_tol=1e-9)


def test_smoothing_counts_with_cross_entropy_only():
    assert ds.DescentSettings(1.0, "cross-entropy", 0.2, 5).smoothing == 0.2
    assert ds.DescentSettings(1.0, "mse", 0.2, 5).smoothing == 0.0


def test_the_line_a_follower_reads():
    assert ds.describe(ds.DescentSettings(0.3, "mse", 0.0, 1)) == \
        "η = 0.3, MSE on p, 1 step in the comparisons"
    assert ds.describe(ds.DEFAULTS) == "η = 1, cross-entropy with ε = 0, 50 steps in the comparisons"
