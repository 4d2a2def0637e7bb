"""The Descent page's comparisons, computed once per process for each sample and its settings.

A room follows its teacher: every follower's first run of Descent shows the same sample, so
the runs (three learning rates, two losses) and their figures are computed once and shared.
Nothing here is changed after it is built: the arrays are made read-only, the figures are
marked shared (``chart.share``), and st.plotly_chart only reads them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from cevis_app import charts
from cevis_app.views.descent import DescentPath
from cevis_app.views.descent import RateComparison
from cevis_app.views.descent import compare_losses
from cevis_app.views.descent import compare_rates
from cevis_app.views.descent import descend
from cevis_app.views.descent import loss_on_simplex
from cevis_app.views.descent import simplex_grid
from cevis_app.widgets.chart import share

ENTRIES = 32  # samples x settings kept (<= 0.6 MB each): a class follows one teacher; learners explore


@dataclass(frozen=True)
class DescentComparisons:
    run: DescentPath  # the player's settings alone: the metrics
    rates: RateComparison  # η/10, η, 10η
    rates_figure: object
    simplex_figure: object | None  # 3 classes only
    losses_figure: object  # p(true) per step, cross-entropy against MSE


def _frozen(a):
    a = np.asarray(a)
    a.setflags(write=False)
    return a


def comparisons(names, logits, true_index: int, temperature: float, learning_rate: float,
                loss: str, smoothing: float, steps: int, *, lowest: float,
                highest: float) -> DescentComparisons:
    """What Descent's comparisons show for this sample and settings (shared, read-only)."""
    key = (tuple(str(n) for n in names), tuple(float(v) + 0.0 for v in logits), int(true_index),
           float(temperature), float(learning_rate), str(loss), float(smoothing), int(steps),
           float(lowest), float(highest))  # + 0.0: -0.0 and 0.0 are one key and one result
    return _comparisons(*key)


@functools.lru_cache(maxsize=ENTRIES)  # not st.cache_resource: its hashing costs ~0.3 ms a call
def _comparisons(names, logits, true_index, temperature, lr, loss, smoothing, steps, lowest,
                 highest) -> DescentComparisons:
    run = descend(logits, true_index, learning_rates=[lr], steps=steps, loss=loss,
                  label_smoothing=smoothing, temperature=temperature)
    for a in (run.learning_rates, run.logits, run.probs, run.grads, run.losses):
        _frozen(a)
    rates = compare_rates(logits, true_index, lr, lowest=lowest, highest=highest, steps=steps,
                          loss=loss, label_smoothing=smoothing, temperature=temperature)
    rates = RateComparison({k: _frozen(v) for k, v in rates.losses.items()},
                           {k: _frozen(v) for k, v in rates.probs.items()})
    simplex = None
    if len(names) == 3:
        pts = simplex_grid()
        simplex = share(charts.make_simplex_figure(
            rates.probs, list(names), shading=pts,
            shade_values=loss_on_simplex(pts, true_index, label_smoothing=smoothing)))
    by_loss = compare_losses(logits, true_index, lr, steps=steps, temperature=temperature)
    return DescentComparisons(
        run, rates,
        share(charts.make_runs_figure(rates.losses, title="Loss per step", y_title="loss")),
        simplex,
        share(charts.make_runs_figure(by_loss, title=f"p({names[true_index]}) per step, η = {lr:g}",
                                      y_title="p of the true class")))
