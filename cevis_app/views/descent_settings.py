"""Descent's own settings (η, the loss, ε, the comparisons' steps), as its controls offer them
and as a room shares them: a student following the teacher sees the teacher's.

Pure (no streamlit). A published room state is untrusted like any input: ``clean_settings``
keeps only values a control could show, so a bad one never reaches a widget or a computation.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from cevis_app.urlstate import snap

PAGE = "descent"  # the page's url_path and its keys' prefix
RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)  # the η control's stops
LOSSES = {"cross-entropy": "cross-entropy", "mse": "MSE on p"}  # value -> label
SMOOTHING = (0.0, 0.5, 0.05)  # ε: low, high, step
STEPS = (1, 200)  # the comparisons' steps: low, high
LR, LOSS, EPS, STEP_COUNT = (f"{PAGE}.{k}" for k in ("lr", "loss", "eps", "steps"))
KEYS = (LR, LOSS, EPS, STEP_COUNT)  # widget keys = URL parameters (a public contract)


class DescentSettings(NamedTuple):
    learning_rate: float = 1.0
    loss: str = "cross-entropy"
    label_smoothing: float = 0.0  # the ε control's value (used with cross-entropy only)
    steps: int = 50

    @property
    def smoothing(self) -> float:
        """ε as the computation takes it: MSE has no label smoothing."""
        return self.label_smoothing if self.loss == "cross-entropy" else 0.0


DEFAULTS = DescentSettings()


def _rate(value):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return next((r for r in RATES if ok and math.isclose(value, r, rel_tol=1e-9)), None)


def _smoothing(value):
    low, high, step = SMOOTHING
    ok = (isinstance(value, (int, float)) and not isinstance(value, bool)
          and math.isfinite(value) and low <= value <= high)
    return snap(value, step, low) if ok else None


def _steps(value):
    ok = isinstance(value, int) and not isinstance(value, bool) and STEPS[0] <= value <= STEPS[1]
    return int(value) if ok else None


def clean_settings(state) -> dict:
    """The well-formed Descent settings of a published state: {widget key: value}.

    >>> clean_settings({"descent.lr": 30, "descent.loss": "mae", "descent.eps": 0.2,
    ...                 "descent.steps": 0, "explorer.z0": 1.0})
    {'descent.lr': 30.0, 'descent.eps': 0.2}
    """
    if not isinstance(state, dict):
        return {}
    loss = state.get(LOSS)
    values = {LR: _rate(state.get(LR)), LOSS: loss if isinstance(loss, str) and loss in LOSSES
              else None, EPS: _smoothing(state.get(EPS)), STEP_COUNT: _steps(state.get(STEP_COUNT))}
    return {k: v for k, v in values.items() if v is not None}


def settings_of(state) -> DescentSettings:
    """The settings in ``state`` (e.g. session state), the defaults where missing or malformed.

    >>> settings_of({"descent.lr": 0.3, "descent.loss": "mse", "descent.eps": "x"})
    DescentSettings(learning_rate=0.3, loss='mse', label_smoothing=0.0, steps=50)
    """
    clean = clean_settings(state)
    return DescentSettings(*(clean.get(k, d) for k, d in zip(KEYS, DEFAULTS)))


def describe(settings: DescentSettings) -> str:
    """One line naming the settings (plain text).

    >>> describe(DescentSettings(30.0, "cross-entropy", 0.2, 50))
    'η = 30, cross-entropy with ε = 0.2, 50 steps in the comparisons'
    >>> describe(DescentSettings(0.1, "mse", 0.2, 1))
    'η = 0.1, MSE on p, 1 step in the comparisons'
    """
    loss = LOSSES[settings.loss]
    if settings.loss == "cross-entropy":
        loss += f" with ε = {settings.label_smoothing:g}"
    plural = "s" if settings.steps != 1 else ""
    return (f"η = {settings.learning_rate:g}, {loss}, {settings.steps} step{plural} "
            "in the comparisons")


def state_of(settings: DescentSettings) -> dict:
    """{widget key: value} of ``settings`` (what the controls would hold)."""
    return dict(zip(KEYS, settings))

