r"""A batch through ``torch.nn.functional.cross_entropy``, option by option, for display.

:func:`explain_batch` computes, for the batch and options given, every number the
Batch page shows: each row's loss, the reductions with the mean's denominator,
the smoothed targets, the split of each row's loss into entropy plus KL, and what
each option alone does to every row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cevis import InputError
from cevis.activations import log_softmax
from cevis.losses import cross_entropy
from cevis.losses import entropy
from cevis.losses import kl_divergence

NO_IGNORE = -100  # PyTorch's default ignore_index: no class has this index


@dataclass(frozen=True)
class BatchOptions:
    """The options of ``torch.nn.CrossEntropyLoss`` the page lets a user turn on."""
    weight: tuple[float, ...] | None = None  # one per class
    ignore_index: int = NO_IGNORE
    label_smoothing: float = 0.0
    reduction: str = "mean"

    def as_kwargs(self) -> dict:
        return dict(weight=None if self.weight is None else np.asarray(self.weight, float),
                    ignore_index=self.ignore_index, label_smoothing=self.label_smoothing)


@dataclass(frozen=True)
class BatchBreakdown:
    """Every number of one batch ([N] per row, [N, C] per row and class)."""
    log_probs: np.ndarray  # [N, C] log softmax(z), or log p for probability predictions
    target_dist: np.ndarray  # [N, C] the target as a distribution (one-hot for an index)
    smoothed: np.ndarray  # [N, C] (1 - eps) t + eps / C
    ignored: np.ndarray  # [N] True where an index target equals ignore_index
    row_weight: np.ndarray  # [N] what each row adds to the mean's denominator
    losses: np.ndarray  # [N] per-row loss with every option on (0 where ignored)
    total: float  # sum of the losses
    denominator: float  # what "mean" divides by
    mean: float  # total / denominator (nan if it is 0, as in PyTorch)
    entropy: np.ndarray  # [N] H(smoothed target), unweighted
    kl: np.ndarray  # [N] KL(smoothed target || p), unweighted
    by_option: dict  # option name -> ([N] losses, mean) with only that option on

    @property
    def reduced(self) -> dict:
        return {"none": self.losses, "sum": self.total, "mean": self.mean}

    @property
    def probs(self) -> np.ndarray:
        return np.exp(self.log_probs)


def _target_distribution(target, c):
    t = np.asarray(target)
    if t.ndim == 1:  # class indices; an ignored index gets an all-zero row
        out = np.zeros((t.size, c))
        ok = (t >= 0) & (t < c)
        out[np.flatnonzero(ok), t[ok]] = 1.0
        return out
    return t.astype(np.float64)


def explain_batch(predictions, target, options: BatchOptions, *,
                  from_probs: bool = False) -> BatchBreakdown:
    r"""Cross-entropy of a batch with PyTorch's options, row by row.

    Probability predictions are turned into logits as :math:`\log p` (softmax of
    :math:`\log p` is :math:`p` again), so both kinds go through the same
    ``cross_entropy``; a probability of 0 becomes a very negative logit.

    Args:
      predictions: ``[N, C]`` logits, or probabilities (rows summing to 1) with
        ``from_probs=True``.
      target: ``[N]`` class indices or ``[N, C]`` probabilities.
      options: weights, ``ignore_index``, label smoothing and the reduction.

    Returns:
      A :class:`BatchBreakdown`.

    >>> b = explain_batch([[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]], [0, 1], BatchOptions())
    >>> print(b.losses.round(4), round(b.mean, 4), b.denominator)
    [0.417  0.1967] 0.3069 2.0
    """
    x = np.asarray(predictions, dtype=np.float64)
    if x.ndim != 2:
        raise InputError(f"explain_batch: predictions has shape {x.shape}; expected [N, C]")
    if from_probs:
        with np.errstate(divide="ignore"):
            x = np.maximum(np.log(x), np.finfo(np.float64).min / 4)  # log 0 -> a huge negative
    kw = options.as_kwargs()
    losses = cross_entropy(x, target, reduction="none", **kw)
    t = np.asarray(target)
    c = x.shape[1]
    ignored = (t == options.ignore_index) if t.ndim == 1 else np.zeros(x.shape[0], bool)
    row_weight = _row_weights(t, ignored, options.weight, x.shape[0], c)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = float(cross_entropy(x, target, reduction="mean", **kw))
    log_p = log_softmax(x)
    dist = _target_distribution(target, c)
    eps = options.label_smoothing
    smoothed = dist * (1 - eps) + eps / c
    smoothed[ignored] = 0.0
    h, kl = _entropy_and_kl(smoothed, np.exp(log_p), ~ignored)
    by_option = _each_option_alone(x, target, options)
    by_option["all options"] = (losses, mean)
    return BatchBreakdown(log_p, dist, smoothed, ignored, row_weight, losses, float(losses.sum()),
                          float(row_weight.sum()), mean, h, kl, by_option)


def _row_weights(t, ignored, weight, n, c) -> np.ndarray:
    """``[N]`` what each row adds to the mean's denominator: its class's weight (0 when
    ignored) for index targets, 1 for distributions (PyTorch's mean divides by N then)."""
    if t.ndim != 1:
        return np.ones(n)
    w = np.ones(c) if weight is None else np.asarray(weight, float)
    return np.where(ignored, 0.0, w[np.where(ignored, 0, t)])


def _entropy_and_kl(smoothed, probs, live):
    """``[N]`` H(target) and KL(target || p) of the live rows (0 for ignored ones), each
    distribution renormalised so rounding leaves no trace."""
    h = np.zeros(smoothed.shape[0])
    kl = np.zeros(smoothed.shape[0])
    if live.any():
        target = smoothed[live] / smoothed[live].sum(axis=1, keepdims=True)
        h[live] = entropy(target)
        kl[live] = kl_divergence(target, probs[live] / probs[live].sum(axis=1, keepdims=True))
    return h, kl


def _each_option_alone(x, target, options: BatchOptions) -> dict:
    """Option name -> (``[N]`` losses, mean) with only that option on (ignored rows stay
    ignored: they have no class)."""
    weight = options.as_kwargs()["weight"]
    by_option = {}
    for name, extra in (("no options", {}), ("weights only", {"weight": weight}),
                        ("smoothing only", {"label_smoothing": options.label_smoothing})):
        extra = {"ignore_index": options.ignore_index, **extra}
        with np.errstate(invalid="ignore", divide="ignore"):
            by_option[name] = (cross_entropy(x, target, reduction="none", **extra),
                               float(cross_entropy(x, target, reduction="mean", **extra)))
    return by_option


def denominator_note(result: BatchBreakdown, weight, target_kind: str) -> str:
    """Why the mean divides by what it does, and what the other target format would give.

    PyTorch's rule: with class-index targets the mean divides by the summed class weights
    of the kept rows (their count without weights); with probability targets (one-hot or
    soft) by N, the number of rows, weights or not. One-hot and index targets give the same
    losses, so only the denominator, and with it the mean, differs.

    >>> b = explain_batch([[0.0, 0.0], [0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]], BatchOptions((1.0, 3.0)))
    >>> denominator_note(b, (1.0, 3.0), "one-hot")[:60]
    'With probability targets (one-hot or soft) PyTorch divides b'
    """
    kept = int((~result.ignored).sum())
    if weight is None:
        dropped = " (ignored rows do not count)" if result.ignored.any() else ""
        return f"Without class weights the mean divides by the number of rows, {kept}{dropped}."
    if target_kind == "index":
        other = f" and give {result.total / kept:.4f}" if kept else ""
        return (f"With class-index targets PyTorch's mean divides by the summed class weights "
                f"of the rows, {result.denominator:g}, not by the {kept} rows. The same batch "
                f"with one-hot targets has the same losses, but PyTorch would divide by "
                f"N = {kept}{other}.")
    note = (f"With probability targets (one-hot or soft) PyTorch divides by N = {kept}, the "
            "number of rows, even with class weights: the weights scale each row's loss, not "
            "the count.")
    if target_kind == "one-hot":
        summed = float(np.asarray(weight, float)[np.argmax(result.target_dist, 1)].sum())
        note += (f" The same batch with class-index targets has the same losses but divides "
                 f"by the summed weights of the rows' classes, {summed:g}, and gives "
                 f"{result.total / summed:.4f}.")
    return note
