"""Colour-blind-safe charts: what colour says, shape or text says too; colours stay apart
under simulated deuteranopia. The simulation and the colour difference are computed here,
independently of the app: Machado, Oliveira & Fernandes (2009) severity-1.0 deuteranopia
matrix on linear RGB, then CIE L*a*b* (D65) and the CIE76 distance ΔE*ab.
"""

import itertools

import numpy as np
import pytest

from cevis_app import charts
from cevis_app.charts import style
from cevis_app.charts import training

# Machado et al. 2009, Table (deuteranomaly, severity 1.0), applied to linear sRGB
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                        [0.0193, 0.1192, 0.9505]])
D65 = np.array([0.95047, 1.0, 1.08883])
CLEARLY_APART = 20.0  # ΔE*ab: 2.3 is "just noticeable"; the old Iris dots were 19, regions 10


def linear(hex_colour):
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(lin_rgb):
    xyz = SRGB_TO_XYZ @ lin_rgb / D65
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e_deuteranopia(a, b):
    sim = [np.clip(DEUTERANOPIA @ linear(c), 0, 1) for c in (a, b)]
    return float(np.linalg.norm(lab(sim[0]) - lab(sim[1])))


def test_the_reference_reproduces_the_issue_numbers():
    # the old versicolor/virginica colours: ΔE 19 for the dots, 10 for the regions (issue #15)
    assert delta_e_deuteranopia("#e9c46a", "#e76f51") == pytest.approx(19.0, abs=0.5)
    assert delta_e_deuteranopia("#f8edc9", "#f7d3c8") == pytest.approx(9.7, abs=0.5)
    assert delta_e_deuteranopia("#000000", "#000000") == 0.0


@pytest.mark.parametrize("a, b", itertools.combinations(range(3), 2))
def test_iris_species_stay_apart_under_deuteranopia(a, b):
    assert delta_e_deuteranopia(training.SPECIES_COLOURS[a], training.SPECIES_COLOURS[b]) \
        > CLEARLY_APART
    assert delta_e_deuteranopia(training.REGION_COLOURS[a], training.REGION_COLOURS[b]) > 5


def test_meaning_colours_stay_apart_under_deuteranopia():
    assert delta_e_deuteranopia(style.PUSH_UP_COLOUR, style.PUSH_DOWN_COLOUR) > CLEARLY_APART
    assert delta_e_deuteranopia(style.TRUE_COLOUR, style.OTHER_COLOUR) > CLEARLY_APART


def test_species_differ_by_marker_shape_and_regions_by_name():
    samples = dict(x=np.arange(6.0), y=np.arange(6.0), label=np.array([0, 1, 2, 0, 1, 2]),
                   row=np.arange(6), held_out=np.zeros(6, bool))
    pred = np.array([[0, 1, 1, 2]])  # a 2x2 grid, one frame
    fig = charts.make_decision_regions_figure([0, 1], [0, 1], pred, [10], samples,
                                              ["setosa", "versicolor", "virginica"])
    spec = fig.to_dict()
    symbols = {t["name"]: t["marker"]["symbol"] for t in spec["data"] if t["type"] == "scatter"}
    assert len(set(symbols.values())) == 3, symbols
    labels = {a["text"] for a in spec["layout"]["annotations"]}
    assert labels == {"setosa", "versicolor", "virginica"}


def test_gradient_direction_is_written_not_only_coloured():
    fig = charts.make_gradient_figure([-0.5, 0.3, 0.2], ["a", "b", "c"], 0).to_dict()
    text = fig["data"][0]["text"]
    assert text[0].startswith("↑") and text[1].startswith("↓") and text[2].startswith("↓")
    assert fig["data"][0]["x"][0].endswith("✓")  # the true class by name too
