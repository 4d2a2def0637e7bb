"""The layering of DESIGN.md, enforced: math knows no plots, plots know no Streamlit, pages know no math."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
MATH = ["activations.py", "losses.py", "grads.py", "explain.py", "_checks.py", "parsing.py",
        "datasets.py", "formulas.py"]


def imported_modules(path):
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("name", MATH)
def test_math_modules_are_pure_numpy(name):
    assert not imported_modules(ROOT / "cevis" / name) & {"streamlit", "plotly", "pandas"}


def test_figures_know_no_streamlit():
    assert "streamlit" not in imported_modules(ROOT / "cevis" / "figures.py")


def test_only_ui_imports_streamlit_in_the_package():
    users = {p.name for p in (ROOT / "cevis").glob("*.py")
             if "streamlit" in imported_modules(p)}
    assert users <= {"ui.py"}


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "app_pages").glob("*.py")))
def test_pages_do_no_math(page):
    source = (ROOT / "app_pages" / page).read_text()
    assert "numpy" not in imported_modules(ROOT / "app_pages" / page)
    for call in ("np.exp(", "np.log(", "math.exp(", "math.log("):
        assert call not in source, f"{page} computes {call}: that belongs in cevis"


def test_app_only_routes():
    source = (ROOT / "app.py").read_text()
    assert "st.navigation" in source
    assert imported_modules(ROOT / "app.py") <= {"streamlit", "cevis"}
