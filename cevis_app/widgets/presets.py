"""Preset buttons, one protocol for every page: a preset writes its widget state (and so the
URL), and its lesson shows while the view still matches it."""

from __future__ import annotations

import streamlit as st


def apply_preset(prefix: str, preset) -> None:
    """Callback: write the preset's widget state (and so the URL)."""
    st.session_state.update(preset.widget_state(prefix))


def preset_row(prefix: str, presets: dict):
    """One full-width button per preset; returns the placeholder for the lesson (see below)."""
    preset_buttons(prefix, presets)
    return st.empty()


def preset_buttons(prefix: str, presets: dict) -> None:
    """The preset buttons alone (the Explorer puts the lesson's placeholder in its fragment)."""
    # one flex row, not st.columns: a column is two more messages a button, and a run drawing
    # fewer elements is cheaper (~0.1 ms each); present.py's CSS wraps it on a narrow screen
    row = st.container(key=f"cevis-presets-{prefix}", horizontal=True, gap="small")
    for key, preset in presets.items():
        row.button(preset.label, key=f"{prefix}.preset.{key}", width="stretch",
                   on_click=apply_preset, args=(prefix, preset))


def show_preset_lesson(box, prefix: str, presets: dict) -> None:
    """Call after the widgets: the lesson of the preset the view still shows goes into ``box``."""
    with_lesson = [preset for preset in presets.values() if preset.lesson]
    # each key read once: the presets share their keys, and a session state read is not a
    # dict lookup (Streamlit resolves widget ids and values on every read)
    keys = {key for preset in with_lesson for key in preset.widget_state(prefix)}
    state = {key: st.session_state.get(key) for key in keys}
    for preset in with_lesson:
        if preset.matches(state, prefix):
            box.info(preset.lesson, icon=":material/school:")
            return
