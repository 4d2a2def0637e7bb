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
        "Panda, seal, duck", ("panda", "seal", "duck"), (-0.09, -3.22, -3.0), 0,
        lesson="A classic worked example: the image is a panda and the model gives it "
               "p ≈ 0.91, so the loss is −log 0.91 ≈ 0.094."),
    # log of the seed's last row p = (0.25, 0.4, 0.35) with true class panda
    "panda_unsure": ExplorerPreset(
        "Panda, unsure", ("panda", "seal", "duck"), (-1.39, -0.92, -1.05), 0,
        lesson="The same example's hardest image: a panda given only p = 0.25 (seal 0.40, duck "
               "0.35) costs −log 0.25 ≈ 1.386. In the example's four images (a panda at 0.91, a "
               "seal at 0.80, a duck at 0.60 and this one) it is 1.386 of the total 2.215."),
}


@dataclass(frozen=True)
class BinaryPreset:
    """A table of binary samples: (true label t, predicted probability p)."""

    label: str
    rows: tuple[tuple[int, float], ...]
    lesson: str = ""


# The seed article's seven samples: "is it a seal?" with its labels and probabilities.
SEED_BINARY_LABELS = (0, 1, 1, 0, 0, 1, 1)
SEED_BINARY_PROBS = (0.07, 0.91, 0.74, 0.23, 0.85, 0.17, 0.94)

BINARY_PRESETS = {
    "seeds": BinaryPreset(
        "Seven seal photos", tuple(zip(SEED_BINARY_LABELS, SEED_BINARY_PROBS)),
        lesson="Is it a seal? Seven images, t = 1 for a seal (sum 4.460): the two costliest "
               "rows are the confident mistakes, p = 0.85 for a non-seal (1.897) and p = 0.17 "
               "for a seal (1.772)."),
    "right": BinaryPreset(
        "All confident and right", ((1, 0.97), (0, 0.02), (1, 0.99), (0, 0.05), (1, 0.93)),
        lesson="Every sample is on the flat end of its curve: the mean loss is small and so "
               "are the gradients."),
    "mistake": BinaryPreset(
        "One confident mistake", ((1, 0.97), (0, 0.02), (1, 0.99), (0, 0.99), (1, 0.93)),
        lesson="One sample predicted 0.99 for a true 0 costs −log 0.01 = 4.6, many times "
               "the other four together: the mean is dominated by it."),
}
