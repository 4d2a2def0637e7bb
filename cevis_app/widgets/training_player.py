"""The training player on a page: keep its run in the session, take the browser's reports, mount.

As the descent player (:mod:`cevis_app.widgets.descent_player`): the browser reports the epoch
it shows when it pauses and asks for the next epochs as it nears the end; a change of η or λ
continues from the last reported epoch; Reset trains again from the start.
"""

from __future__ import annotations

import functools

import streamlit as st

from cevis_app.live.component import mount
from cevis_app.views.player_payload import encode_training
from cevis_app.views.training import MAX_EPOCHS
from cevis_app.views.training_player import TrainSettings
from cevis_app.views.training_player import continue_from
from cevis_app.views.training_player import extend
from cevis_app.views.training_player import start_play
from cevis_app.widgets import present
from cevis_app.widgets.live import acknowledge
from cevis_app.widgets.live import count_render
from cevis_app.widgets.live import whole

COMMANDS = ("more", "pause", "reset")  # what the browser may send


def _state(key: str) -> dict:
    return st.session_state.setdefault(f"_{key}.run", {"play": None, "at": 0, "playing": False})


def _commit(key: str, split, classes: int) -> None:
    """Callback: the epoch the browser shows; the next epochs, or a fresh start, if asked."""
    value = acknowledge(key)
    state = _state(key)
    play = state["play"]
    if not isinstance(value, dict) or play is None or value.get("cmd") not in COMMANDS:
        return
    epoch = whole(value.get("step"), 0, MAX_EPOCHS)
    if epoch is None:
        return
    state["at"] = min(epoch, play.last)
    state["playing"] = value["cmd"] == "more"
    if value["cmd"] == "more":
        state["play"] = extend(play, split)
    elif value["cmd"] == "reset":
        state.update(play=start_play(play.key, split, classes, play.settings), at=0)


def training_player(data_key, split, species, samples, settings: TrainSettings, *, key: str,
                    scale: float | None = None, refresh: bool = False):
    """Train on ``split`` as the browser plays; a change of ``settings`` continues from the
    epoch shown; new data (``data_key``: features and species) starts again."""
    state = _state(key)
    play = state["play"]
    classes = len(species)
    if play is None or play.key != data_key:
        state.update(play=start_play(data_key, split, classes, settings), at=0, playing=False)
    elif play.settings != settings:
        state.update(play=continue_from(play, split, state["at"], settings), playing=False)
    payload = encode_training(state["play"], split, samples, species, state["at"], state["playing"])
    payload["render"] = count_render()
    payload["ack"] = st.session_state.get(f"{key}.ack", 0)
    payload["scale"] = float(present.chart_scale() if scale is None else scale)
    payload["refresh"] = int(refresh)  # the page below is stale: report once this is drawn
    return mount(payload, key=key, on_commit=functools.partial(_commit, key, split, classes))
