"""cevis must agree with PyTorch: checked against a stored reference.

The expected values in tests/lib/fixtures/torch_reference.json were computed by
PyTorch 2.13.0 (CPU build) with tests/lib/make_torch_reference.py, which also says
how to regenerate the file. torch is not needed (nor imported) here.

Each fixture case is one test, named by its case id. A case names a cevis
function, its inputs (float arrays of the case's dtype, integer class targets
as int64), its keyword arguments, torch's output and, for the losses that
have a *_grad twin, torch's autograd gradient of the reduced loss (of
loss.sum() for reduction="none").
"""

import json
import pathlib

import numpy as np
import pytest

import cevis

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "torch_reference.json"
CASES = json.loads(FIXTURE.read_text())["cases"]
GRAD_CASES = [c for c in CASES if "expected_grad" in c]
ARRAY_KWARGS = ("weight", "pos_weight")


def decode(value, dtype):
    """Nested JSON lists -> numpy array; "inf", "-inf", "nan" -> floats."""
    def fix(v):
        if isinstance(v, list):
            return [fix(x) for x in v]
        return float(v) if isinstance(v, str) else v
    return np.array(fix(value), dtype=dtype)


def inputs(case):
    dtype = np.dtype(case["dtype"])
    int_args = case.get("int_args", [])
    args = [decode(v, np.int64 if name in int_args else dtype)
            for name, v in case["args"].items()]
    kwargs = {k: decode(v, dtype) if k in ARRAY_KWARGS else v
              for k, v in case["kwargs"].items()}
    return args, kwargs


def tolerances(case, args):
    if case["dtype"] == "float64":
        return 1e-12, 1e-12
    # float32: results are about as large as the inputs (e.g. a loss of
    # 1e4 from logits of 1e4), and float32 rounding of such a result is
    # about 1e-7 of it, whatever the size of the final difference (log(2)
    # from two logits of 1e4 comes out within ~1e-3); so the absolute
    # tolerance grows with the largest input.
    largest = [np.abs(a).max(initial=0.0) for a in args if a.dtype.kind == "f"]
    return 2e-6, 1e-6 * max(1.0, *largest)


def check(actual, expected, rtol, atol):
    assert isinstance(actual, np.ndarray), f"expected a numpy array, got {type(actual)}"
    assert actual.dtype == expected.dtype
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True)


def run(case, fn_name):
    args, kwargs = inputs(case)
    copies = [a.copy() for a in args]
    actual = getattr(cevis, fn_name)(*args, **kwargs)
    for a, c in zip(args, copies):
        np.testing.assert_array_equal(a, c, err_msg="inputs were modified in place")
    return actual, args


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_value(case):
    actual, args = run(case, case["fn"])
    expected = decode(case["expected"], case["dtype"])
    if case["kwargs"].get("reduction") in ("mean", "sum"):
        assert np.ndim(actual) == 0, "a reduced loss must be a 0-d array"
    check(actual, expected, *tolerances(case, args))


@pytest.mark.parametrize("case", GRAD_CASES, ids=[c["id"] for c in GRAD_CASES])
def test_grad(case):
    actual, args = run(case, case["fn"] + "_grad")
    expected = decode(case["expected_grad"], case["dtype"])
    # Gradients are bounded by the weights (softmax/sigmoid minus target),
    # whatever the size of the logits: plain tolerances.
    rtol, atol = (1e-12, 1e-12) if case["dtype"] == "float64" else (2e-6, 1e-6)
    check(actual, expected, rtol, atol)
