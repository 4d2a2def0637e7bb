r"""The training player's run: softmax regression trained in chunks of epochs, continued after
a change of :math:`\eta` or :math:`\lambda` from the epoch shown.

The browser plays the epochs; the server trains them with
:func:`~cevis_app.views.training.train_softmax_regression` (cevis's loss and gradient), a
chunk at a time as the playhead nears the end. A change while paused at epoch ``e`` keeps
epochs ``0 .. e`` and trains on from that epoch's weights. Pure numpy; no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace

import numpy as np

from cevis_app.views.training import MAX_EPOCHS
from cevis_app.views.training import Split
from cevis_app.views.training import TrainingRun
from cevis_app.views.training import decision_grid
from cevis_app.views.training import train_softmax_regression

CHUNK = 25  # epochs trained per request (~5 ms); 6 s of play at 4 epochs/s
REGION_RESOLUTION = 40  # decision regions on a 40 x 40 grid: ~12 kB deflated for 500 epochs


@dataclass(frozen=True)
class TrainSettings:
    learning_rate: float
    l2: float


@dataclass(frozen=True)
class TrainSegment:
    start: int  # the epoch it continues from
    settings: TrainSettings


@dataclass(frozen=True)
class TrainingPlay:
    """Epochs ``0 .. E`` of one run (a :class:`TrainingRun`) and where each setting began."""

    key: tuple  # (features, species): the data the run belongs to
    segments: tuple
    run: TrainingRun

    @property
    def last(self) -> int:
        return self.run.train_loss.size - 1

    @property
    def settings(self) -> TrainSettings:
        return self.segments[-1].settings


def _cat(a: TrainingRun, b: TrainingRun, keep: int) -> TrainingRun:
    """Epochs ``0 .. keep - 1`` of ``a`` followed by all of ``b`` (whose epoch 0 is epoch ``keep``)."""
    return TrainingRun(*(np.concatenate([x[:keep], y]) for x, y in zip(
        (a.weights, a.bias, a.train_loss, a.test_loss, a.train_accuracy, a.test_accuracy,
         a.objective),
        (b.weights, b.bias, b.train_loss, b.test_loss, b.train_accuracy, b.test_accuracy,
         b.objective))))


def _train(split: Split, classes: int, s: TrainSettings, epochs: int, start=None) -> TrainingRun:
    return train_softmax_regression(split, classes, learning_rate=s.learning_rate, epochs=epochs,
                                    l2=s.l2, start=start)


def start_play(key, split: Split, classes: int, settings: TrainSettings,
               epochs: int = CHUNK) -> TrainingPlay:
    """Epochs ``0 .. epochs`` from the seed's small random weights."""
    return TrainingPlay(key, (TrainSegment(0, settings),), _train(split, classes, settings, epochs))


def extend(play: TrainingPlay, split: Split, epochs: int = CHUNK) -> TrainingPlay:
    """Up to ``epochs`` more (never past :data:`MAX_EPOCHS`) with the last setting."""
    epochs = min(epochs, MAX_EPOCHS - play.last)
    if epochs <= 0:
        return play
    r = play.run
    more = _train(split, r.bias.shape[1], play.settings, epochs, (r.weights[-1], r.bias[-1]))
    return replace(play, run=_cat(r, more, play.last))


def continue_from(play: TrainingPlay, split: Split, epoch: int, settings: TrainSettings,
                  epochs: int = CHUNK) -> TrainingPlay:
    """Keep epochs ``0 .. epoch``; train on from its weights with ``settings``."""
    epoch = max(0, min(int(epoch), play.last))
    r = play.run
    more = _train(split, r.bias.shape[1], settings, epochs, (r.weights[epoch], r.bias[epoch]))
    kept = tuple(s for s in play.segments if s.start < epoch)
    return replace(play, segments=(*kept, TrainSegment(epoch, settings)), run=_cat(r, more, epoch))


def region_frames(play: TrainingPlay, split: Split, resolution: int = REGION_RESOLUTION):
    """``(gx, gy, regions)``: the grid's axes ``[G]`` and the predicted class of every grid point
    after every epoch, ``[E + 1, G * G]`` (row ``iy * G + ix``)."""
    gx, gy, points = decision_grid(split, resolution=resolution)
    logits = np.einsum("mf,efk->emk", points, play.run.weights) + play.run.bias[:, None, :]
    return gx, gy, logits.argmax(axis=2)
