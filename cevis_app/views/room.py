"""What a room shares and shows, as plain data: the followed sample, the question, the answers.

Pure numpy (no streamlit, no plotly). The teacher's published state is untrusted on
the student's side like any other input: `clean_sample` keeps only well-formed
values of the shared Explorer sample, so a bad state can never make a page raise.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

import cevis
from cevis_app.urlstate import LOGIT_RANGE
from cevis_app.urlstate import MAX_CLASSES
from cevis_app.urlstate import MIN_CLASSES
from cevis_app.urlstate import SAMPLE
from cevis_app.views import lessons
from cevis_app.views.class_names import parse_class_names

DEFAULT_NAMES = "panda, seal, duck"  # the Explorer's defaults, for a sample never touched
DEFAULT_CLASSES = 3
T_RANGE = (0.1, 5.0)  # as the Explorer's temperature slider
MAX_NAMES_CHARS = 300  # as the Explorer's class-names text input
SAMPLE_KEYS = ([f"{SAMPLE}.classes", f"{SAMPLE}.names", f"{SAMPLE}.y", f"{SAMPLE}.T"]
               + [f"{SAMPLE}.z{i}" for i in range(MAX_CLASSES)])
LOSS_ANSWER_MAX = 50.0  # s.t. a loss answer's range does not hint at the truth (logits reach ±10)
HISTOGRAM_BINS = 12  # about this many bars: readable on a projector, enough to show a spread
LOSS_QUESTION = "What is the loss −log p(y) of the sample on screen? (natural log)"


def _number(value, low, high):
    ok = (isinstance(value, (int, float)) and not isinstance(value, bool)
          and math.isfinite(value) and low <= value <= high)
    return float(value) if ok else None


def clean_sample(state) -> dict:
    """The well-formed shared-sample values of a published state: {widget key: value}.

    A value out of its widget's range or of the wrong type is dropped (the student's
    own value stays), never passed on to a widget.

    >>> clean_sample({"explorer.z0": 2.5, "explorer.z1": "x", "explorer.y": 1, "other": 3})
    {'explorer.y': 1, 'explorer.z0': 2.5}
    """
    if not isinstance(state, dict):
        return {}
    clean = {}
    classes = state.get(f"{SAMPLE}.classes")
    if isinstance(classes, int) and not isinstance(classes, bool) and MIN_CLASSES <= classes <= MAX_CLASSES:
        clean[f"{SAMPLE}.classes"] = classes
    names = state.get(f"{SAMPLE}.names")
    if isinstance(names, str) and len(names) <= MAX_NAMES_CHARS:
        clean[f"{SAMPLE}.names"] = names
    y = state.get(f"{SAMPLE}.y")
    count = clean.get(f"{SAMPLE}.classes", MAX_CLASSES)
    if isinstance(y, int) and not isinstance(y, bool) and 0 <= y < count:
        clean[f"{SAMPLE}.y"] = y
    t = _number(state.get(f"{SAMPLE}.T"), *T_RANGE)
    if t is not None:
        clean[f"{SAMPLE}.T"] = t
    for i in range(MAX_CLASSES):
        z = _number(state.get(f"{SAMPLE}.z{i}"), -LOGIT_RANGE, LOGIT_RANGE)
        if z is not None:
            clean[f"{SAMPLE}.z{i}"] = z
    return clean


def sample_view(state: dict) -> tuple[list[str], list[float], int, float]:
    """(names, logits, true_index, temperature) of the shared sample in ``state``, the Explorer's
    defaults where a value is missing or malformed.

    >>> sample_view({"explorer.z1": 2.0, "explorer.y": 5})
    (['panda', 'seal', 'duck'], [0.0, 2.0, 0.0], 0, 1.0)
    """
    clean = clean_sample(state)
    count = clean.get(f"{SAMPLE}.classes", DEFAULT_CLASSES)
    names, _ = parse_class_names(clean.get(f"{SAMPLE}.names", DEFAULT_NAMES), count)
    logits = [clean.get(f"{SAMPLE}.z{i}", 0.0) for i in range(count)]
    y = clean.get(f"{SAMPLE}.y", 0)
    return names, logits, y if y < count else 0, clean.get(f"{SAMPLE}.T", 1.0)


def loss_question(logits, true_index, temperature) -> dict:
    r"""The estimate question "what is the loss?" for one sample, with its true value.

    .. math:: L = -\log \mathrm{softmax}(z / T)_y

    >>> q = loss_question([2.0, 1.0, 0.1], 0, 1.0)
    >>> round(q["truth"], 4), q["low"], q["high"]
    (0.417, 0.0, 50.0)
    """
    z = np.asarray(logits, dtype=np.float64)[None, :] / float(temperature)
    truth = float(cevis.cross_entropy(z, [int(true_index)]))
    return {"kind": "estimate", "text": LOSS_QUESTION, "low": 0.0, "high": LOSS_ANSWER_MAX,
            "truth": truth}


def lesson_position(value) -> tuple[int, int] | None:
    """A published [lesson, step] (0-based) as a valid position, or None if it is not one."""
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return None
    li, si, note = lessons.position(str(value[0] + 1), str(value[1] + 1))
    return None if note else (li, si)


def lesson_question(li: int, si: int) -> dict | None:
    """A lesson step's prediction question in the room store's form, or None if it asks none.

    >>> q = lesson_question(0, 0)
    >>> q["kind"], q["low"], q["high"], round(q["truth"], 4)
    ('estimate', 0.0, 5.0, 0.1054)
    """
    q = lessons.question_for(li, si)
    if q is None:
        return None
    if q["kind"] == "choice":
        return {"kind": "choice", "text": q["prompt"], "choices": list(q["options"]), "truth": q["truth"]}
    low, high = q["range"]
    return {"kind": "estimate", "text": q["prompt"], "low": low, "high": high, "truth": q["truth"]}


def lesson_step_text(li: int, si: int) -> str:
    """"Lesson title, step n: what the step says" (plain text: show it escaped)."""
    lesson = lessons.LESSONS[li]
    return f"{lesson.title}, step {si + 1}: {lesson.steps[si].text}"


class Histogram(NamedTuple):
    """Bars of the class's answers: edges [B+1] (or choice labels), counts [B], the truth."""

    edges: np.ndarray  # [B + 1] bin edges (estimate) or [B] bar positions 0..B-1 (choice)
    counts: np.ndarray  # [B] answers per bar
    truth: float | None  # where the true value goes (a bar index for a choice question)
    labels: list  # [B] bar labels


def _nice_width(span: float) -> float:
    """The bin width from 1, 2, 5 x 10^k nearest above span / HISTOGRAM_BINS."""
    raw = max(span, 1e-9) / HISTOGRAM_BINS
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))


def answer_histogram(question: dict, answers) -> Histogram:
    """The answers as bars: equal nice-width bins over the answers and the truth (estimate),
    or one bar per choice. Bins are [a, b), the last one [a, b].

    >>> h = answer_histogram({"kind": "estimate", "truth": 1.0}, [0.5, 0.7, 1.2, 3.0])
    >>> h.edges.tolist(), h.counts.tolist()
    ([0.5, 1.0, 1.5, 2.0, 2.5, 3.0], [2, 1, 0, 0, 1])
    """
    truth = question.get("truth")
    if question["kind"] == "choice":
        labels = list(question["choices"])
        counts = np.bincount(np.asarray(answers, dtype=np.int64), minlength=len(labels))[:len(labels)]
        return Histogram(np.arange(len(labels), dtype=np.float64), counts, truth, labels)
    values = np.asarray(answers, dtype=np.float64)
    points = np.append(values, truth) if truth is not None else values
    if points.size == 0:
        points = np.array([0.0, 1.0])
    width = _nice_width(float(points.max() - points.min()))
    low = math.floor(points.min() / width) * width
    bins = max(1, math.ceil((points.max() - low) / width - 1e-9))
    edges = low + width * np.arange(bins + 1)
    edges[-1] = max(edges[-1], points.max())  # rounding must not drop the largest answer
    counts = np.histogram(values, bins=edges)[0] if values.size else np.zeros(bins, dtype=np.int64)
    labels = [f"{a:g} to {b:g}" for a, b in zip(edges[:-1], edges[1:])]
    return Histogram(edges, counts, truth, labels)
