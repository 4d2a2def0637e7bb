"""The descent player's run (views/descent_player.py) against a plain numpy loop."""

import numpy as np
import pytest

from cevis_app.views.descent import MAX_STEPS
from cevis_app.views.descent_player import CHUNK
from cevis_app.views.descent_player import Settings
from cevis_app.views.descent_player import continue_from
from cevis_app.views.descent_player import extend
from cevis_app.views.descent_player import start_run

CE = Settings(1.0, "cross-entropy", 0.0, 1.0)


def numpy_steps(z, y, eta, steps, t=1.0, eps=0.0):
    """z <- z - eta (q - target) / T with q = softmax(z / T), target = smoothed one-hot."""
    z = np.array(z, dtype=float)
    out = [z.copy()]
    c = z.size
    target = np.full(c, eps / c)
    target[y] += 1 - eps
    for _ in range(steps):
        e = np.exp(z / t - (z / t).max())
        z = z - eta * (e / e.sum() - target) / t
        out.append(z.copy())
    return np.array(out)


def test_a_run_is_plain_descent():
    run = start_run([0.0, 3.0, 1.0], 0, CE, steps=20)
    assert run.last == 20 and len(run.segments) == 1
    np.testing.assert_allclose(run.logits, numpy_steps([0, 3, 1], 0, 1.0, 20), rtol=0, atol=1e-12)


def test_more_frames_continue_the_same_run():
    run = extend(start_run([0.0, 3.0, 1.0], 0, CE, steps=5), 7)
    np.testing.assert_allclose(run.logits, numpy_steps([0, 3, 1], 0, 1.0, 12), rtol=0, atol=1e-12)
    assert extend(run, MAX_STEPS).last == MAX_STEPS and extend(extend(run, MAX_STEPS)).last == MAX_STEPS


@pytest.mark.parametrize("new", [Settings(0.3, "cross-entropy", 0.0, 1.0),
                                 Settings(3.0, "cross-entropy", 0.2, 1.0),
                                 Settings(1.0, "cross-entropy", 0.0, 2.0)])
def test_a_change_continues_from_the_paused_logits(new):
    paused = 9
    run = continue_from(start_run([0.0, 3.0, 1.0], 0, CE, steps=30), paused, new, steps=15)
    before = numpy_steps([0, 3, 1], 0, 1.0, paused)
    after = numpy_steps(before[-1], 0, new.learning_rate, 15, t=new.temperature,
                        eps=new.label_smoothing)
    np.testing.assert_allclose(run.logits, np.concatenate([before, after[1:]]), rtol=0, atol=1e-12)
    assert [s.start for s in run.segments] == [0, paused] and run.settings == new
    assert run.last == paused + 15
    # the loss shown at each frame is that of the setting moving on from it
    z = run.logits[paused] / new.temperature
    q = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    target = np.full(3, new.label_smoothing / 3)
    target[0] += 1 - new.label_smoothing
    assert run.losses[paused] == pytest.approx(-(target * np.log(q)).sum(), abs=1e-12)


def test_changing_twice_at_one_step_keeps_one_mark():
    run = start_run([0.0, 3.0, 1.0], 0, CE)
    assert run.last == CHUNK
    run = continue_from(run, 4, Settings(0.3, "cross-entropy", 0.0, 1.0))
    run = continue_from(run, 4, Settings(0.1, "cross-entropy", 0.0, 1.0))
    assert [(s.start, s.settings.learning_rate) for s in run.segments] == [(0, 1.0), (4, 0.1)]
