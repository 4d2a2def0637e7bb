"""Fuzz every public function of cevis with hostile but mostly finite inputs.

Each call must either raise :class:`cevis.InputError` whose message starts with
``"<function>: <argument>"`` (an argument of that function), or return floating arrays
that are finite, except where the documentation says otherwise:

- nan: the 0-d ``"mean"`` of a loss whose denominator is 0 (no samples; every target
  ignored; the targets' weights all 0), as PyTorch (inf if label smoothing adds loss there);
- -inf: ``logsumexp`` over an empty axis (log 0); inf: ``cross_entropy_from_probs`` and
  ``kl_divergence`` where a needed probability is 0;
- ±inf: a value past the output dtype's range. The fuzz accepts it only when the inputs
  are large enough for that (see :func:`_may_overflow`), never as a silent NaN.

The counts (calls, InputErrors, finite results, non-InputError errors, NaNs) are kept in
``STATS``; each function's test checks its own (every call judged, none failed), so any test
alone, in any order, means the same. They are printed after the module (``pytest -s``).
The examples are the same on every run (CI must not flake); ``CEVIS_FUZZ_RANDOM=1`` draws
new ones, and ``CEVIS_FUZZ_EXAMPLES`` sets how many per function.
"""

import collections
import inspect
import math
import os
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import cevis

EXAMPLES = int(os.environ.get("CEVIS_FUZZ_EXAMPLES", 120))  # per function: ~2,000 calls in all
STATS = collections.defaultdict(collections.Counter)
FLOAT_DTYPES = [np.float16, np.float32, np.float64]
EXTREMES = [0.0, -0.0, 1.0, -1.0, 1e308, -1e308, 1.7e308, 65504.0, -65504.0, 3e38, 1e-320,
            1e-45, 0.5, 1e4, -1e4, 88.7, 709.8]

# ----------------------------------------------------------------------------- values
shapes = st.one_of(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
                   st.lists(st.integers(0, 4), max_size=3).map(tuple))  # 0-d and empty too
numbers = st.one_of(st.sampled_from(EXTREMES), st.floats(-50, 50), st.floats(-50, 50))


@st.composite
def float_arrays(draw, shape=None, dtype=None, elements=numbers):
    """A float16/32/64 (or int/bool) array; extremes are clipped to the dtype's own range."""
    shape = draw(shapes) if shape is None else shape
    dtype = np.dtype(dtype or draw(st.sampled_from(FLOAT_DTYPES + [np.int64, np.uint8, np.bool_])))
    values = draw(st.lists(elements, min_size=math.prod(shape), max_size=math.prod(shape)))
    arr = np.array(values, np.float64).reshape(shape)
    top = np.finfo(dtype).max if dtype.kind == "f" else 200
    return np.clip(arr, -top, top).astype(dtype)


@st.composite
def distributions(draw, shape=None):
    """Rows along the last axis that sum to 1 (rounded to the dtype); a few are garbage."""
    raw = draw(float_arrays(shape=shape, dtype=np.float64,
                            elements=st.sampled_from([0.0, 1.0, 2.0, 0.5, 1e-300, 1e300, 7.0])))
    if raw.ndim == 0 or raw.size == 0:
        return raw
    with np.errstate(invalid="ignore", divide="ignore"):
        p = raw / raw.sum(axis=-1, keepdims=True)
    return p.astype(draw(st.sampled_from(FLOAT_DTYPES)))


GARBAGE = st.sampled_from([
    None, "abc", [[1.0, 2.0], [3.0]], [1, "a"], np.array([1, "a"], dtype=object), {"a": 1},
    np.array(["x", "y"]), [1 + 2j], np.array([np.nan, 1.0]), [np.inf], 10 ** 30, True,
    np.array([10 ** 20], dtype=object), [[[]]], (), [1.5, 2.5],
])


class Picker:
    """Draws good values, or now and then (never in a clean call) bad ones or garbage."""

    def __init__(self, draw):
        self.draw = draw
        self.clean = draw(st.booleans())  # half the calls are valid throughout

    def bad(self, one_in):
        return not self.clean and self.draw(st.integers(0, one_in - 1)) == 0

    def hostile(self, strategy):
        return self.draw(GARBAGE if self.bad(4) else strategy)

    def option(self, good, bad):
        return self.draw(st.sampled_from(bad if self.bad(4) else good))

    def some(self, kwargs):
        """Leave some options at their defaults."""
        return {k: v for k, v in kwargs.items() if self.draw(st.booleans())}


AXES = ([-1, 0, 1], [2, -3, 5, 1.0, None, "x", True, np.int64(-1), (0, 1)])
REDUCTIONS = (["mean", "sum", "none"], ["avg", None, np.array(["mean", "sum"]), 1, b"mean", ["mean"]])
TEMPERATURES = ([1.0, 0.5, 2.0, 1e-320, 1e-50, 1e-8, 1e300, np.float32(3.0), 7],
                [0, -1.0, float("nan"), float("inf"), "hot", None, np.array([1.0, 2.0])])
SMOOTHING = ([0.0, 0.1, 1.0, 0.5], [1.5, -0.1, float("nan"), "a", None])
IGNORE = ([-100, 0, 1, 2 ** 70, np.int8(1)], [1.5, True, None, "0"])


def class_target(pk, logits, axis):
    """Class indices for ``logits`` (some out of range or ignored), or probabilities."""
    draw = pk.draw
    if not isinstance(logits, np.ndarray):
        return draw(st.one_of(GARBAGE, st.just([0, 1])))
    z = logits
    try:
        ax = int(axis) % z.ndim
    except (TypeError, ValueError, ZeroDivisionError):
        return draw(GARBAGE)
    index_shape = z.shape[:ax] + z.shape[ax + 1:]
    c = z.shape[ax]
    kind = "garbage" if pk.bad(6) else draw(st.sampled_from(["index"] * 3 + ["float_index", "probs"]))
    if kind in ("index", "float_index"):
        values = st.integers(0, max(c - 1, 0))
        if not pk.clean:
            values = st.one_of(*[values] * 6, st.sampled_from([-100, -1, c, 2 ** 40]))
        t = np.array(draw(st.lists(values, min_size=math.prod(index_shape),
                                   max_size=math.prod(index_shape))), np.int64).reshape(index_shape)
        return t.astype(np.float64) if kind == "float_index" else t
    if kind == "probs":
        return np.moveaxis(draw(distributions(np.moveaxis(z, ax, -1).shape)), -1, ax)
    return draw(GARBAGE)


def weights(pk, n):
    good = float_arrays(shape=(n,), dtype=np.float64,
                        elements=st.sampled_from([0.0, 1.0, 3.0, 1e308, 1e-308, 1e-320, 0.25]))
    if pk.bad(4):
        return pk.draw(st.one_of(float_arrays(), GARBAGE))
    return pk.draw(st.one_of(st.none(), good, good))


# ----------------------------------------------------------------------------- calls
@st.composite
def cross_entropy_call(draw):
    pk = Picker(draw)
    logits = pk.hostile(float_arrays())
    axis = pk.option(*AXES)
    target = class_target(pk, logits, axis)
    shape = logits.shape if isinstance(logits, np.ndarray) else ()
    c = shape[axis] if isinstance(axis, int) and -len(shape) <= axis < len(shape) else 2
    kwargs = {"axis": axis, "reduction": pk.option(*REDUCTIONS), "weight": weights(pk, c),
              "ignore_index": pk.option(*IGNORE), "label_smoothing": pk.option(*SMOOTHING)}
    return (logits, target), pk.some(kwargs)


@st.composite
def from_probs_call(draw):
    pk = Picker(draw)
    probs = pk.hostile(distributions())
    target = class_target(pk, probs, -1)
    kwargs = {"eps": pk.option([0.0, 1e-7, 0.1], [0.5, -1.0, "x"]),
              "reduction": pk.option(*REDUCTIONS), "axis": pk.option(*AXES)}
    return (probs, target), pk.some(kwargs)


@st.composite
def distribution_call(draw, two):
    pk = Picker(draw)
    probs = pk.hostile(distributions())
    other = pk.hostile(distributions(np.shape(probs))) if isinstance(probs, np.ndarray) \
        else draw(GARBAGE)
    args = (other, probs) if two else (probs,)
    return args, pk.some({"axis": pk.option(*AXES)})


@st.composite
def activation_call(draw, with_temperature, many_axes=False):
    pk = Picker(draw)
    kwargs = {"axis": pk.option(*AXES)}
    if with_temperature:
        kwargs["temperature"] = pk.option(*TEMPERATURES)
    if many_axes:
        kwargs["keepdims"] = pk.option([False, True], ["yes", None])
    return (pk.hostile(float_arrays()),), pk.some(kwargs)


@st.composite
def elementwise_call(draw):
    return (Picker(draw).hostile(float_arrays()),), {}


@st.composite
def binary_call(draw, probs):
    pk = Picker(draw)
    elements = st.sampled_from([0.0, 1.0, 0.5, 1e-320, 0.999]) if probs else numbers
    first = pk.hostile(float_arrays(elements=elements))
    shape = np.shape(first) if isinstance(first, np.ndarray) else draw(shapes)
    target = pk.hostile(float_arrays(shape=shape, elements=st.sampled_from([0.0, 1.0, 0.5])))
    n = shape[-1] if shape else 1
    kwargs = {"weight": weights(pk, n), "reduction": pk.option(*REDUCTIONS)}
    if not probs:
        kwargs["pos_weight"] = weights(pk, n)
    return (first, target), pk.some(kwargs)


def _quiet_sum(v):
    with np.errstate(all="ignore"):  # a sum past float64 is inf, which cevis must refuse
        return np.sum(v)


FUNCTIONS = [lambda v: float(_quiet_sum(v)), lambda v: _quiet_sum(v), lambda v: _quiet_sum(np.tanh(v))]
BAD_FUNCTIONS = [lambda v: None, lambda v: v, lambda v: float("nan"), lambda v: "a", 3, None]


@st.composite
def numerical_grad_call(draw):
    pk = Picker(draw)
    x = pk.hostile(float_arrays(shape=draw(st.lists(st.integers(0, 3), max_size=2).map(tuple))))
    kwargs = {"h": pk.option([1e-6, 1e-3, 1.0, 1e300], [0, -1.0, float("inf"), "h"])}
    return (pk.option(FUNCTIONS, BAD_FUNCTIONS), x), pk.some(kwargs)


CALLS = {
    "cross_entropy": cross_entropy_call(), "cross_entropy_grad": cross_entropy_call(),
    "cross_entropy_and_grad": cross_entropy_call(), "cross_entropy_from_probs": from_probs_call(),
    "entropy": distribution_call(False), "kl_divergence": distribution_call(True),
    "softmax": activation_call(True), "log_softmax": activation_call(True),
    "softmax_jacobian": activation_call(True), "logsumexp": activation_call(False, True),
    "sigmoid": elementwise_call(), "log_sigmoid": elementwise_call(),
    "binary_cross_entropy": binary_call(True), "binary_cross_entropy_with_logits": binary_call(False),
    "binary_cross_entropy_with_logits_grad": binary_call(False),
    "numerical_grad": numerical_grad_call(),
}
PUBLIC = [name for name in cevis.__all__ if name != "InputError"]


# ----------------------------------------------------------------------------- judging
def _floats(value):
    """``value`` as a float64 array if it is one, else None."""
    if isinstance(value, (np.ndarray, list, float, int)) and not isinstance(value, bool):
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            return None
        return arr
    return None


def _mean_over_nothing(name, args, kwargs):
    """True if the documented nan applies: a mean whose denominator is 0."""
    if kwargs.get("reduction", "mean") != "mean" or "grad" in name and name != "cross_entropy_and_grad":
        return False
    first = np.asarray(args[0])
    if name != "cross_entropy" and name != "cross_entropy_and_grad":
        return first.size == 0
    t = np.asarray(args[1])
    if t.shape == first.shape:
        return first.size == 0
    ignore = kwargs.get("ignore_index", -100)
    valid = t != ignore if t.dtype.kind == "f" or -2 ** 63 <= ignore < 2 ** 63 else np.ones(t.shape, bool)
    w = kwargs.get("weight")
    w = np.ones(first.shape[kwargs.get("axis", -1)]) if w is None else np.asarray(w, np.float64)
    return float(w[t[valid].astype(np.int64)].sum()) == 0.0


@np.errstate(over="ignore", divide="ignore")
def _may_overflow(name, args, kwargs, dtype):
    """True if the exact result may lie past ``dtype``'s range, or is documented infinite."""
    if name in ("cross_entropy_from_probs", "kl_divergence") and any(
            (a == 0).any() for a in map(_floats, args) if a is not None):
        return True
    if name == "logsumexp" and 0 in np.shape(args[0]):
        return True
    arrays = [a for a in map(_floats, list(args) + list(kwargs.values())) if a is not None]
    big = np.float64(max([1.0] + [float(np.abs(a[np.isfinite(a)]).max(initial=0)) for a in arrays]))
    temperature = kwargs.get("temperature", 1.0)
    big /= min(1.0, float(temperature)) if name != "numerical_grad" else min(1.0, kwargs.get("h", 1e-6))
    for key in ("weight", "pos_weight"):
        w = _floats(kwargs.get(key))
        if w is not None and w.size:
            big *= max(1.0, float(np.abs(w).max()))
    size = max([2] + [a.size for a in arrays])
    return big * size * 8 >= np.finfo(dtype).max


def _judge(name, args, kwargs):
    fn = getattr(cevis, name)
    stats = STATS[name]
    stats["calls"] += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = fn(*args, **kwargs)
    except cevis.InputError as err:
        msg = str(err)
        head = msg.split(" ", 2)
        params = inspect.signature(fn).parameters
        assert msg.startswith(f"{name}: ") and head[1] in params, f"badly named error: {msg}"
        stats["InputError"] += 1
        return
    except Exception as err:  # noqa: BLE001 - the point is to catch anything else
        stats["other error"] += 1
        raise AssertionError(f"{name} raised {type(err).__name__}: {err}") from err
    for out in result if isinstance(result, tuple) else (result,):
        assert isinstance(out, np.ndarray) and out.dtype.kind == "f", repr(out)
        if np.isnan(out).any():
            if out.ndim == 0 and _mean_over_nothing(name, args, kwargs):
                stats["documented nan"] += 1
                continue
            stats["NaN"] += 1
            raise AssertionError(f"{name} gave nan: {out!r}")
        if np.isinf(out).any():
            # (x / 0 for a mean whose denominator is 0, when smoothing adds loss: as PyTorch)
            assert _may_overflow(name, args, kwargs, out.dtype) or (
                out.ndim == 0 and _mean_over_nothing(name, args, kwargs)), f"{name} gave inf: {out!r}"
            stats["inf (documented or past the range)"] += 1
    stats["finite or documented"] += 1


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_function_is_fuzzed(name):
    assert name in CALLS, f"add a call strategy for the new public function {name}"


@pytest.fixture(scope="module", autouse=True)
def _print_counts():
    """The counts, for the report (``pytest -s``), after every test of this module ran."""
    yield
    total = collections.Counter()
    for name in sorted(STATS):
        total.update(STATS[name])
        print(f"{name:40s} {dict(STATS[name])}")
    print(f"{'ALL':40s} {dict(total)}")


@pytest.mark.parametrize("name", sorted(CALLS))
def test_fuzz(name):
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              derandomize=not os.environ.get("CEVIS_FUZZ_RANDOM"),
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
    @given(CALLS[name])
    def run(call):
        args, kwargs = call
        _judge(name, args, kwargs)

    STATS[name].clear()  # this test's own calls only, whatever ran before it
    run()
    stats = STATS[name]
    assert stats["calls"] >= EXAMPLES, f"only {stats['calls']} calls: the fuzz hardly ran"
    assert stats["calls"] == stats["InputError"] + stats["finite or documented"], dict(stats)
    assert stats["other error"] == 0 and stats["NaN"] == 0, dict(stats)
