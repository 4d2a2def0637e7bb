r"""What a lesson step's view computes, and the true answer to each kind of question about it.

A lesson's view is a plain dict (``{"kind": "sample", "names": [...], "logits": [...],
"y": 0, "T": 1.0}``, see :mod:`cevis_app.views.lessons`). Every true answer is a
*quantity*: a function ``(view, at) -> number`` computed here with cevis, never typed
into the lesson. For a choice the quantity is the index of the right option.

View kinds and their keys (``after`` holds overrides: the same view after a change):

- ``curve``: ``p`` (the true class's probability) and optional ``from_p``; or ``target_loss``;
- ``terms``: ``marks`` (values y of the term :math:`-y \log y`);
- ``sample``: ``names``, ``logits`` or ``probs``, ``y``, optional ``T`` and ``after``;
- ``binary``: ``t`` and ``p`` or ``z`` (one value or a list of samples);
- ``batch``: ``names``, ``logits`` or ``probs`` ``[N, C]``, ``targets`` ``[N]``, optional
  ``weight``, ``ignore_index``, ``smoothing``, ``reduction``, ``after``;
- ``stability``: ``logits``, ``y``, ``dtype``;
- ``clamp``: ``p`` (the true class's probability), ``convention``;
- ``descent``: ``names``, ``logits``, ``y``, ``lr``, ``steps``, optional ``loss``;
- ``link``: ``page`` (a url path) and ``query``: a page opened with that state.
"""

from __future__ import annotations

import numpy as np

from cevis.conventions import true_class_losses_by_convention
from cevis_app.views.batch import NO_IGNORE
from cevis_app.views.batch import BatchOptions
from cevis_app.views.batch import explain_batch
from cevis_app.views.binary import explain_binary
from cevis_app.views.descent import descend
from cevis_app.views.gradient_check import chain_rule
from cevis_app.views.lesson_numbers import unchanged
from cevis_app.views.lesson_numbers import zero_if_noise
from cevis_app.views.sample import explain_sample
from cevis_app.views.stability import entropy_term
from cevis_app.views.stability import exp_overflow_threshold
from cevis_app.views.stability import fused_cross_entropy
from cevis_app.views.stability import naive_softmax

CHANGE = ("goes up", "stays the same", "goes down")  # options of every "what happens" question
SHAPE = ("nearly one-hot on the largest logit", "nearly uniform", "in between")
NEARLY = 0.01  # "nearly one-hot": top p within this of 1; "nearly uniform": all p within it of 1/C
FINITE = ("finite numbers", "nan (exp overflowed)")
MONOTONE = ("falls at every step", "rises at some step")
LOSS_NAMES = ("cross-entropy", "squared error on p")


# ---------------------------------------------------------------- each kind's computation
def after(view: dict) -> dict:
    """The view with its ``after`` overrides applied (the view itself if it has none)."""
    return {k: v for k, v in {**view, **view.get("after", {})}.items() if k != "after"}


def sample_logits(view: dict) -> np.ndarray:
    """The logits of a sample or batch view: given, or ``log p`` (softmax(log p) = p)."""
    if "logits" in view:
        return np.asarray(view["logits"], dtype=np.float64)
    return np.log(np.asarray(view["probs"], dtype=np.float64))


def sample(view: dict):
    """:func:`explain_sample` of a ``sample`` view."""
    return explain_sample(sample_logits(view), view["y"], temperature=view.get("T", 1.0))


def binary(view: dict):
    """:func:`explain_binary` of a ``binary`` view (from ``z`` when given, else from ``p``)."""
    if "z" in view:
        return explain_binary(view["t"], logits=view["z"])
    return explain_binary(view["t"], probs=view["p"])


def batch_options(view: dict) -> BatchOptions:
    weight = view.get("weight")
    return BatchOptions(weight=None if weight is None else tuple(weight),
                        ignore_index=view.get("ignore_index", NO_IGNORE),
                        label_smoothing=view.get("smoothing", 0.0),
                        reduction=view.get("reduction", "mean"))


def batch(view: dict):
    """:func:`explain_batch` of a ``batch`` view."""
    return explain_batch(sample_logits(view), np.asarray(view["targets"]), batch_options(view))


def batch_value(view: dict) -> float:
    """What the view's reduction returns: the mean or the sum."""
    b = batch(view)
    return b.mean if view.get("reduction", "mean") == "mean" else b.total


def descent(view: dict, loss: str | None = None):
    """:func:`descend` of a ``descent`` view: one learning rate."""
    return descend(view["logits"], view["y"], learning_rates=[view["lr"]], steps=view["steps"],
                   loss=loss or view.get("loss", "cross-entropy"))


def curve_loss(p: float) -> float:
    """−log p of the true class, exact (inf at p = 0)."""
    return float(true_class_losses_by_convention(p)["plain"])


# ---------------------------------------------------------------- the quantities
def _change(before: float, now: float) -> int:
    """Index into :data:`CHANGE`."""
    if unchanged(before, now):
        return 1
    return 0 if now > before else 2


def _shape(p: np.ndarray) -> int:
    """Index into :data:`SHAPE`."""
    if p.max() >= 1 - NEARLY:
        return 0
    return 1 if np.abs(p - 1 / p.size).max() <= NEARLY else 2


def _monotone(losses: np.ndarray) -> int:
    """Index into :data:`MONOTONE`."""
    return 0 if (np.diff(losses) <= 0).all() else 1


def _grad_sum(grad: np.ndarray) -> float:
    """Σ ∂L/∂z_i, which is 0: its rounding noise (−1.4e-17) is written as the 0 it is."""
    return zero_if_noise(float(grad.sum()), float(np.abs(grad).sum()))


def _faster(view: dict) -> int:
    """Index into :data:`LOSS_NAMES`: the loss whose descent ends with the larger p of the true class."""
    ce, mse = (descent(view, loss).p_true[0, -1] for loss in ("cross-entropy", "mse"))
    return 0 if ce > mse else 1


QUANTITIES = {  # name -> (view, at) -> the true answer; for a choice, the right option's index
    "curve_loss": lambda v, at: curve_loss(v["p"]),
    "loss_increase": lambda v, at: curve_loss(v["p"]) - curve_loss(v["from_p"]),
    "p_at_loss": lambda v, at: float(np.exp(-v["target_loss"])),  # -log p = L  <=>  p = e^-L
    "larger_term": lambda v, at: int(np.argmax([entropy_term(y) for y in v["marks"]])),
    "loss": lambda v, at: sample(v).loss,
    "p_true": lambda v, at: float(sample(v).probs[v["y"]]),
    "grad_at": lambda v, at: float(sample(v).grad[at]),
    "grad_sum": lambda v, at: _grad_sum(sample(v).grad),
    "negative_grad_class": lambda v, at: int(np.argmin(sample(v).grad)),
    "largest_grad_class": lambda v, at: int(np.argmax(sample(v).grad)),
    "loss_change": lambda v, at: _change(sample(v).loss, sample(after(v)).loss),
    "p_true_change": lambda v, at: _change(float(sample(v).probs[v["y"]]),
                                           float(sample(after(v)).probs[v["y"]])),
    "p_shape": lambda v, at: _shape(sample(v).probs),
    "dloss_dp": lambda v, at: chain_rule(sample_logits(v), v["y"]).dloss_dp,
    "dp_dz": lambda v, at: float(chain_rule(sample_logits(v), v["y"]).jacobian_row[v["y"]]),
    "binary_p": lambda v, at: float(binary(v).probs[at]),
    "binary_loss": lambda v, at: float(binary(v).loss[at]),
    "binary_grad": lambda v, at: float(binary(v).grad_logit[at]),
    "largest_binary_loss": lambda v, at: int(np.argmax(binary(v).loss)),
    "batch_value": lambda v, at: batch_value(v),
    "batch_denominator": lambda v, at: batch(v).denominator,
    "largest_row": lambda v, at: int(np.argmax(batch(v).losses)),
    "batch_value_change": lambda v, at: _change(batch_value(v), batch_value(after(v))),
    "row_loss_change": lambda v, at: _change(float(batch(v).losses[at]),
                                             float(batch(after(v)).losses[at])),
    "naive_finite": lambda v, at: 0 if np.isfinite(naive_softmax(v["logits"], v["dtype"])).all()
    else 1,
    "overflow_threshold": lambda v, at: exp_overflow_threshold(v["dtype"]),
    "fused_loss": lambda v, at: fused_cross_entropy(v["logits"], v["y"], v["dtype"]),
    "clamp_loss": lambda v, at: float(true_class_losses_by_convention(v["p"])[v["convention"]]),
    "descent_logit": lambda v, at: float(descent(v).logits[0, -1, at]),
    "descent_monotone": lambda v, at: _monotone(descent(v).losses[0]),
    "faster_loss": lambda v, at: _faster(v),
}


def quantity(name: str, view: dict, at: int | None = None):
    """The true answer ``name`` for ``view`` as a plain Python int (choice) or float."""
    value = QUANTITIES[name](view, at)
    return value if isinstance(value, int) else float(value)


# ---------------------------------------------------------------- what the learner sees first
def curve_point(view: dict) -> tuple[float, float]:
    """The ``(p, −log p)`` a ``curve`` view marks: its ``p``, or the p whose loss is ``target_loss``."""
    p = float(np.exp(-view["target_loss"])) if "target_loss" in view else float(view["p"])
    return p, curve_loss(p)


def _num(x) -> str:
    return f"{float(x):g}"


def _vec(values) -> str:
    return "[" + ", ".join(_num(v) for v in values) + "]"


def setup(view: dict) -> list[str]:
    """The view's inputs as plain lines, shown before the reveal (no result in them).

    >>> setup({"kind": "sample", "names": ["a", "b"], "logits": [1.0, 0.0], "y": 0})
    ['Classes a, b · logits z = [1, 0] · true class y = a']
    """
    kind = view["kind"]
    if kind == "sample":
        given = (f"logits z = {_vec(view['logits'])}" if "logits" in view
                 else f"probabilities p = {_vec(view['probs'])}")
        text = f"Classes {', '.join(view['names'])} · {given} · true class y = " \
               f"{view['names'][view['y']]}"
        return [text + (f" · temperature T = {_num(view['T'])}" if "T" in view else "")]
    if kind == "binary":
        ts, zs = np.atleast_1d(view["t"]), np.atleast_1d(view.get("z", view.get("p")))
        what = "logit z" if "z" in view else "p"
        return [(f"sample {i + 1}: " if ts.size > 1 else "") + f"true label t = {_num(t)} · "
                f"{what} = {_num(v)}" for i, (t, v) in enumerate(zip(ts, zs))]
    if kind == "batch":
        rows, names = view.get("probs", view.get("logits")), view["names"]
        what = "p" if "probs" in view else "z"
        return [f"row {i + 1}: {what} = {_vec(r)} · target "
                + (names[t] if 0 <= t < len(names) else _num(t))
                for i, (r, t) in enumerate(zip(rows, view["targets"]))]
    if kind == "stability":
        return [f"Logits z = {_vec(view['logits'])} in {view['dtype']} · true class y = "
                f"{view['y']} (counting from 0)"]
    if kind == "descent":
        return [f"Classes {', '.join(view['names'])} · start z = {_vec(view['logits'])} · true "
                f"class {view['names'][view['y']]} · learning rate η = {_num(view['lr'])}"]
    return []
