"""The layering of DESIGN.md, enforced by folder (every module found by glob, none listed by hand):
the library knows numpy only, views know no plots or Streamlit, charts know no Streamlit, pages
know no numpy maths, and app.py only routes."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
STDLIB = {"__future__", "math", "numbers", "dataclasses", "typing", "functools", "collections"}


def imported_modules(path):
    """Top-level names of every absolute import in ``path`` (lazy ones inside functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def modules(folder):
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", modules("cevis"))
def test_library_imports_numpy_alone(path):
    assert imported_modules(ROOT / path) <= {"numpy"} | STDLIB, \
        f"{path}: the library a notebook installs needs numpy alone"


@pytest.mark.parametrize("path", modules("cevis_app/views") + modules("cevis_app/text")
                         + ["cevis_app/urlstate.py", "cevis_app/nav.py"])
def test_views_and_text_know_no_plots_and_no_streamlit(path):
    assert not imported_modules(ROOT / path) & {"streamlit", "plotly", "pandas"}


@pytest.mark.parametrize("path", modules("cevis_app/charts"))
def test_charts_know_no_streamlit(path):
    assert "streamlit" not in imported_modules(ROOT / path)


@pytest.mark.parametrize("path", modules("cevis_app"))
def test_only_widgets_live_rooms_and_the_hooks_import_streamlit(path):
    if "streamlit" in imported_modules(ROOT / path):
        assert path.split("/")[1] in {"widgets", "live", "rooms", "streamlit_hooks"}, path


INTERNALS = ("streamlit.runtime", "streamlit.web", "streamlit.proto", "streamlit.elements")
HOOKS = "cevis_app/streamlit_hooks/"  # the one package for them


@pytest.mark.parametrize("path", modules("cevis_app") + modules("app_pages") + ["app.py"])
def test_streamlit_internals_only_in_the_hooks_module(path):
    if path.startswith(HOOKS):
        return
    internal = sorted(n for n in imported_names(ROOT / path) if n.startswith(INTERNALS))
    assert not internal, f"{path} imports {internal}: put it behind a check in {HOOKS}"


def imported_names(path):
    """``module.name`` for every absolute import in ``path`` (``module`` alone for ``import x``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


@pytest.mark.parametrize("path", modules("cevis_app") + modules("app_pages") + ["app.py"])
def test_the_app_uses_the_library_public_api_only(path):
    private = sorted(n for n in imported_names(ROOT / path)
                     if n.split(".")[0] == "cevis" and any(p.startswith("_") for p in n.split(".")))
    assert not private, f"{path} reaches into the library's private parts: {private} " \
        "(publish what it needs, as cevis.checks does)"


@pytest.mark.parametrize("path", modules("cevis_app/views"))
def test_views_never_import_text(path):
    # One direction: text (formulas, code, tables written out) renders what views computed,
    # and parses user text into values views take; views never reach back into text.
    into_text = sorted(n for n in imported_names(ROOT / path) if n.startswith("cevis_app.text"))
    assert not into_text, f"{path} imports {into_text}: views -> text would close a cycle"


@pytest.mark.parametrize("path", modules("cevis"))
def test_the_library_never_imports_the_app(path):
    assert "cevis_app" not in imported_modules(ROOT / path)


@pytest.mark.parametrize("page", modules("app_pages"))
def test_pages_do_no_math(page):
    source = (ROOT / page).read_text()
    assert "numpy" not in imported_modules(ROOT / page)
    for call in ("np.", "math.exp(", "math.log(", "cevis.softmax(", "cevis.cross_entropy"):
        assert call not in source, f"{page} computes {call}: that belongs in cevis or a view"


def test_app_only_routes():
    source = (ROOT / "app.py").read_text()
    assert "st.navigation" in source
    assert imported_modules(ROOT / "app.py") <= {"streamlit", "cevis_app"}
