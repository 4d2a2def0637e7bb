"""``pip wheel .`` gives the library alone, and it works in a fresh venv with numpy only.

The wheel is built from a copy of what the package needs (pyproject.toml, LICENSE, cevis/,
whose README.md is the long description), so the build leaves nothing in the worktree. It is built without
build isolation (offline) when the running setuptools is new enough for pyproject.toml
(>= 77, PEP 639 licence fields), else with isolation, which fetches setuptools from PyPI.

The venv is made without --system-site-packages; the running interpreter's numpy (its
package and dist-info, nothing else) is put on its path by a .pth file, so the install
needs no network and pip sees numpy>=2.0 satisfied. streamlit, plotly and pandas, which
this interpreter has, must then be unreachable and never imported.
"""

import doctest
import importlib.metadata
import pathlib
import shutil
import subprocess
import sys
import venv
import zipfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE_FILES = ("pyproject.toml", "LICENSE")
LONG_DESCRIPTION_BUDGET = 6_000  # characters: the library's own README, not the app's 35 KB
APP_MODULES = ("streamlit", "plotly", "pandas")
SMOKE = """
import sys
import numpy as np
import cevis
assert cevis.__file__.startswith(sys.prefix), cevis.__file__  # the wheel, not the worktree
assert abs(float(cevis.cross_entropy([[2.0, 1.0, 0.1]], [0])) - 0.41703) < 1e-5
np.testing.assert_allclose(cevis.softmax([0.0, 0.0]), [0.5, 0.5])
try:
    cevis.cross_entropy([[1.0]], [3])
except cevis.InputError as err:
    assert str(err).startswith("cross_entropy: target")
else:
    raise AssertionError("no InputError")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {app})
assert not loaded, loaded
print("ok", cevis.__version__)
"""


def _run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _build_wheel(tmp: pathlib.Path) -> pathlib.Path:
    src, dist = tmp / "src", tmp / "dist"
    src.mkdir()
    for name in PACKAGE_FILES:
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "cevis", src / "cevis", ignore=shutil.ignore_patterns("__pycache__"))
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
           "-q", "-w", str(dist), str(src)]
    setuptools_major = int(importlib.metadata.version("setuptools").split(".")[0]) \
        if _installed("setuptools") else 0
    if setuptools_major >= 77:
        cmd.insert(4, "--no-build-isolation")  # offline: the running setuptools builds it
    _run(cmd)
    (wheel,) = dist.glob("cevis-*.whl")
    return wheel


def _installed(dist: str) -> bool:
    try:
        importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _numpy_only(tmp: pathlib.Path) -> pathlib.Path:
    """A folder holding links to this interpreter's numpy and nothing else."""
    site = pathlib.Path(np.__file__).parent.parent
    folder = tmp / "numpy-only"
    folder.mkdir()
    for item in [site / "numpy", site / "numpy.libs", *site.glob("numpy-*.dist-info")]:
        if item.exists():
            (folder / item.name).symlink_to(item)
    return folder


def test_the_wheel_holds_the_library_alone_and_runs_with_numpy_only(tmp_path):
    wheel = _build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "cevis/__init__.py" in names and "cevis/_fast.py" in names
    outside = [n for n in names if not n.startswith(("cevis/", "cevis-"))]
    assert not outside, f"the wheel holds more than cevis/: {outside}"
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    requires = [ln for ln in metadata.splitlines() if ln.startswith("Requires-Dist:")]
    assert [r for r in requires if "extra ==" not in r] == ["Requires-Dist: numpy>=2.0"]
    extras = {}  # extra -> the distributions it adds
    for r in requires:
        if "extra ==" in r:
            name = r.split("extra ==")[1].strip().strip('"')
            extras.setdefault(name, set()).add(r.split(";")[0].split()[-1].split("=")[0])
    assert set(extras) == {"app", "rooms"}, extras  # the app's pins; redis for shared rooms
    assert extras["app"] >= {"streamlit", "plotly", "pandas"} and extras["rooms"] == {"redis"}
    assert "License-Expression: MIT" in metadata
    assert "cevis/py.typed" in names  # PEP 561: type checkers read the hints
    header, _, description = metadata.partition("\n\n")
    assert description.startswith("# cevis\n") and len(description) < LONG_DESCRIPTION_BUDGET
    assert "Serving a class" not in description and "streamlit" not in description.lower()
    assert "Description-Content-Type: text/markdown" in header
    assert "Requires-Python: >=3.10" in header
    pythons = [ln.rsplit(" ", 1)[-1] for ln in header.splitlines()
               if ln.startswith("Classifier: Programming Language :: Python :: 3.")]
    assert min(pythons, key=lambda v: tuple(map(int, v.split(".")))) == "3.10"  # as requires-python

    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env)
    python = env / "bin" / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    (pathlib.Path(purelib.strip()) / "numpy_only.pth").write_text(f"{_numpy_only(tmp_path)}\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index",
          "--no-cache-dir", "--disable-pip-version-check", "-q", str(wheel)])
    out = _run([str(python), "-c", SMOKE.replace("{app}", repr(set(APP_MODULES)))], cwd=tmp_path)
    assert out.startswith("ok ")
    for module in APP_MODULES:  # and they are really out of reach, not merely unused
        probe = f"import importlib.util as u; print(u.find_spec({module!r}) is None)"
        assert _run([str(python), "-c", probe], cwd=tmp_path).strip() == "True"


def test_the_wheel_readme_examples_print_what_they_say():
    result = doctest.testfile(str(ROOT / "cevis" / "README.md"), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 4 and result.failed == 0
