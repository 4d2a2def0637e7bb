r"""What a lesson is: steps, questions, and how a step's answer is checked.

A :class:`Lesson` is a title and a list of :class:`Step`. A step sets a view (a
plain dict, see :mod:`cevis_app.views.lesson_truths` for the kinds), says one thing,
and may ask a :class:`Question` first: a choice, or a number to estimate within a
tolerance. The true answer is never typed in: it is a named quantity computed by
cevis from the step's view (:func:`answer`). The lessons themselves are data, in
:mod:`cevis_app.views.lesson_definitions`.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from dataclasses import field

from cevis.checks import is_int
from cevis_app.views import lesson_truths


@dataclass(frozen=True)
class Question:
    """A prediction asked before the reveal.

    ``kind`` is ``"choice"`` (``options``: labels, or ``"classes"``/``"rows"``/``"samples"``
    for the view's own) or ``"estimate"`` (a number in ``[low, high]``, right within
    ``tolerance``; ``slider`` asks for it by dragging). ``quantity`` names the function
    of the view that computes the truth; ``at`` is the class, row or sample it is about.
    """
    kind: str
    prompt: str
    quantity: str
    options: tuple[str, ...] | str = ()
    low: float = 0.0
    high: float = 1.0
    tolerance: float = 0.0
    at: int | None = None
    slider: bool = False


@dataclass(frozen=True)
class Step:
    text: str  # the one thing this step says
    view: dict = field(default_factory=dict)  # what it shows (a kind and its inputs)
    question: Question | None = None
    why: str = ""  # one sentence, shown with the answer


@dataclass(frozen=True)
class Lesson:
    key: str  # stable: part of every question id
    title: str
    steps: tuple[Step, ...]


def choice(prompt, quantity, options, **kw) -> Question:
    """A choice question (see :class:`Question`)."""
    return Question("choice", prompt, quantity, options, **kw)


def estimate(prompt, quantity, low, high, tolerance, **kw) -> Question:
    """An estimate question: right within ``tolerance`` of the truth in ``[low, high]``."""
    return Question("estimate", prompt, quantity, low=low, high=high, tolerance=tolerance, **kw)


# ---------------------------------------------------------------- reading a step
def options(step: Step) -> tuple[str, ...]:
    """The labels of a choice: given, or the view's classes, batch rows or binary samples."""
    q, v = step.question, step.view
    if not isinstance(q.options, str):
        return tuple(q.options)
    if q.options == "classes":
        return tuple(v["names"])
    if q.options == "rows":
        return tuple(f"row {i + 1}" for i in range(len(v["targets"])))
    return tuple(f"sample {i + 1}: t = {t}, p = {p}" for i, (t, p) in enumerate(zip(v["t"], v["p"])))


def answer(step: Step):
    """The true answer: for a choice the index of the right option, for an estimate a float."""
    q = step.question
    if q is None:
        raise ValueError("answer: this step asks no question")
    return lesson_truths.quantity(q.quantity, step.view, q.at)


def _fmt(x: float) -> str:
    """Four significant digits; 0 (and −0.0) as ``0``."""
    return "0" if x == 0 else f"{x:.4g}"


def check(step: Step, given) -> tuple[bool, str]:
    """Whether ``given`` answers the step's question, and a sentence saying so.

    A choice takes the option's index; an estimate a finite number, right within the
    tolerance. Anything else is wrong, with a message, never an exception.
    """
    q, truth = step.question, answer(step)
    if q.kind == "choice":
        labels = options(step)
        if not is_int(given) or not 0 <= given < len(labels):
            return False, "Pick one of the options first."
        if given == truth:
            return True, f"Right: “{labels[truth]}”."
        return False, f"Not quite: you chose “{labels[given]}”; the answer is “{labels[truth]}”."
    if isinstance(given, bool) or not isinstance(given, numbers.Real) \
            or not math.isfinite(float(given)):
        return False, "Enter a number first."
    off = abs(float(given) - truth)
    if off <= q.tolerance:
        return True, f"Right: it is {_fmt(truth)} (you said {_fmt(float(given))}, within " \
                     f"±{_fmt(q.tolerance)})."
    return False, f"Not quite: it is {_fmt(truth)}; you said {_fmt(float(given))}, " \
                  f"{_fmt(off)} away (±{_fmt(q.tolerance)} counts as right)."


def input_step(q: Question) -> tuple[float, str]:
    """The step and printf format of an estimate's input: a power of ten at most half the
    tolerance, so a right answer can always be entered.

    >>> input_step(Question("estimate", "", "loss", tolerance=0.05))
    (0.01, '%.2f')
    """
    exponent = math.floor(math.log10(q.tolerance / 2)) if q.tolerance > 0 else -4
    return 10.0 ** exponent, f"%.{max(0, -exponent)}f"
