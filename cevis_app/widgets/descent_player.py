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
from cevis_app.views.descent_player import CHUNK
from cevis_app.views.descent_player import Segment
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
FIRST_RUNS = 64  # first chunks kept (samples x settings): a class follows one teacher


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


@functools.lru_cache(maxsize=FIRST_RUNS)  # not st.cache_resource: its hashing costs ~0.3 ms a call
def _first(start: tuple, true_index: int, learning_rate: float, loss: str, smoothing: float,
           temperature: float, names: tuple):
    """A run's first chunk from ``start`` and its payload at step 0, paused: every follower of
    a room opens the teacher's sample, so it is computed once per process (read-only)."""
    run = start_run(start, true_index, Settings(learning_rate, loss, smoothing, temperature))
    for a in (run.logits, run.probs, run.grads, run.losses):
        a.setflags(write=False)
    return run, encode_descent(run, names, 0, False)


def _first_of(start, true_index, settings: Settings, names):
    return _first(tuple(float(v) + 0.0 for v in start), int(true_index),  # -0.0 is 0.0
                  float(settings.learning_rate), str(settings.loss),
                  float(settings.label_smoothing), float(settings.temperature),
                  tuple(str(n) for n in names))


def descent_player(names, logits, true_index: int, settings: Settings, *, key: str,
                   scale: float | None = None, refresh: bool = False):
    """Play descent from ``logits``; a change of ``settings`` continues from the step shown."""
    state = _state(key)
    run = state["run"]
    start = (tuple(float(v) for v in logits), int(true_index))
    if run is None or (run.start_logits, run.true_index) != start:
        state.update(run=_first_of(start[0], true_index, settings, names)[0], at=0, playing=False)
    elif run.settings != settings:
        state.update(run=continue_from(run, state["at"], settings), playing=False)
    run = state["run"]
    if run.segments == (Segment(0, settings),) and run.last == CHUNK and state["at"] == 0 \
            and not state["playing"]:  # the first chunk, paused at its start: the shared payload
        payload = dict(_first_of(run.start_logits, run.true_index, settings, names)[1])
    else:
        payload = encode_descent(run, names, state["at"], state["playing"])
    payload["render"] = count_render()
    payload["ack"] = st.session_state.get(f"{key}.ack", 0)
    payload["scale"] = float(present.chart_scale() if scale is None else scale)
    payload["refresh"] = int(refresh)  # the page below is stale: report once this is drawn
    return mount(payload, key=key, on_commit=functools.partial(_commit, key))
