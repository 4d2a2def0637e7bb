"""The router's pages are built once per process (cevis_app/widgets/router.py), and every
session still runs and switches its own page."""

import pathlib

from streamlit.testing.v1 import AppTest

from cevis_app.widgets import router

TIMEOUT = 30  # s: the first run imports plotly and pandas
APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")


def _run(page):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def test_pages_are_built_once_and_sessions_stay_apart():
    explorer = _run("app_pages/explorer.py")
    built = {id(p) for pages in router._BUILT[str(pathlib.Path(APP).parent)].values() for p in pages}
    lessons = _run("app_pages/lessons.py")
    cached = [p for pages in router._BUILT[str(pathlib.Path(APP).parent)].values() for p in pages]
    assert {id(p) for p in cached} == built  # the second session built nothing
    assert explorer.title[0].value == "Explorer"  # each session shows its own page
    assert lessons.get("markdown") or lessons.get("header")
    explorer.slider(key="explorer.z0").set_value(1.5).run()
    assert not explorer.exception
    assert explorer.slider(key="explorer.z0").value == 1.5
