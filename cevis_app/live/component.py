"""Mount the live component: Streamlit's components v2, inline HTML/CSS/JS, no iframe.

The JavaScript (``live_core.js``, ``live_formulas.js``, one view per page kind, ``live_main.js``)
is registered once per
process; each mount sends a payload from :mod:`cevis_app.views.live_payload`. The
browser answers with one trigger, ``commit``, when a drag or key press is released.
"""

from __future__ import annotations

import functools
import pathlib

import streamlit as st

HERE = pathlib.Path(__file__).parent
NAME = "cevis_live"  # unique in the app; not "<project>.<name>", which asks for an asset dir
# one ES module, in this order: helpers, formulas, the views (each uses only the two before),
# the entry point (which names the views); see live_core.js
JS_FILES = ("live_core.js", "live_formulas.js", "live_multiclass.js", "live_binary.js",
            "live_descent.js", "live_main.js")


@functools.cache
def _renderer():
    js = "\n".join((HERE / name).read_text() for name in JS_FILES)
    return st.components.v2.component(NAME, css=(HERE / "live.css").read_text(), js=js)


def mount(payload: dict, *, key: str, on_commit):
    """Render the component with ``payload``; ``on_commit()`` runs before the rerun a release causes.

    Read the committed value in the callback from ``st.session_state[key]["commit"]``:
    it comes from the browser, so validate it (see :mod:`cevis_app.widgets.live`).
    """
    return _renderer()(key=key, data=payload, on_commit_change=on_commit, width="stretch",
                       height="content")
