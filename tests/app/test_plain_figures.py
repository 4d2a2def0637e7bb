"""PlainFigure skips plotly's validation at run time: here every builder is validated, and
what Streamlit is sent without validation must equal what plotly sends after it."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.io.json import to_json_plotly

from cevis_app import charts as figures
from cevis_app.charts import _unvalidated
from cevis_app.views.descent import descend
from cevis_app.views.descent import loss_on_simplex
from cevis_app.views.descent import simplex_grid
from cevis_app.views.iris import SPECIES
from cevis_app.views.iris import load_iris
from cevis_app.views.iris import subset
from cevis_app.views.training import decision_grid
from cevis_app.views.training import frame_epochs
from cevis_app.views.training import region_predictions
from cevis_app.views.training import split_and_standardise
from cevis_app.views.training import train_softmax_regression

NAMES = ["panda", "seal", "duck"]
P = np.geomspace(1e-6, 1.0, 50)


def _regions():
    data = subset(load_iris(), [2, 3], SPECIES)
    split = split_and_standardise(data.features, data.labels, seed=0)
    run = train_softmax_regression(split, 3, learning_rate=1.0, epochs=20)
    x, rows, held = split.all_samples()
    gx, gy, points = decision_grid(split, resolution=12)
    frames = frame_epochs(20, 5)
    samples = dict(x=x[:, 0], y=x[:, 1], label=data.labels[rows], row=data.rows[rows], held_out=held)
    return figures.make_decision_regions_figure(gx, gy, region_predictions(run, points, frames),
                                                frames, samples, list(SPECIES)), run


def _descent():
    path = descend([0.0, 3.0, 1.0], 0, learning_rates=[1.0], steps=30)
    return figures.make_descent_animation(path.probs[0], path.grads[0], path.losses[0], NAMES, 0)


def _simplex():
    path = descend([0.0, 3.0, 1.0], 0, learning_rates=[0.1, 1.0], steps=20)
    pts = simplex_grid(8)
    return figures.make_simplex_figure({"a": path.probs[0], "b": path.probs[1]}, NAMES,
                                       shading=pts, shade_values=loss_on_simplex(pts, 0))


BUILDERS = {
    "probability": lambda: figures.make_probability_figure([0.7, 0.2, 0.1], NAMES, 1),
    "loss curve": lambda: figures.make_loss_curve_figure(0.25),
    "loss curve, off the chart": lambda: figures.make_loss_curve_figure(1e-90, loss=207.2),
    "gradient": lambda: figures.make_gradient_figure([0.3, -0.5, 0.2], NAMES, 1, temperature=0.5),
    "sigmoid": lambda: figures.make_sigmoid_figure(1.5, 0.8176),
    "log pair": figures.make_log_pair_figure,
    "binary curves": lambda: figures.make_binary_curves_figure([0.9, 0.2, 0.85], [1, 1, 0],
                                                                highlight=2),
    "overflow": lambda: figures.make_overflow_figure(
        [1.0, 50.0, 500.0, 2000.0], {"float16": [0.7, np.nan, np.nan, np.nan],
                                     "float64": [0.7, 1.0, 1.0, np.nan]},
        {"float16": 11.09, "float64": 709.78}, current=50.0),
    "clamp": lambda: figures.make_clamp_figure(P, {"plain": -np.log(P), "keras": np.minimum(
        -np.log(P), 16.1)}, {"plain": "Unclamped"}, current=1e-3),
    "entropy term": figures.make_entropy_term_figure,
    "entropy and KL": lambda: figures.make_entropy_kl_figure([0.1, 0.5], [0.2, 0.0]),
    "smoothing": lambda: figures.make_smoothing_figure([0, 1, 0], [0.05, 0.9, 0.05], NAMES),
    "jacobian": lambda: figures.make_jacobian_figure(np.eye(3) * 0.2 - 0.05, NAMES),
    "gradient check": lambda: figures.make_grad_check_figure(P, P ** 2, current=1e-5),
    "gradient pair": lambda: figures.make_gradient_pair_figure([0.2, -0.3, 0.1], [0.1, -0.2, 0.1],
                                                               NAMES),
    "gradient magnitude": lambda: figures.make_gradient_magnitude_figure(
        P, {"cross-entropy": 1 - P, "MSE": P * (1 - P)}, current=0.3),
    "descent animation": _descent,
    "simplex": _simplex,
    "runs": lambda: figures.make_runs_figure({"a": [3, 2, 1], "b": [3, 1, 0.5]}, title="t",
                                            y_title="loss", log_y=True),
    "regions": lambda: _regions()[0],
    "training curves": lambda: figures.make_training_curves_figure(_regions()[1]),
    "room answers": lambda: figures.make_answers_figure([1, 0, 2], [0.0, 0.5, 1.0, 1.5], truth=0.7),
    "room choices": lambda: figures.make_answers_figure([3, 1], choices=["up", "down"], truth=0),
    "room views": lambda: figures.make_view_answers_figure(
        [0.5, 0.2], [0.69, 1.61], target=1.0, tolerance=0.1, curve_p=[0.1, 0.5, 1.0],
        curve_loss=[2.3, 0.69, 0.0], mine=(0.5, 0.69)),
}


def _sent(fig) -> dict:
    """What st.plotly_chart sends: plotly.io.to_json of the figure's to_dict()."""
    return json.loads(pio.to_json(fig.to_dict(), validate=False))


def _first_difference(a, b, path="figure"):
    """Where two JSON values first differ (a readable failure), or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in the {'unvalidated' if k in a else 'validated'} one"
            found = _first_difference(a[k], b[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return next((d for i, (x, y) in enumerate(zip(a, b))
                     if (d := _first_difference(x, y, f"{path}[{i}]"))), None)
    return None if a == b else f"{path}: {a!r:.80} != {b!r:.80}"


@pytest.fixture(params=["plotly", "streamlit"])
def template(request):
    """The app runs with Streamlit's template as plotly's default; a notebook with plotly's."""
    from streamlit.elements.lib.streamlit_plotly_theme import configure_streamlit_plotly_theme

    before = pio.templates.default
    configure_streamlit_plotly_theme()
    pio.templates.default = request.param
    yield request.param
    pio.templates.default = before


@pytest.mark.parametrize("name", BUILDERS)
def test_unvalidated_figure_sends_what_the_validated_one_does(name, template):
    fast = BUILDERS[name]()
    validated = BUILDERS[name]()
    assert isinstance(validated.layout, go.Layout)  # first use: built and validated by plotly
    sent = _sent(fast)
    difference = _first_difference(sent, _sent(validated))
    assert difference is None, difference
    assert sent["layout"]["template"] == json.loads(
        to_json_plotly(pio.templates[template].to_plotly_json()))


def test_the_keys_left_untyped_are_plotlys():
    from _plotly_utils.utils import is_skipped_key

    assert all(is_skipped_key(k) for k in _unvalidated._UNTYPED_KEYS)
    assert not any(is_skipped_key(k) for k in ("x", "y", "z", "text", "customdata", "data"))


def test_a_plain_figure_is_a_full_plotly_figure_once_used():
    fig = figures.make_probability_figure([0.7, 0.2, 0.1], NAMES, 1)
    fig.update_layout(height=123)  # any plotly API works, and changes what is sent
    assert fig.layout.height == 123 and _sent(fig)["layout"]["height"] == 123
    assert isinstance(fig.data[0], go.Bar)
    typo = _unvalidated.PlainFigure(data=[dict(type="bar", colour="red")])
    with pytest.raises(ValueError, match="Invalid property"):
        len(typo.data)  # validated on first use
