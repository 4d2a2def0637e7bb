"""readable(): every text of every chart is large enough and has 4.5:1 contrast on white.

The contrast ratio is WCAG 2's, computed here from the hex colour independently of the app.
"""

import numpy as np
import pytest

from cevis import InputError
from cevis_app import charts
from cevis_app.charts.numbers import chart_numbers
from cevis_app.charts.style import PRESENT_SCALE
from cevis_app.charts.text_style import readable

NAMES = ["panda", "seal", "duck"]


def contrast(hex_colour):
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    lin = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 1.05 / (0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] + 0.05)


def fonts(obj):
    """Every font dict anywhere in a figure's JSON (the template aside)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "template":
                continue
            if k.endswith("font") and isinstance(v, dict):
                yield v
            yield from fonts(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from fonts(v)


FIGURES = {
    "probability": lambda: charts.make_probability_figure([0.2, 0.3, 0.5], NAMES, 1),
    "loss curve": lambda: charts.make_loss_curve_figure(0.3),
    "gradient": lambda: charts.make_gradient_figure([-0.7, 0.3, 0.4], NAMES, 0),
    "descent": lambda: charts.make_descent_animation(np.full((3, 3), 1 / 3), np.zeros((3, 3)),
                                                     np.ones(3), NAMES, 0, shown=2),
    "simplex": lambda: charts.make_simplex_figure({"a": np.full((2, 3), 1 / 3)}, NAMES,
                                                  shading=np.full((2, 3), 1 / 3),
                                                  shade_values=np.ones(2)),
    "jacobian": lambda: charts.make_jacobian_figure(np.eye(3) * 0.2, NAMES),
    "grad check": lambda: charts.make_grad_check_figure([1e-5, 1e-3], [1e-10, 1e-6], current=1e-5),
}


@pytest.mark.parametrize("name", FIGURES)
@pytest.mark.parametrize("scale, smallest", [(1.0, 13), (PRESENT_SCALE, 18)])
def test_every_font_is_large_and_dark_enough(name, scale, smallest):
    spec = readable(FIGURES[name](), scale=scale).to_dict()
    found = list(fonts(spec["data"])) + list(fonts(spec["layout"]))
    assert len(found) >= 4
    for font in found:
        assert font["size"] >= smallest, (name, font)
        assert contrast(font["color"]) >= 4.5, (name, font)
    layout = spec["layout"]
    assert layout["xaxis"]["tickfont"]["size"] >= smallest if "xaxis" in layout else True


def test_a_readable_own_colour_is_kept_and_a_pale_one_replaced():
    fig = charts.make_loss_curve_figure(0.5)
    spec = fig.to_dict()
    spec["layout"]["annotations"][0]["font"] = dict(color="#a14700")  # 5.6:1: kept
    spec["layout"]["title"]["font"] = dict(color="#e9c46a")  # 1.7:1: replaced
    out = readable(charts._unvalidated.PlainFigure(**spec)).to_dict()["layout"]
    assert out["annotations"][0]["font"]["color"] == "#a14700"
    assert contrast(out["title"]["font"]["color"]) >= 4.5


def test_readable_does_not_change_the_figure_it_is_given():
    fig = charts.make_probability_figure([0.2, 0.3, 0.5], NAMES, 1)
    before = fig.to_dict()
    readable(fig, scale=PRESENT_SCALE)
    assert fig.to_dict() == before  # figures are cached and shared between sessions


def test_a_bad_scale_is_a_clear_error():
    with pytest.raises(InputError, match="readable: scale is 0"):
        readable(charts.make_loss_curve_figure(0.5), scale=0)


def test_numbers_behind_a_chart_are_its_data():
    rows = chart_numbers(charts.make_probability_figure([0.2, 0.3, 0.5], NAMES, 1))
    assert [(r["x"], r["y"]) for r in rows] == [("panda", 0.2), ("seal ✓", 0.3), ("duck", 0.5)]
    curve = chart_numbers(charts.make_loss_curve_figure(0.25))
    line = [r for r in curve if r["series"] == "scatter 1"]
    assert len(line) == 11 and line[-1]["x"] == 1.0 and line[-1]["y"] == 0.0
    point = [r for r in curve if r["series"] == "scatter 2"]
    assert point == [dict(series="scatter 2", x=0.25, y=round(np.log(4), 4))]
    simplex = chart_numbers(charts.make_simplex_figure({"η = 1": [[0.2, 0.3, 0.5]]}, NAMES))
    assert simplex == [dict(series="η = 1", a=0.2, b=0.3, c=0.5)]


def test_the_descent_animation_draws_the_step_asked_for_first():
    p = np.array([[0.2, 0.3, 0.5], [0.4, 0.3, 0.3], [0.6, 0.2, 0.2]])
    g = p - np.eye(3)[0]
    loss = -np.log(p[:, 0])
    fig = charts.make_descent_animation(p, g, loss, NAMES, 0, shown=2)
    np.testing.assert_allclose(fig.data[0].y, p[2])  # the bars at step 2
    assert list(fig.data[3].x) == [2]  # the marker on the loss curve
    assert fig.layout.sliders[0].active == 2
    assert list(fig.data[1].text) == ["↑", "↓", "↓"]  # direction in the frame's text
    with pytest.raises(InputError, match="shown is 3"):
        charts.make_descent_animation(p, g, loss, NAMES, 0, shown=3)
