r"""Tables for the live drag: every position a drag can reach, computed by cevis in one call.

The browser does no maths: it looks a dragged handle's value up in these tables and
draws what it finds. For a sample with logits ``z`` ``[C]``, true class ``y`` and
temperature ``T``, each row of a table is one reachable state:

.. math:: p = \mathrm{softmax}(z' / T'), \quad L = -\log p_y, \quad
          \frac{\partial L}{\partial z} = \frac{p - \mathrm{onehot}(y)}{T'}

- ``handles``: logit ``k`` set to each grid value (the others held), ``C * G`` rows
  (``G`` = :data:`LOGIT_GRID`'s size), row ``k * G + g``;
- ``temps``: ``T'`` over :data:`TEMP_GRID`, the logits held;
- ``shifts``: every logit plus ``s`` over the shifts that keep them all in range;
- ``current`` and ``ghost``: the sample itself at ``T`` and at ``T = 1``;
- ``handle_ghost`` (only when ``T != 1``): the ``handles`` rows at ``T = 1``, so the
  T = 1 ghost bars follow a dragged logit too.

The numbers equal the Explorer's (``explain_sample``) bit for bit: the same
``log_softmax`` of the same ``z / T``. Pure numpy; calls only the public ``cevis`` API.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import cevis
from cevis_app.urlstate import SPEC

LOGIT_LOW, LOGIT_HIGH = SPEC.logit.low, SPEC.logit.high  # the Explorer's logit sliders
LOGIT_GRID = SPEC.logit.grid(SPEC.logit.drag)  # drag step 0.1: 201 positions (the sliders' 2001)
TEMP_GRID = SPEC.temperature.grid()  # the temperature slider's every value: 0.1 to 5.0 by 0.05
SHIFT_STEP = SPEC.logit.drag  # the "shift all logits" control moves in the logit grid's step
LOGIT_DECIMALS = 2  # logits live on the sliders' 0.01 grid (SPEC.logit.step)


@dataclass(frozen=True)
class Table:
    """Softmax cross-entropy of ``R`` states of one sample (``C`` classes)."""

    logits: np.ndarray  # [R, C] z' of each state
    temperature: np.ndarray  # [R] T' of each state
    probs: np.ndarray  # [R, C] softmax(z' / T')
    grads: np.ndarray  # [R, C] dL/dz = (p - onehot(y)) / T'
    losses: np.ndarray  # [R] -log p_y
    neg_log_probs: np.ndarray  # [R, C] -log p_j: each class's loss were it the true one
    scaled: np.ndarray  # [R, C] z' / T': the exponents the softmax formula writes out
    predicted: np.ndarray  # [R] int: the arg-max class, -1 where classes tie for the top p


@dataclass(frozen=True)
class LiveTables:
    """Every state a drag can reach from one sample; see the module docstring."""

    true_index: int  # y
    temperature: float  # T of the sample
    logit_grid: np.ndarray  # [G] values a dragged logit takes
    temp_grid: np.ndarray  # [GT] values the dragged temperature takes
    shift_grid: np.ndarray  # [GS] amounts added to every logit
    handles: Table  # C * G rows, row k * G + g: logit k at logit_grid[g]
    temps: Table  # GT rows
    shifts: Table  # GS rows
    current: Table  # 1 row: the sample
    ghost: Table  # 1 row: the sample at T = 1
    handle_ghost: Table | None  # C * G rows like handles, at T = 1; None when T is 1


def shift_grid(logits) -> np.ndarray:
    """Shifts ``s`` (multiples of 0.1, always including 0) with every ``z + s`` in [-10, 10].

    >>> print(shift_grid([9.8, -10.0]))
    [0.  0.1 0.2]
    """
    z = np.asarray(logits, dtype=np.float64)
    low = int(np.ceil(round((LOGIT_LOW - z.min()) / SHIFT_STEP, 6)))
    high = int(np.floor(round((LOGIT_HIGH - z.max()) / SHIFT_STEP, 6)))
    return np.round(np.arange(min(low, 0), max(high, 0) + 1) * SHIFT_STEP, 10)


def evaluate(logits, temperature, true_index: int) -> Table:
    """Every row of ``logits`` ``[R, C]`` at its own temperature ``[R]``: one cevis call.

    Rows are divided by their temperature here, as ``cevis.log_softmax`` divides by
    a scalar one (``x / T``, the same float64 operation), then ``log_softmax`` runs once.

    >>> t = evaluate([[2.0, 1.0, 0.1]], [1.0], 0)
    >>> print(t.probs.round(4), t.losses.round(4), t.grads.round(4), t.predicted)
    [[0.659  0.2424 0.0986]] [0.417] [[-0.341   0.2424  0.0986]] [0]
    >>> print(t.neg_log_probs.round(4))
    [[0.417 1.417 2.317]]
    """
    z = np.asarray(logits, dtype=np.float64)
    t = np.asarray(temperature, dtype=np.float64)
    x = np.where(t[:, None] != 1.0, z / t[:, None], z)
    log_p = cevis.log_softmax(x)
    probs = np.exp(log_p)
    grads = probs.copy()
    grads[:, true_index] -= 1.0
    grads /= t[:, None]
    top = probs == probs.max(axis=1, keepdims=True)
    predicted = np.where(top.sum(axis=1) > 1, -1, top.argmax(axis=1))
    return Table(z, t, probs, grads, 0.0 - log_p[:, true_index], 0.0 - log_p, x, predicted)


def _rows(table: Table, start: int, stop: int) -> Table:
    return Table(*(a[start:stop] for a in (table.logits, table.temperature, table.probs,
                                          table.grads, table.losses, table.neg_log_probs,
                                          table.scaled, table.predicted)))


def live_tables(logits, true_index: int, temperature: float) -> LiveTables:
    """All the drag tables of one sample from a single vectorised ``cevis.log_softmax``.

    Args:
      logits: ``[C]`` finite logits (on the sliders' 0.01 grid, in [-10, 10]).
      true_index: ``y`` in ``[0, C)``.
      temperature: ``T > 0``.

    >>> lt = live_tables([2.0, 1.0, 0.1], 0, 1.0)
    >>> lt.handles.probs.shape, lt.temps.losses.shape, round(float(lt.current.losses[0]), 4)
    ((603, 3), (99,), 0.417)
    """
    z = np.asarray(logits, dtype=np.float64)
    c, g = z.size, LOGIT_GRID.size
    handle_z = np.tile(z, (c * g, 1))
    for k in range(c):
        handle_z[k * g:(k + 1) * g, k] = LOGIT_GRID
    shifts = shift_grid(z)
    shift_z = np.round(z[None, :] + shifts[:, None], LOGIT_DECIMALS)
    blocks = [handle_z, np.tile(z, (TEMP_GRID.size, 1)), shift_z, z[None, :], z[None, :]]
    temps = [np.full(c * g, temperature), TEMP_GRID, np.full(shifts.size, temperature),
             [temperature], [1.0]]
    if temperature != 1.0:  # the ghost of a dragged logit: its rows again at T = 1
        blocks.append(handle_z)
        temps.append(np.ones(c * g))
    table = evaluate(np.concatenate(blocks), np.concatenate(temps), true_index)
    ends = np.cumsum([0] + [len(b) for b in blocks])
    parts = [_rows(table, a, b) for a, b in zip(ends[:-1], ends[1:])]
    return LiveTables(int(true_index), float(temperature), LOGIT_GRID, TEMP_GRID, shifts,
                      *parts[:5], parts[5] if len(parts) > 5 else None)


LOSS_CURVE_MAX = 5.0  # the −log p chart shows losses up to 5 (p >= 0.0067); beyond, the point sits on top


def loss_curve() -> tuple[np.ndarray, np.ndarray]:
    """Points ``(p, -log p)`` of the loss curve, dense where it bends (cevis's BCE with t = 1).

    >>> p, l = loss_curve()
    >>> print(p[-1], l[-1], round(float(l[0]), 4))
    1.0 0.0 5.0
    """
    p = np.union1d(np.linspace(np.exp(-LOSS_CURVE_MAX), 1.0, 80),
                   np.exp(-np.linspace(0.0, LOSS_CURVE_MAX, 60)))
    return p, cevis.binary_cross_entropy(p, np.ones_like(p), reduction="none")
