r"""The descent player's run: gradient descent computed in chunks, continued after a change.

The browser plays the frames; the server computes them with :func:`~cevis_app.views.descent.descend`
(cevis's losses and gradients), a chunk at a time as the playhead nears the end. A change
of the settings (η, the loss, label smoothing, temperature) while paused at step ``k`` keeps
frames ``0 .. k`` and continues from the logits of step ``k``:

.. math:: z_{k+1} = z_k - \eta' \nabla L'(z_k)

Each stretch run with one setting is a :class:`Segment`; the player marks where each begins.
Pure numpy; no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace

import numpy as np

from cevis_app.views.descent import MAX_STEPS
from cevis_app.views.descent import descend

CHUNK = 50  # steps computed per request: ~1-3 ms of cevis, 12 s of play at 4 steps/s


@dataclass(frozen=True)
class Settings:
    """What a paused change may alter; the start (logits, true class) is the run's identity."""

    learning_rate: float
    loss: str  # "cross-entropy" or "mse"
    label_smoothing: float
    temperature: float


@dataclass(frozen=True)
class Segment:
    start: int  # the step it continues from
    settings: Settings


@dataclass(frozen=True)
class PlayerRun:
    """Frames ``0 .. N`` of one run: ``[N + 1, C]`` logits, p, dL/dz and ``[N + 1]`` losses.

    Frame ``k`` holds the logits of step ``k`` with the p, gradient and loss of the setting
    that moves on from there (at a segment's start, the new one's).
    """

    start_logits: tuple
    true_index: int
    segments: tuple  # of Segment, by start
    logits: np.ndarray
    probs: np.ndarray
    grads: np.ndarray
    losses: np.ndarray

    @property
    def last(self) -> int:
        """N, the last step computed."""
        return self.losses.size - 1

    @property
    def settings(self) -> Settings:
        return self.segments[-1].settings


def _frames(z, true_index: int, s: Settings, steps: int):
    path = descend(z, true_index, learning_rates=[s.learning_rate], steps=steps, loss=s.loss,
                   label_smoothing=s.label_smoothing if s.loss == "cross-entropy" else 0.0,
                   temperature=s.temperature)
    return path.logits[0], path.probs[0], path.grads[0], path.losses[0]


def start_run(logits, true_index: int, settings: Settings, steps: int = CHUNK) -> PlayerRun:
    """Frames ``0 .. steps`` from ``logits``.

    >>> run = start_run([0.0, 0.0], 0, Settings(1.0, "cross-entropy", 0.0, 1.0), steps=1)
    >>> print(run.logits[1], run.last)
    [ 0.5 -0.5] 1
    """
    z, p, g, loss = _frames(logits, true_index, settings, steps)
    return PlayerRun(tuple(float(v) for v in logits), int(true_index), (Segment(0, settings),),
                     z, p, g, loss)


def extend(run: PlayerRun, steps: int = CHUNK) -> PlayerRun:
    """The run with up to ``steps`` more frames (never past :data:`MAX_STEPS`)."""
    steps = min(steps, MAX_STEPS - run.last)
    if steps <= 0:
        return run
    z, p, g, loss = _frames(run.logits[-1], run.true_index, run.settings, steps)
    return replace(run, logits=np.concatenate([run.logits, z[1:]]),
                   probs=np.concatenate([run.probs, p[1:]]),
                   grads=np.concatenate([run.grads, g[1:]]),
                   losses=np.concatenate([run.losses, loss[1:]]))


def continue_from(run: PlayerRun, step: int, settings: Settings, steps: int = CHUNK) -> PlayerRun:
    """Keep frames ``0 .. step``; from the logits of ``step`` go on with ``settings``.

    >>> s = Settings(1.0, "cross-entropy", 0.0, 1.0)
    >>> run = continue_from(start_run([0.0, 0.0], 0, s, 4), 2, replace(s, learning_rate=0.5), 1)
    >>> [seg.start for seg in run.segments], run.last
    ([0, 2], 3)
    """
    step = max(0, min(int(step), run.last))
    z, p, g, loss = _frames(run.logits[step], run.true_index, settings, steps)
    kept = [seg for seg in run.segments if seg.start < step]
    return replace(run, segments=(*kept, Segment(step, settings)),
                   logits=np.concatenate([run.logits[:step], z]),
                   probs=np.concatenate([run.probs[:step], p]),
                   grads=np.concatenate([run.grads[:step], g]),
                   losses=np.concatenate([run.losses[:step], loss]))
