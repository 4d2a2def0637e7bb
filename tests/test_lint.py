"""ruff is part of the suite, so the one test command also keeps the code clean."""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_ruff_check_passes():
    ruff = shutil.which("ruff")
    if ruff is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("ruff is not installed (requirements-dev.txt installs it)")
        pytest.skip("ruff is not installed: pip install -r requirements-dev.txt")
    done = subprocess.run([ruff, "check", "--output-format", "concise", "."], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr



def test_every_stylesheet_closes_what_it_opens():
    # a merge once left an @container block open: the rules after it applied on phones only
    import pathlib

    for css in pathlib.Path(__file__).resolve().parents[1].glob("cevis_app/**/*.css"):
        depth = 0
        for char in css.read_text():
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, css
        assert depth == 0, f"{css}: {depth} block(s) left open"
