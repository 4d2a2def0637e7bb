"""Mount the live component: Streamlit's components v2, inline HTML/CSS/JS, no iframe.

The JavaScript (``live_core.js``, ``live_formulas.js``, one view per page kind, ``live_main.js``)
is joined into one module once per process and served by URL with the CSS (the browser
fetches them once per page load); each mount sends a payload from
:mod:`cevis_app.views.live_payload` as UTF-8 JSON bytes (``encode``). The
browser answers with one trigger, ``commit``, when a drag or key press is released.
"""

from __future__ import annotations

import functools
import json
import pathlib

import streamlit as st

from cevis_app import streamlit_hooks

HERE = pathlib.Path(__file__).parent
NAME = "cevis_live"  # unique in the app; not "<project>.<name>", which asks for an asset dir
# one ES module, in this order: helpers, formulas, the views (each uses only the two before),
# the entry point (which names the views); see live_core.js
JS_FILES = ("live_core.js", "live_formulas.js", "live_multiclass.js", "live_binary.js",
            "live_descent.js", "live_training.js", "live_main.js")


PACKAGE, COMPONENT = "cevis", "live"  # served by URL as "cevis.live" (streamlit_hooks.serve_files)


@functools.cache
def _files() -> dict[str, str]:
    js = "\n".join((HERE / name).read_text() for name in JS_FILES)
    return {"live.js": js, "live.css": (HERE / "live.css").read_text()}


@functools.cache
def _renderer(served: bool):
    """The component: its files fetched by URL once per page load when the server serves them
    (each mount then carries only its data: ~10 KB, not 80), else inline."""
    if served:
        return st.components.v2.component(f"{PACKAGE}.{COMPONENT}", js="live.js", css="live.css")
    files = _files()
    return st.components.v2.component(NAME, css=files["live.css"], js=files["live.js"])


def serve() -> bool:
    """Serve the files by URL on the running server (once per runtime; False: inline)."""
    return streamlit_hooks.serve_files(PACKAGE, COMPONENT, _files())


def encode(payload: dict | str) -> bytes:
    """The component's data: ``payload`` (a dict, or its JSON text) as UTF-8 JSON bytes.

    Streamlit forwards bytes as they are; a dict it scans key by key for dataframes, encodes,
    and encodes again sorted for the element's identity (~0.1 ms a mount, 14x the bytes' cost:
    a room of 100 opening a page pays it 100 times). The browser parses it (live_main.js).

    >>> encode({"v": 1, "names": ["cat", "dog"]}), encode('{"v": 1}')
    (b'{"v":1,"names":["cat","dog"]}', b'{"v": 1}')
    """
    text = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return text.encode()


def mount(payload: dict | str, *, key: str, on_commit):
    """Render the component with ``payload`` (a dict, or its JSON text: a shared part encoded
    once, as widgets/live.py's sample_json); ``on_commit()`` runs before the rerun a release causes.

    Read the committed value in the callback from ``st.session_state[key]["commit"]``:
    it comes from the browser, so validate it (see :mod:`cevis_app.widgets.live`).
    """
    return _renderer(serve())(key=key, data=encode(payload), on_commit_change=on_commit,
                              width="stretch", height="content")
