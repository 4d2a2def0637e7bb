"""The server's event loop is uvloop's (requirements.txt pins it; Streamlit picks it by itself).

Measured in bench/RESULTS_class.md (tenth session): a class's messages cost ~20 % less server
CPU on uvloop than on asyncio's own loop. These tests fail if the pin is dropped, if the
install lacks it, or if a Streamlit upgrade stops using it.
"""

import pathlib
import sys

import pytest

from .helpers import SERVER_PIDS


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop has no Windows build (requirements.txt)")
def test_streamlit_would_start_its_loop_from_uvloop():
    from streamlit.web import bootstrap

    factory = bootstrap._get_uvloop_loop_factory()  # what bootstrap.run hands asyncio.Runner
    assert factory is not None, "uvloop is not installed: pip install -r requirements.txt"
    loop = factory()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()


@pytest.mark.skipif(not pathlib.Path("/proc/self/maps").exists(), reason="reads /proc (Linux)")
def test_the_running_server_has_uvloop_loaded(app_url):
    maps = pathlib.Path(f"/proc/{SERVER_PIDS[app_url]}/maps").read_text()
    assert "/uvloop/loop." in maps, "the server's process did not load uvloop's loop"
