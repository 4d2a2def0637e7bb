"""The descent player on a page: keep its run in the session, take the browser's reports, mount.

The browser reports its step when it pauses (or rests after stepping) and asks for more frames
as the playhead nears the end; both arrive as the component's ``commit`` and are checked here
(they come from the network). A change of the settings continues from the last reported step.
"""

from __future__ import annotations

import functools

import streamlit as st

from cevis_app.live.component import mount
from cevis_app.views.descent import MAX_STEPS
from cevis_app.views.descent_player import Settings
from cevis_app.views.descent_player import continue_from
from cevis_app.views.descent_player import extend
from cevis_app.views.descent_player import start_run
from cevis_app.views.player_payload import encode_descent
from cevis_app.widgets import present
from cevis_app.widgets.live import acknowledge
from cevis_app.widgets.live import count_render
from cevis_app.widgets.live import whole

COMMANDS = ("more", "pause")  # what the browser may send


def _state(key: str) -> dict:
    return st.session_state.setdefault(f"_{key}.run", {"run": None, "at": 0, "playing": False})


def _commit(key: str) -> None:
    """Callback: the step the browser shows, and whether it wants the next chunk."""
    value = acknowledge(key)
    state = _state(key)
    if not isinstance(value, dict) or state["run"] is None or value.get("cmd") not in COMMANDS:
        return
    step = whole(value.get("step"), 0, MAX_STEPS)
    if step is None:
        return
    state["at"] = min(step, state["run"].last)
    state["playing"] = value["cmd"] == "more"
    if value["cmd"] == "more":
        state["run"] = extend(state["run"])


def descent_player(names, logits, true_index: int, settings: Settings, *, key: str,
                   scale: float | None = None, refresh: bool = False):
    """Play descent from ``logits``; a change of ``settings`` continues from the step shown."""
    state = _state(key)
    run = state["run"]
    start = (tuple(float(v) for v in logits), int(true_index))
    if run is None or (run.start_logits, run.true_index) != start:
        state.update(run=start_run(logits, true_index, settings), at=0, playing=False)
    elif run.settings != settings:
        state.update(run=continue_from(run, state["at"], settings), playing=False)
    payload = encode_descent(state["run"], names, state["at"], state["playing"])
    payload["render"] = count_render()
    payload["ack"] = st.session_state.get(f"{key}.ack", 0)
    payload["scale"] = float(present.chart_scale() if scale is None else scale)
    payload["refresh"] = int(refresh)  # the page below is stale: report once this is drawn
    return mount(payload, key=key, on_commit=functools.partial(_commit, key))
