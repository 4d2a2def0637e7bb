"""What each framework computes for the Binary page, with column labels that name only the
libraries that compute that column.

:data:`cevis.conventions.BINARY_CONVENTIONS` has one logit column, "PyTorch
BCEWithLogitsLoss / Keras from_logits": true while ``pos_weight`` is 1. Keras's
``BinaryCrossentropy(from_logits=True)`` has no ``pos_weight``, so with any other
value the logit column splits in two: PyTorch's with the weight, Keras's without.
"""

from __future__ import annotations

from cevis.conventions import BINARY_CONVENTIONS
from cevis.conventions import Convention
from cevis.conventions import binary_losses_by_convention

KERAS_LOGITS = Convention("logits_keras", "Keras from_logits (no pos_weight)",
                          "BinaryCrossentropy(from_logits=True), exact from the logit; Keras "
                          "has no pos_weight")


def weighted(pos_weight) -> bool:
    """True when ``pos_weight`` changes the loss (None and 1 do not)."""
    return pos_weight is not None and float(pos_weight) != 1.0


def framework_columns(pos_weight=None) -> tuple[Convention, ...]:
    """The conventions to show as columns, each labelled with who computes it.

    >>> [c.label for c in framework_columns(3.0)][-2:]
    ['PyTorch from logits, pos_weight = 3', 'Keras from_logits (no pos_weight)']
    >>> framework_columns(1.0) == BINARY_CONVENTIONS
    True
    """
    if not weighted(pos_weight):
        return BINARY_CONVENTIONS
    torch_logits = Convention("logits", f"PyTorch from logits, pos_weight = {pos_weight:g}",
                              f"BCEWithLogitsLoss(pos_weight={pos_weight:g}), exact from the "
                              "logit; β multiplies the t = 1 term")
    return (*(c for c in BINARY_CONVENTIONS if c.key != "logits"), torch_logits, KERAS_LOGITS)


def framework_losses(labels, *, probs=None, logits=None, pos_weight=None) -> dict:
    """Per-sample losses keyed as :func:`framework_columns`'s conventions.

    With probabilities the logit columns are left out (p = 0 or 1 has no finite logit).
    """
    out = binary_losses_by_convention(labels, probs=probs, logits=logits,
                                      pos_weight=pos_weight if logits is not None else None)
    if logits is not None and weighted(pos_weight):
        out["logits_keras"] = binary_losses_by_convention(labels, logits=logits)["logits"]
    return out
