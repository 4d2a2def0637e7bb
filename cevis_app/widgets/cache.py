"""Work shared across sessions: figures that depend on few discrete settings, and training runs.

Figures are built once per setting and shared by every session (st.plotly_chart only reads
them); training runs are cached as data.
"""

from __future__ import annotations

import streamlit as st

from cevis.conventions import TRUE_CLASS_CONVENTIONS
from cevis.conventions import true_class_losses_by_convention
from cevis_app import charts
from cevis_app.views import stability
from cevis_app.views.iris import FEATURES
from cevis_app.views.iris import load_iris
from cevis_app.views.iris import subset
from cevis_app.views.training import split_and_standardise
from cevis_app.views.training import train_softmax_regression


@st.cache_resource(max_entries=4, show_spinner=False)
def log_pair_figure():
    return charts.make_log_pair_figure()


@st.cache_resource(max_entries=4, show_spinner=False)
def entropy_term_figure(marks=(0.2, 0.8)):
    return charts.make_entropy_term_figure(marks)


@st.cache_resource(max_entries=32, show_spinner=False)
def overflow_figure(largest: float):
    x = stability.sweep_grid()
    return charts.make_overflow_figure(
        x, {d: stability.naive_sweep(x, d) for d in stability.DTYPES},
        {d: stability.exp_overflow_threshold(d) for d in stability.DTYPES}, current=largest)


@st.cache_resource(max_entries=32, show_spinner=False)
def clamp_figure(p_true: float):
    grid = stability.probability_grid()
    return charts.make_clamp_figure(grid, true_class_losses_by_convention(grid),
                                    {c.key: c.label for c in TRUE_CLASS_CONVENTIONS},
                                    current=p_true)


@st.cache_data(max_entries=64, show_spinner=False)
def iris_split(features: tuple, species: tuple):
    """The Training page's data for these features and species: ``(subset, split)``."""
    data = subset(load_iris(), [FEATURES.index(f) for f in features], list(species))
    return data, split_and_standardise(data.features, data.labels, seed=0)


@st.cache_data(max_entries=64, show_spinner=False)
def train_iris(features: tuple, species: tuple, learning_rate: float, epochs: int, l2: float):
    """The Training page's run for these settings: ``(subset, split, run)``."""
    data = subset(load_iris(), [FEATURES.index(f) for f in features], list(species))
    split = split_and_standardise(data.features, data.labels, seed=0)
    return data, split, train_softmax_regression(split, len(species), learning_rate=learning_rate,
                                                 epochs=epochs, l2=l2)
