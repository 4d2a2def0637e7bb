"""The private fast path (cevis/_fast.py) against the general path it stands in for.

Each call runs twice, with ``_fast.ENABLED`` on and off; the two must agree to a few
units of the dtype's last place (the fast path sums in another order, and does a few
low-precision logits in float64, rounding once), and raise the same errors.
"""

import numpy as np
import pytest

import cevis
from cevis import _fast

ULPS = 8  # the fast path may round differently, by this many units in the last place


def _both(call, *args, **kwargs):
    """``(fast, general)`` results of one call."""
    assert _fast.ENABLED
    fast = call(*args, **kwargs)
    _fast.ENABLED = False
    try:
        general = call(*args, **kwargs)
    finally:
        _fast.ENABLED = True
    return fast, general


def _close(a, b, dtype):
    eps = np.finfo(np.dtype(dtype)).eps
    if isinstance(a, tuple):
        for u, v in zip(a, b):
            _close(u, v, dtype)
        return
    assert np.asarray(a).dtype == np.asarray(b).dtype and np.shape(a) == np.shape(b)
    np.testing.assert_allclose(a, b, rtol=ULPS * eps, atol=ULPS * eps)


CASES = [  # (shape of logits, dtype): tiny (Python floats), few classes, many rows, many classes
    ((3,), np.float32), ((2, 7), np.float16), ((4, 5), np.float64), ((1000, 3), np.float64),
    ((700, 40), np.float32), ((300, 100), np.float64), ((2, 3, 4), np.float64),
    ((20_000, 10), np.float32),
]


@pytest.mark.parametrize("shape,dtype", CASES)
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_fast_and_general_paths_agree(shape, dtype, reduction):
    rng = np.random.default_rng(11)
    x = (rng.normal(size=shape) * 4).astype(dtype)
    y = rng.integers(0, shape[-1], size=shape[:-1])
    for call in (cevis.cross_entropy, cevis.cross_entropy_grad, cevis.cross_entropy_and_grad):
        fast, general = _both(call, x, y, reduction=reduction)
        _close(fast, general, np.float32 if dtype == np.float16 else dtype)


@pytest.mark.parametrize("logits,target,match", [
    ([[1.0, np.inf]], [0], "logits has inf"),
    ([[1.0, 2.0]], [2], "target has class index 2"),
    (np.zeros((300, 4)), np.full(300, -3), "target has class index -3"),
])
def test_fast_path_declines_and_the_general_path_words_the_error(logits, target, match):
    for enabled in (True, False):
        _fast.ENABLED = enabled
        try:
            with pytest.raises(cevis.InputError, match="cross_entropy: " + match):
                cevis.cross_entropy(logits, target)
        finally:
            _fast.ENABLED = True
