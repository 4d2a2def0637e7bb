"""Common cross-entropy mistakes, each computed both ways so a page can show them side by side.

Every function returns a :class:`Mistake`: the wrong result, the right one, and the
code of each in PyTorch, for the numbers it was given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cevis import InputError
from cevis.activations import softmax
from cevis.grads import cross_entropy_grad
from cevis.grads import softmax_jacobian
from cevis.losses import binary_cross_entropy
from cevis.losses import binary_cross_entropy_with_logits
from cevis.losses import cross_entropy


@dataclass(frozen=True)
class Mistake:
    title: str
    wrong: float  # the number the mistaken code produces
    right: float  # the number the correct code produces
    wrong_code: str
    right_code: str
    why: str  # one or two sentences: what goes wrong, in these numbers
    wrong_detail: str = ""  # e.g. the gradient the mistake trains with
    right_detail: str = ""
    measure: str = "loss"  # what the two numbers are


def _vec(v) -> str:
    return "[" + ", ".join(f"{x:.3f}" for x in np.asarray(v).ravel()) + "]"


def _logits_literal(z) -> str:
    return "[" + ", ".join(f"{float(x):.1f}" for x in z) + "]"  # floats: torch wants float logits


def softmax_twice(logits, target_index) -> Mistake:
    """Softmax applied by the model, then again inside a loss that expects logits."""
    z = np.asarray(logits, dtype=np.float64)
    p = softmax(z)
    right = float(cross_entropy(z, target_index))
    wrong = float(cross_entropy(p, target_index))  # the loss treats p as logits
    g_right = cross_entropy_grad(z, target_index)
    g_wrong = softmax_jacobian(z) @ cross_entropy_grad(p, target_index)  # chain rule through p
    lit = _logits_literal(z)
    return Mistake(
        "Softmax twice: probabilities into a loss that expects logits", wrong, right,
        f"F.cross_entropy(torch.softmax(torch.tensor([{lit}]), -1), torch.tensor([{target_index}]))",
        f"F.cross_entropy(torch.tensor([{lit}]), torch.tensor([{target_index}]))",
        "Probabilities all lie in [0, 1], so a second softmax squeezes them towards uniform: the "
        f"loss can never drop below {float(cross_entropy([1.0] + [0.0] * (z.size - 1), 0)):.3f} "
        "with these classes, and the gradient that reaches the logits is "
        f"{np.linalg.norm(g_wrong) / np.linalg.norm(g_right):.2f}× the right one here: training "
        "is slower and never becomes confident.",
        f"gradient {_vec(g_wrong)}", f"gradient {_vec(g_right)}")


def probabilities_as_logits(p, target) -> Mistake:
    """A sigmoid output passed to BCEWithLogitsLoss, which applies the sigmoid again."""
    p, t = float(p), float(target)
    right = float(binary_cross_entropy([p], [t]))
    wrong = float(binary_cross_entropy_with_logits([p], [t]))
    return Mistake(
        "Probabilities passed where logits are expected", wrong, right,
        f"F.binary_cross_entropy_with_logits(torch.tensor([{p:.1f}]), torch.tensor([{t:.1f}]))",
        f"F.binary_cross_entropy(torch.tensor([{p:.1f}]), torch.tensor([{t:.1f}]))",
        f"The loss reads p = {p:g} as a logit and takes σ({p:g}) = {1 / (1 + np.exp(-p)):.3f}: "
        "every prediction lands between 0.5 and 0.73, so a confident right answer still "
        "costs at least 0.31 and a confident wrong one never more than 1.31.")


def missing_minus(logits, target_index) -> Mistake:
    """Σ t log p without the minus: a loss that is best when the prediction is worst."""
    z = np.asarray(logits, dtype=np.float64)
    right = float(cross_entropy(z, target_index))
    g = cross_entropy_grad(z, target_index)
    lit = _logits_literal(z)
    return Mistake(
        "A missing minus sign", -right, right,
        f"torch.log_softmax(torch.tensor([{lit}]), -1)[0, {target_index}]  # no minus",
        f"-torch.log_softmax(torch.tensor([{lit}]), -1)[0, {target_index}]",
        "log p is at most 0, so the 'loss' is negative and minimising it drives p of the true "
        "class towards 0: every gradient step points the wrong way.",
        f"gradient {_vec(-g)} (true logit goes down)", f"gradient {_vec(g)} (true logit goes up)")


def labels_off_by_one(logits, target_index) -> Mistake:
    """Labels numbered 1..C where the loss expects 0..C-1."""
    z = np.asarray(logits, dtype=np.float64)
    right = float(cross_entropy(z, target_index))
    shifted = target_index + 1
    try:
        wrong = float(cross_entropy(z, shifted))
        effect = (f"The loss scores class {shifted} as the true one: p = "
                  f"{float(softmax(z)[shifted]):.3f} instead of {float(softmax(z)[target_index]):.3f}, "
                  "and training learns every class as its neighbour.")
    except InputError:
        wrong = float("nan")
        effect = (f"For the last class the label {shifted} does not exist: PyTorch stops with "
                  f"'IndexError: Target {shifted} is out of bounds', so this mistake at least "
                  "fails loudly, but only when that class comes up.")
    lit = _logits_literal(z)
    return Mistake(
        "Labels off by one (1..C instead of 0..C−1)", wrong, right,
        f"F.cross_entropy(torch.tensor([{lit}]), torch.tensor([{shifted}]))",
        f"F.cross_entropy(torch.tensor([{lit}]), torch.tensor([{target_index}]))", effect)


def mean_versus_sum(logits, target_index, batch_size: int) -> Mistake:
    """Sum reduction: the gradient, and so the effective learning rate, grows with the batch."""
    z = np.asarray(logits, dtype=np.float64)
    n = int(batch_size)
    if n < 1:
        raise InputError(f"mean_versus_sum: batch_size is {batch_size}; expected >= 1")
    batch = np.tile(z, (n, 1))
    y = np.full(n, target_index)
    g_mean = float(np.linalg.norm(cross_entropy_grad(batch, y, reduction="mean")))
    g_sum = float(np.linalg.norm(cross_entropy_grad(batch, y, reduction="sum")))
    return Mistake(
        f"Sum instead of mean over a batch of {n}", g_sum, g_mean,
        "F.cross_entropy(logits, target, reduction='sum')",
        "F.cross_entropy(logits, target)  # reduction='mean'",
        f"The summed loss's gradient is {n}× the mean's (the norms shown), so a learning rate "
        f"tuned with the mean acts {n}× larger with the sum, and changing the batch size "
        "changes the step size too.", measure="gradient norm")
