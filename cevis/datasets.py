"""Worked examples and presets, as plain data.

The numbers of the seed articles are kept here so the pages and the tests use
the same values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExplorerPreset:
    """A starting point for the Explorer: class names, logits, true class, temperature."""

    label: str
    class_names: tuple[str, ...]
    logits: tuple[float, ...]
    true_index: int
    temperature: float = 1.0
    lesson: str = ""


EXPLORER_PRESETS = {
    "uniform": ExplorerPreset(
        "Uniform logits", ("class 0", "class 1", "class 2"), (0.0, 0.0, 0.0), 0,
        lesson="Equal logits give p = 1/C to every class, so the loss is log C "
               "(log 3 = 1.099): what an untrained classifier starts from."),
    "right": ExplorerPreset(
        "Confidently right", ("cat", "dog", "bird"), (6.0, 1.0, 0.0), 0,
        lesson="The true class holds almost all the probability: the loss is near 0 and "
               "the gradient is almost zero, so training barely changes anything."),
    "wrong": ExplorerPreset(
        "Confidently wrong", ("cat", "dog", "bird"), (0.0, 6.0, 1.0), 0,
        lesson="The model is sure of the wrong class: the loss is large (about 6) and the "
               "gradient pushes the true logit up and the wrong one down at full strength."),
    # log of the seed's panda row p = (0.91, 0.04, 0.05), rounded to the slider's 0.01 step
    "panda": ExplorerPreset(
        "Seeds: panda, seal, duck", ("panda", "seal", "duck"), (-0.09, -3.22, -3.0), 0,
        lesson="The seed article's first example: the image is a panda and the model gives "
               "it p ≈ 0.91, so the loss is −log 0.91 ≈ 0.094."),
    # log of the seed's last row p = (0.25, 0.4, 0.35) with true class panda
    "panda_unsure": ExplorerPreset(
        "Seeds: panda, unsure", ("panda", "seal", "duck"), (-1.39, -0.92, -1.05), 0,
        lesson="The seed's last row: a panda given only p = 0.25 costs −log 0.25 ≈ 1.386, "
               "more than the other three rows of that example together."),
}
