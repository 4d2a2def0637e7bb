"""One sample's logits carried to the Explorer, whose sliders span ±10 in steps of 0.01.

Subtracting the largest logit changes no probability (softmax is shift-invariant).
If the logits still span more than 10, they are scaled into the sliders by a
temperature on the Explorer's grid: logits z·T at temperature T give
softmax(z·T / T) = softmax(z), the same p and loss up to the sliders' 0.01 steps.
Only when even the lowest temperature is not enough (a spread over 100) are the
smallest logits clipped at −10, and the note says so with the loss the Explorer
will show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cevis_app.urlstate import SAMPLE
from cevis_app.views.sample import explain_sample

LOGIT_RANGE = 10.0  # the Explorer's logit sliders span [-10, 10] ...
LOGIT_STEP = 0.01  # ... in steps of 0.01
T_MIN, T_STEP = 0.1, 0.05  # its temperature slider: 0.1, 0.15, ..., 5
SAME_LOSS = 5e-5  # losses shown to 4 decimals: below this the Explorer shows the same number


@dataclass(frozen=True)
class Carried:
    """What the Explorer will hold for a sample, and how it compares with the original."""

    logits: tuple  # on the sliders' grid, in [-10, 10]
    temperature: float  # on the temperature slider's grid
    spread: float  # max(z) - min(z) of the original logits
    clipped: bool  # some logit was cut at -10
    loss_here: float  # -log softmax(z)[y] of the original logits (T = 1)
    loss_there: float  # the loss the Explorer computes from `logits` at `temperature`

    @property
    def scaled(self) -> bool:
        return self.temperature != 1.0


def _grid_temperature(spread: float) -> float:
    """The largest temperature on the slider's grid with spread·T <= 10 (at least T_MIN)."""
    if spread <= LOGIT_RANGE:
        return 1.0
    steps = math.floor((LOGIT_RANGE / spread - T_MIN) / T_STEP + 1e-9)
    return round(T_MIN + max(steps, 0) * T_STEP, 10)


def carry_to_explorer(logits, true_index: int) -> Carried:
    """The Explorer's view of logits ``z`` ``[C]`` with true class ``y``.

    >>> c = carry_to_explorer([2.0, 0.5], 0)
    >>> c.logits, c.temperature, c.clipped
    ((0.0, -1.5), 1.0, False)
    >>> c = carry_to_explorer([30.0, 0.0], 1)   # spread 30: T = 0.3 keeps p exactly
    >>> c.logits, c.temperature, round(c.loss_there, 4) == round(c.loss_here, 4)
    ((0.0, -9.0), 0.3, True)
    """
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max()
    spread = float(-z.min())
    t = _grid_temperature(spread)
    scaled = np.round(z * t / LOGIT_STEP) * LOGIT_STEP
    shown = np.clip(scaled, -LOGIT_RANGE, LOGIT_RANGE) + 0.0  # + 0.0: no -0.0 in links
    here = explain_sample(z, true_index).loss
    there = explain_sample(shown, true_index, temperature=t).loss
    return Carried(tuple(round(float(v), 2) + 0.0 for v in shown), t, spread,
                   bool(np.any(scaled < -LOGIT_RANGE)), float(here), float(there))


def carry_note(c: Carried) -> str:
    """One plain sentence on what the Explorer will show, when it is not simply these logits."""
    same = abs(c.loss_there - c.loss_here) < SAME_LOSS
    if c.clipped:
        return (f"These logits span {c.spread:.1f}: more than the Explorer's sliders (±10) can "
                f"hold even at its lowest temperature, T = {c.temperature:g}. The smallest are "
                f"clipped at −10, so the Explorer will show a loss of {c.loss_there:.4f}, not "
                f"{c.loss_here:.4f}.")
    if c.scaled:
        tail = "the same loss" if same else \
            f"a loss of {c.loss_there:.4f} (the sliders move in steps of 0.01)"
        return (f"These logits span {c.spread:.1f}, more than the Explorer's sliders (±10): it "
                f"opens them multiplied by T = {c.temperature:g} at temperature "
                f"T = {c.temperature:g}. softmax(z·T / T) = softmax(z): the same "
                f"probabilities and {tail}.")
    if not same:
        return (f"The Explorer's sliders move in steps of 0.01: it will show a loss of "
                f"{c.loss_there:.4f} for these logits rounded.")
    return "The Explorer opens these logits shifted so that the largest is 0: softmax is the same."


def explorer_state(c: Carried, true_index: int, class_names) -> dict:
    """The Explorer's widget state for ``c``: its keys (the shared sample's) -> values.

    >>> explorer_state(carry_to_explorer([2.0, 0.5], 0), 0, ["a", "b"])["explorer.z1"]
    -1.5
    """
    state = {f"{SAMPLE}.classes": len(class_names), f"{SAMPLE}.names": ", ".join(class_names),
             f"{SAMPLE}.y": int(true_index), f"{SAMPLE}.T": c.temperature}
    state.update({f"{SAMPLE}.z{i}": v for i, v in enumerate(c.logits)})
    return state


def explorer_query(state: dict) -> dict:
    """The same as URL query parameters (what a shared link of the Explorer carries)."""
    return {k: (f"{v:g}" if isinstance(v, float) else str(v)) for k, v in state.items()}
