"""The library's type hints: complete on the public surface, and consistent under mypy.

Every public function takes ``numpy.typing.ArrayLike`` (or a plain option type) and returns
``np.ndarray`` (or a tuple or dict of them); ``py.typed`` ships in the wheel
(tests/lib/test_wheel.py), so a user's type checker reads these hints. mypy comes from
requirements-dev.txt; it checks cevis/ in about 2-3 s.
"""

import inspect
import pathlib
import subprocess
import sys
import textwrap

import pytest

import cevis
import cevis.checks
import cevis.conventions
import cevis.grads
import cevis.mse

ROOT = pathlib.Path(__file__).resolve().parents[2]
PUBLIC = sorted(
    {(m.__name__, name) for m in (cevis, cevis.checks) for name in m.__all__
     if inspect.isfunction(getattr(m, name))}
    | {("cevis.conventions", "binary_losses_by_convention"),
       ("cevis.conventions", "true_class_losses_by_convention"),
       ("cevis.mse", "mse_on_probabilities"),
       ("cevis.grads", "mse_on_probabilities_grad")})


def _function(module, name):
    return getattr(sys.modules[module], name)


def test_the_public_surface_is_not_empty():
    assert len(PUBLIC) >= 20  # 16 functions in cevis.__all__, the checks, the app's four


@pytest.mark.parametrize("module, name", PUBLIC)
def test_every_public_function_is_fully_annotated(module, name):
    sig = inspect.signature(_function(module, name))
    missing = [p for p, v in sig.parameters.items() if v.annotation is inspect.Parameter.empty]
    assert not missing, f"{module}.{name}: parameters without a type: {missing}"
    assert sig.return_annotation is not inspect.Signature.empty, f"{module}.{name}: no return type"


@pytest.mark.parametrize("name", [n for n in cevis.__all__ if inspect.isfunction(getattr(cevis, n))])
def test_array_functions_take_array_like_and_return_arrays(name):
    sig = inspect.signature(getattr(cevis, name))
    first = next(iter(sig.parameters.values()))
    if name != "numerical_grad":  # its first argument is the function to differentiate
        assert first.annotation == "ArrayLike", f"{name}({first.name}: {first.annotation})"
    assert "np.ndarray" in sig.return_annotation


def _mypy(tmp_path, *args):
    cmd = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"),
           "--no-error-summary", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_mypy_finds_the_library_consistent_and_a_wrong_call_wrong(tmp_path):
    done = _mypy(tmp_path)  # files = ["cevis"] in pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr
    user = tmp_path / "user.py"
    user.write_text(textwrap.dedent("""
        import numpy as np
        import cevis

        loss: np.ndarray = cevis.cross_entropy([[2.0, 1.0]], [0], weight=[1.0, 2.0])
        pair: tuple[np.ndarray, np.ndarray] = cevis.cross_entropy_and_grad([[1.0, 0.0]], [1])
        wrong: str = cevis.softmax([1.0, 2.0])
        cevis.cross_entropy([[1.0]], [0], label_smoothing="lots")
    """))
    done = _mypy(tmp_path, str(user))
    errors = [ln for ln in done.stdout.splitlines() if ": error:" in ln]
    assert [int(ln.split(":")[1]) for ln in errors] == [7, 8], done.stdout
