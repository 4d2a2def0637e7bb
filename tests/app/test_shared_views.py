"""Views shared across sessions (computed once per process): the same numbers as computed
afresh, keyed by every input they depend on, and never changed by a reader."""

import numpy as np
import plotly.io as pio
import pytest

from cevis_app import charts
from cevis_app.charts.numbers import chart_numbers
from cevis_app.widgets import chart as chart_widget
from cevis_app.widgets import descent_views

RATES = dict(lowest=0.01, highest=100.0)


def plain_descent(z, y, lr, steps, t=1.0):
    """Cross-entropy descent with a plain loop: z <- z - lr * (softmax(z / T) - onehot) / T."""
    z = np.array(z, float)
    losses, p_true = [], []
    for _ in range(steps + 1):
        e = np.exp(z / t - np.max(z / t))
        p = e / e.sum()
        losses.append(-np.log(p[y]))
        p_true.append(p[y])
        z = z - lr * (p - np.eye(len(z))[y]) / t
    return np.array(losses), np.array(p_true)


def test_the_comparisons_are_plain_gradient_descent():
    v = descent_views.comparisons(("a", "b", "c"), (2.0, 1.0, 0.1), 1, 1.5, 0.3, "cross-entropy",
                                  0.0, 20, **RATES)
    losses, p_true = plain_descent([2.0, 1.0, 0.1], 1, 0.3, 20, t=1.5)
    np.testing.assert_allclose(v.run.losses[0], losses, rtol=1e-12)
    np.testing.assert_allclose(v.run.p_true[0], p_true, rtol=1e-12)
    for label, lr in (("η = 0.03", 0.03), ("η = 0.3", 0.3), ("η = 3", 3.0)):
        np.testing.assert_allclose(v.rates.losses[label], plain_descent([2.0, 1.0, 0.1], 1, lr, 20, 1.5)[0],
                                   rtol=1e-12)


def test_every_input_is_part_of_the_key():
    base = (("a", "b", "c"), (2.0, 1.0, 0.1), 0, 1.0, 1.0, "cross-entropy", 0.0, 10)
    first = descent_views.comparisons(*base, **RATES)
    assert descent_views.comparisons(*base, **RATES) is first  # computed once
    changes = {0: ("a", "zebra", "c"), 1: (2.0, 1.0, 0.2), 2: 1, 3: 2.0, 4: 0.3, 5: "mse", 6: 0.1, 7: 11}
    for i, value in changes.items():
        other = descent_views.comparisons(*base[:i], value, *base[i + 1:], **RATES)
        assert other is not first, f"argument {i} is not in the key"
    renamed = descent_views.comparisons(("a", "zebra", "c"), *base[1:], **RATES)
    assert "zebra" in pio.to_json(renamed.simplex_figure.to_dict(), validate=False)
    assert "zebra" not in pio.to_json(first.simplex_figure.to_dict(), validate=False)
    two = descent_views.comparisons(("a", "b"), (2.0, 1.0), 0, 1.0, 1.0, "cross-entropy", 0.0, 10, **RATES)
    assert two.simplex_figure is None and two.run.losses.shape == (1, 11)


def test_minus_zero_is_zero():
    a = descent_views.comparisons(("a", "b"), (-0.0, 1.0), 0, 1.0, 1.0, "cross-entropy", 0.0, 5, **RATES)
    b = descent_views.comparisons(("a", "b"), (0.0, 1.0), 0, 1.0, 1.0, "cross-entropy", 0.0, 5, **RATES)
    assert a is b


def test_shared_arrays_are_read_only():
    v = descent_views.comparisons(("a", "b"), (0.5, 1.0), 0, 1.0, 1.0, "mse", 0.0, 5, **RATES)
    with pytest.raises(ValueError):
        v.run.losses[0, 0] = 1.0
    with pytest.raises(ValueError):
        next(iter(v.rates.probs.values()))[0, 0] = 1.0


def test_a_frozen_figure_gives_the_same_json():
    fig = charts.make_runs_figure({"a": np.linspace(0, 1, 31)}, title="t", y_title="y")
    before = pio.to_json(fig.to_dict(), validate=False)
    frozen = charts.frozen(fig)
    assert frozen.to_dict() is frozen.to_dict()
    assert pio.to_json(frozen.to_dict(), validate=False) == before


def test_a_shared_figure_is_made_readable_and_tabled_once():
    fig = chart_widget.share(charts.make_runs_figure({"a": np.linspace(0, 1, 31)}, title="t",
                                                     y_title="y"))
    made = []
    first = chart_widget._derived(fig, "numbers", lambda: made.append(1) or chart_widget._table(fig))
    again = chart_widget._derived(fig, "numbers", lambda: made.append(1) or chart_widget._table(fig))
    assert first is again and made == [1]
    assert first.to_pylist() == chart_numbers(fig)
    unshared = charts.make_runs_figure({"a": np.linspace(0, 1, 31)}, title="t", y_title="y")
    assert chart_widget._derived(unshared, "x", lambda: 1) == 1 and "_cevis_shown" not in unshared.__dict__


def test_each_run_gets_its_own_pages():
    from streamlit.testing.v1 import AppTest

    script = """
import streamlit as st
from cevis_app.nav import all_pages
from cevis_app.widgets import navigation
a, b = navigation.pages(), navigation.pages()
st.session_state["same"] = [x is y for x, y in zip(a, b)]
st.session_state["pages"] = [(p.title, p.url_path, p.icon) for p in b]
st.session_state["table"] = [(p.title, p.url_path, p.icon) for p in all_pages()]
"""
    at = AppTest.from_string(script).run()
    assert not at.exception
    assert not any(at.session_state["same"])
    assert at.session_state["pages"] == at.session_state["table"]


def test_the_players_first_chunk_is_shared_and_the_same_as_made_afresh():
    from cevis_app.views.descent_player import Settings
    from cevis_app.views.descent_player import start_run
    from cevis_app.views.player_payload import encode_descent
    from cevis_app.widgets import descent_player

    s = Settings(0.3, "cross-entropy", 0.1, 2.0)
    run, payload = descent_player._first_of([1.0, -0.0, 0.5], 2, s, ["a", "b", "c"])
    again = descent_player._first_of((1.0, 0.0, 0.5), 2, s, ("a", "b", "c"))
    assert again[1] is payload
    assert payload == encode_descent(start_run([1.0, 0.0, 0.5], 2, s), ["a", "b", "c"], 0, False)
    plain, _ = descent_player._first_of([1.0, 0.0, 0.5], 2, Settings(0.3, "cross-entropy", 0.0, 2.0),
                                        ["a", "b", "c"])
    np.testing.assert_allclose(plain.losses, plain_descent([1.0, 0.0, 0.5], 2, 0.3,
                                                           descent_player.CHUNK, t=2.0)[0], rtol=1e-12)
    assert not np.allclose(run.losses, plain.losses)  # eps is part of the key
    renamed = descent_player._first_of([1.0, 0.0, 0.5], 2, s, ["a", "b", "zebra"])
    assert renamed[1]["names"] == ["a", "b", "zebra"] and renamed[1] is not payload
    with pytest.raises(ValueError):
        run.logits[0, 0] = 5.0
