"""The live view's files on disk (streamlit_hooks/components.py): written once when the server
first runs a page, served from there, and removed when the server stops (a supervised worker
restarted all term must not leave a folder behind per start)."""

import pathlib

from .helpers import run_async
from .helpers import streamlit_server
from .roomclient import Tab


def test_the_files_folder_lives_as_long_as_the_server(tmp_path):
    async def one_run(url):
        async with Tab(url, device="filesfilesfiles0") as tab:
            await tab.run("explorer")
            assert not tab.exceptions, tab.exceptions

    with streamlit_server({"TMPDIR": str(tmp_path)}) as url:
        run_async(one_run(url))
        folders = list(tmp_path.glob("cevis-assets-*"))
        assert len(folders) == 1
        source = pathlib.Path(__file__).resolve().parents[2] / "cevis_app" / "live" / "live_main.js"
        assert source.read_text() in (folders[0] / "assets" / "live.js").read_text()
    assert list(tmp_path.glob("cevis-assets-*")) == []  # the server stopped (SIGTERM): gone
