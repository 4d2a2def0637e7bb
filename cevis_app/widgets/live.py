"""The live component on a page: build the payload, mount it, take its commit into widget state.

A commit is one release of a drag (or of a key): the browser sends the values it showed,
in integer hundredths; the callback checks them (they arrive from the network) and writes
them into the bound widgets' keys, so the sliders, the URL and the rest of the page follow
in the one rerun that follows.
"""

from __future__ import annotations

import functools
import json
import numbers

import streamlit as st

from cevis_app.live.component import mount
from cevis_app.urlstate import SPEC
from cevis_app.views.live import LOGIT_HIGH
from cevis_app.views.live import LOGIT_LOW
from cevis_app.views.live import live_tables
from cevis_app.views.live import loss_curve
from cevis_app.views.live_binary import binary_live_tables
from cevis_app.views.live_payload import encode_binary
from cevis_app.views.live_payload import encode_live
from cevis_app.widgets import present
from cevis_app.widgets import url_values

PAYLOADS = 512  # encoded Explorer payloads kept (~10 KiB each): a room's or presets' samples
RENDERS = "_cevis_live.renders"  # per-session count of mounts: lets a browser test count reruns
T_RANGE = (round(SPEC.temperature.low * 100), round(SPEC.temperature.high * 100))  # in 1e-2
T_STEP = round(SPEC.temperature.step * 100)  # a committed T is on the slider's step
P_RANGE = (0, 10_000)  # the binary probability, in 1e-4 (the slider's 0.001 steps are 10 of them)


MAX_SEQ = 10**9  # commits a view can send in one session: far beyond any class


def count_render() -> int:
    st.session_state[RENDERS] = st.session_state.get(RENDERS, 0) + 1
    return st.session_state[RENDERS]


def whole(v, low: int, high: int, step: int = 1) -> int | None:
    """``v`` if it is an integer in [low, high] on the step, else None (untrusted input)."""
    ok = isinstance(v, numbers.Integral) and not isinstance(v, bool) and low <= v <= high \
        and (v - low) % step == 0
    return int(v) if ok else None


def acknowledge(key: str):
    """The commit the component sent, its sequence number kept for the next render's ``ack``
    (the browser drops renders made before its last commit was taken, valid or not)."""
    value = (st.session_state.get(key) or {}).get("commit")
    if isinstance(value, dict):
        seq = whole(value.get("seq"), 1, MAX_SEQ)
        if seq is not None:
            st.session_state[f"{key}.ack"] = seq
    return value


def _commit_sample(key: str, prefix: str, classes: int) -> None:
    """Callback: the Explorer's logits and temperature from the component's commit."""
    value = acknowledge(key)
    if not isinstance(value, dict) or not isinstance(value.get("z"), list):
        return
    z = [whole(v, round(LOGIT_LOW * 100), round(LOGIT_HIGH * 100)) for v in value["z"]]
    t = whole(value.get("T"), *T_RANGE, T_STEP)
    if len(z) != classes or None in z or t is None:
        return
    for i, v in enumerate(z):
        st.session_state[f"{prefix}.z{i}"] = v / 100
    st.session_state[f"{prefix}.T"] = t / 100


@functools.lru_cache(maxsize=PAYLOADS)
def _sample_json(names: tuple, logits: tuple, true_index: int, temperature: float) -> str:
    """The encoded tables of one sample (~1 ms to build) as JSON, its closing brace left off
    (a browser's fields follow): shared by every session showing it (a room's students all
    show the teacher's)."""
    tables = live_tables(list(logits), true_index, temperature)
    return json.dumps(encode_live(tables, names, *loss_curve()))[:-1]


def sample_json(names, logits, true_index: int, temperature: float, *, render: int | str,
                ack: int, scale: float, reveal: bool = False) -> str:
    """The Explorer's payload as JSON: the shared part encoded once per sample, this browser's
    fields appended (sample_live's mount, and a room's push, built without a script run)."""
    shared = _sample_json(tuple(str(n) for n in names), tuple(float(v) for v in logits),
                          int(true_index), float(temperature))
    own = json.dumps({"render": render, "ack": int(ack), "scale": float(scale),
                      "reveal": bool(reveal)})
    return f"{shared}, {own[1:]}"


def sample_live(prefix: str, names, logits, true_index: int, temperature: float, *,
                key: str | None = None, scale: float | None = None):
    """The Explorer's live view of one sample (keys ``{prefix}.z<i>``, ``{prefix}.T``).

    ``scale`` enlarges every size of the view (presentation mode: 1.3 gives 19.5 px text).
    """
    key = key or f"{prefix}.live"
    text = sample_json(names, logits, true_index, temperature, render=count_render(),
                       ack=st.session_state.get(f"{key}.ack", 0),
                       scale=present.chart_scale() if scale is None else scale,  # presenting: larger
                       reveal=bool(st.session_state.get(url_values.SWITCHED)))  # just arrived
    return mount(text, key=key, on_commit=functools.partial(_commit_sample, key, prefix, len(names)))


def _commit_binary(key: str, prefix: str) -> None:
    """Callback: the Binary page's logit (in 1e-2) or probability (in 1e-4, on a 0.001 step)."""
    value = acknowledge(key)
    if not isinstance(value, dict):
        return
    z = whole(value.get("z"), round(LOGIT_LOW * 100), round(LOGIT_HIGH * 100))
    p = whole(value.get("p"), *P_RANGE, 10)
    if z is not None and value.get("p") is None:
        st.session_state[f"{prefix}.z"] = z / 100
    elif p is not None and value.get("z") is None:
        st.session_state[f"{prefix}.p"] = p / 10_000


def binary_live(prefix: str, target: int, kind: str, value: float, *, key: str | None = None,
                scale: float | None = None):
    """The Binary page's live view: drag ``kind`` ("logit" or "probability") along the sigmoid."""
    key = key or f"{prefix}.live"
    target = target if target in (0, 1) else 1  # a required control can still hand back None
    tables = binary_live_tables(target, **({"logit": value} if kind == "logit" else {"prob": value}))
    payload = encode_binary(tables, kind)
    payload["render"] = count_render()
    payload["ack"] = st.session_state.get(f"{key}.ack", 0)
    payload["scale"] = float(present.chart_scale() if scale is None else scale)  # presenting: larger
    return mount(payload, key=key, on_commit=functools.partial(_commit_binary, key, prefix))
