"""The app's pins are written twice: requirements.txt (Community Cloud reads it) and
pyproject.toml's ``app`` extra (``pip install ".[app]"``, the deploy image). They must agree."""

import pathlib

import tomllib
from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _pins(lines) -> set[str]:
    """Each requirement in its canonical spelling (name, version, marker)."""
    return {str(Requirement(line)) for line in lines}


def test_the_app_extra_pins_what_requirements_txt_pins():
    text = (ROOT / "requirements.txt").read_text().splitlines()
    listed = [line.split(" #")[0].strip() for line in text]
    listed = [line for line in listed if line and not line.startswith("#")]
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    pins = _pins(listed)
    numpy = {p for p in pins if Requirement(p).name == "numpy"}
    assert numpy, "requirements.txt pins numpy"
    assert _pins(extra["app"]) == pins - numpy  # numpy comes with the library (dependencies)
