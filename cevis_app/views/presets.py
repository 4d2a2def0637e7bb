"""Worked examples and presets, as plain data, with one protocol for every page.

A preset knows the widget state it writes (``widget_state(prefix) -> {key: value}``, the
keys being the page's widget keys and so its URL parameters) and whether the view still
shows it (``matches(state, prefix)``), so its lesson is shown exactly while it applies.
The numbers of the seed articles are kept here so the pages and the tests use the same values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cevis_app.urlstate import MAX_CLASSES
from cevis_app.urlstate import format_samples
from cevis_app.views.batch import NO_IGNORE


def _same(current, wanted) -> bool:
    """Widget values compared as a person would: floats to 1e-9, sequences element-wise."""
    if isinstance(wanted, float):
        return isinstance(current, (int, float)) and not isinstance(current, bool) \
            and math.isclose(current, wanted, abs_tol=1e-9)
    if isinstance(wanted, (list, tuple)):
        return isinstance(current, (list, tuple)) and list(current) == list(wanted)
    return type(current) is type(wanted) and current == wanted


class Preset:
    """The protocol: what a preset writes into the widgets, and whether they still show it."""

    lesson: str = ""

    def widget_state(self, prefix: str) -> dict:
        raise NotImplementedError

    def matches(self, state, prefix: str) -> bool:
        """True while every widget this preset sets still holds the preset's value."""
        return all(_same(state.get(key), value) for key, value in self.widget_state(prefix).items())


@dataclass(frozen=True)
class ExplorerPreset(Preset):
    """A starting point for the Explorer: logits, true class, temperature, and class names
    only where the preset is about them (None keeps the names the user typed)."""

    label: str
    class_names: tuple[str, ...] | None
    logits: tuple[float, ...]
    true_index: int
    temperature: float = 1.0
    lesson: str = ""

    def widget_state(self, prefix: str) -> dict:
        """Every logit slider is set, the unused ones to 0, so no old value hides there."""
        z = {f"{prefix}.z{i}": float(self.logits[i]) if i < len(self.logits) else 0.0
             for i in range(MAX_CLASSES)}
        names = {} if self.class_names is None else {f"{prefix}.names": ", ".join(self.class_names)}
        return {f"{prefix}.classes": len(self.logits), **names,
                **z, f"{prefix}.y": self.true_index, f"{prefix}.T": float(self.temperature)}


EXPLORER_PRESETS = {
    "uniform": ExplorerPreset(
        "Uniform logits", None, (0.0, 0.0, 0.0), 0,
        lesson="Equal logits give p = 1/C to every class, so the loss is log C "
               "(log 3 = 1.099): what an untrained classifier starts from."),
    "right": ExplorerPreset(
        "Confidently right", None, (6.0, 1.0, 0.0), 0,
        lesson="The true class holds almost all the probability: the loss is near 0 and "
               "the gradient is almost zero, so training barely changes anything."),
    "wrong": ExplorerPreset(
        "Confidently wrong", None, (0.0, 6.0, 1.0), 0,
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
class BinaryPreset(Preset):
    """A table of binary samples: (true label t, predicted probability p)."""

    label: str
    rows: tuple[tuple[int, float], ...]
    lesson: str = ""

    def widget_state(self, prefix: str) -> dict:
        return {f"{prefix}.rows": format_samples(self.rows), f"{prefix}.rows_kind": "probability"}


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


@dataclass(frozen=True)
class BatchPreset(Preset):
    """A batch (in the text form of :func:`cevis.parsing.parse_batch`) and its options."""

    label: str
    rows: str
    target_kind: str
    pred_kind: str
    weights: str | None = None  # e.g. "1, 5, 1"; None leaves class weights off
    ignore: bool = False  # turn ignore_index (-100) on
    smoothing: float = 0.0
    lesson: str = ""

    def widget_state(self, prefix: str) -> dict:
        # ignore_index as a float: Batch's number_input is a float one (see app_pages/batch.py)
        state = {f"{prefix}.rows": self.rows, f"{prefix}.target_kind": self.target_kind,
                 f"{prefix}.pred_kind": self.pred_kind, f"{prefix}.weights_on": self.weights is not None,
                 f"{prefix}.ignore_on": self.ignore, f"{prefix}.ignore_index": float(NO_IGNORE),
                 f"{prefix}.eps": float(self.smoothing)}
        if self.weights is not None:
            state[f"{prefix}.weights"] = self.weights
        return state


# The seed article's four images (panda, seal, duck): one-hot targets and probabilities.
SEED_CATEGORICAL_TARGETS = ((1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 0, 0))
SEED_CATEGORICAL_PROBS = ((0.91, 0.04, 0.05), (0.11, 0.8, 0.09), (0.3, 0.1, 0.6),
                          (0.25, 0.4, 0.35))


def _rows(targets, preds) -> str:
    def fmt(v):
        return ", ".join(f"{x:g}" for x in v) if isinstance(v, tuple) else str(v)
    return "; ".join(f"{fmt(t)} | {fmt(p)}" for t, p in zip(targets, preds))


BATCH_PRESETS = {
    "four": BatchPreset(
        "Four images", _rows(SEED_CATEGORICAL_TARGETS, SEED_CATEGORICAL_PROBS), "one-hot",
        "probabilities",
        lesson="Panda, seal, duck and an unsure panda: losses 0.094, 0.223, 0.511 and 1.386, "
               "sum 2.215, mean 0.554. The last image alone is 63% of the total."),
    # The seed's Iris table gives p of the true species only (classes: setosa, virginica,
    # versicolor); the other two probabilities split the rest evenly.
    "iris": BatchPreset(
        "Iris table", "0 | 0.57, 0.215, 0.215; 1 | 0.21, 0.58, 0.21; 2 | 0.24, 0.24, 0.52",
        "index", "probabilities",
        lesson="Setosa, virginica, versicolor (classes 0, 1, 2) with p = 0.57, 0.58 and 0.52 for "
               "the true species: losses 0.56, 0.54 and 0.65, as in the worked Iris table."),
    "weights": BatchPreset(
        "Weighted mean", "0 | 3, 0, 0; 0 | 2.5, 0.5, 0; 0 | 3, 0, 1; 1 | 1, 0.5, 0",
        "index", "logits", weights="1, 5, 1",
        lesson="Three easy class-0 rows and one hard class-1 row. Weight 5 on class 1 makes the "
               "hard row count five times, in the sum and in the mean's denominator: the mean "
               "is Σ wᵢℓᵢ / Σ wᵢ = (weighted sum) / 8, not / 4."),
    "ignored": BatchPreset(
        "Ignored rows", "0 | 2, 0.5, 0; -100 | 0, 0, 5; 2 | 0, 1, 2; -100 | 5, 0, 0",
        "index", "logits", ignore=True,
        lesson="Rows whose target is -100 (padding, unlabelled tokens) add nothing: their loss "
               "is 0 and the mean divides by the 2 rows that count, not by 4."),
    "soft": BatchPreset(
        "Soft labels", "0.7, 0.2, 0.1 | 2, 0.5, 0; 0.7, 0.2, 0.1 | -0.356675, -1.609438, -2.302585;"
        " 0.1, 0.1, 0.8 | 0, 0, 3", "soft", "logits",
        lesson="Row 2 predicts exactly its target (its logits are log 0.7, log 0.2, log 0.1), "
               "yet its loss is 0.802, the entropy of the target: KL is 0 and only H(t) remains."),
}


@dataclass(frozen=True)
class TrainingPreset(Preset):
    """Settings of the Training page that teach one thing."""

    label: str
    features: tuple[str, str]
    species: tuple[str, ...]
    learning_rate: float
    epochs: int
    l2: float
    lesson: str

    def widget_state(self, prefix: str) -> dict:
        return {f"{prefix}.x": self.features[0], f"{prefix}.y": self.features[1],
                f"{prefix}.species": list(self.species), f"{prefix}.lr": float(self.learning_rate),
                f"{prefix}.epochs": self.epochs, f"{prefix}.l2": float(self.l2)}


TRAINING_PRESETS = {
    "good": TrainingPreset(
        "A good learning rate", ("petal_length", "petal_width"),
        ("setosa", "versicolor", "virginica"), 1.0, 200, 0.0,
        "The loss falls fast and then levels off; held-out accuracy settles above 90%: the petal "
        "measurements separate the species almost perfectly."),
    "crawl": TrainingPreset(
        "One that crawls", ("petal_length", "petal_width"),
        ("setosa", "versicolor", "virginica"), 0.001, 200, 0.0,
        "Each step is tiny: after 200 epochs the loss has barely left log 3 = 1.099, where "
        "every flower gets p ≈ 1/3."),
    "diverge": TrainingPreset(
        "One that diverges", ("sepal_length", "sepal_width"),
        ("setosa", "versicolor", "virginica"), 100.0, 200, 0.0,
        "Steps far too long for the curvature of the loss: each overshoots the valley, the loss "
        "jumps up and down and ends higher than where it started."),
    "no_l2": TrainingPreset(
        "Separable, no L2", ("petal_length", "petal_width"), ("setosa", "versicolor"),
        3.0, 300, 0.0,
        "Setosa and versicolor are perfectly separable, so the loss can always be lowered by "
        "growing the weights: it creeps towards 0 and the predictions become absurdly sure."),
    "l2": TrainingPreset(
        "Separable, with L2", ("petal_length", "petal_width"), ("setosa", "versicolor"),
        3.0, 300, 0.1,
        "The L2 penalty λ/2·|W|² stops the weights from growing forever: the loss levels off "
        "above 0 and the probabilities stay honest near the boundary."),
}
