"""Shared Streamlit pieces (the only cevis module that imports streamlit)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .datasets import ExplorerPreset

CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def chart(fig, key: str) -> None:
    """Render a plotly figure full width with the app's chart settings."""
    st.plotly_chart(fig, key=key, config=CHART_CONFIG, width="stretch")


def apply_preset(prefix: str, preset: ExplorerPreset, max_classes: int) -> None:
    """Callback: write a preset into the widgets' state (and so into the URL)."""
    state = st.session_state
    state[f"{prefix}.classes"] = len(preset.logits)
    state[f"{prefix}.names"] = ", ".join(preset.class_names)
    for i in range(max_classes):
        state[f"{prefix}.z{i}"] = float(preset.logits[i]) if i < len(preset.logits) else 0.0
    state[f"{prefix}.true"] = preset.true_index
    state[f"{prefix}.T"] = float(preset.temperature)


def class_table(class_names, logits, probs, grad, loss_if_true, true_index) -> None:
    """Per-class numbers, the true class's row highlighted."""
    frame = pd.DataFrame({
        "class": class_names,
        "logit z": logits,
        "p = softmax": probs,
        "∂L/∂z": grad,
        "loss if true": loss_if_true,
    })
    styled = (frame.style.format({"logit z": "{:.2f}", "p = softmax": "{:.4f}",
                                  "∂L/∂z": "{:+.4f}",
                                  "loss if true": "{:.4f}"})
              .apply(lambda row: ["background-color: #d8f0ec" if row.name == true_index else ""
                                  for _ in row], axis=1))
    st.dataframe(styled, hide_index=True, width="stretch",
                 column_config={"loss if true": st.column_config.NumberColumn(
                     help="−log p of this class: the loss if it were the true one")})


def matches_preset(preset: ExplorerPreset, class_names, logits, true_index, temperature) -> bool:
    """True while the Explorer still shows exactly this preset (so its lesson applies)."""
    return (tuple(class_names) == preset.class_names and true_index == preset.true_index
            and tuple(round(z, 2) for z in logits) == preset.logits
            and round(temperature, 2) == preset.temperature)
