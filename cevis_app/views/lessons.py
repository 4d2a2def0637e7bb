r"""The lessons: the path through them, and each question as classroom rooms see it.

The lessons are data (:mod:`cevis_app.views.lesson_definitions`); what a lesson, a
step and a question are, and how an answer is checked, is
:mod:`cevis_app.views.lesson_model`. Both are re-exported here, so
``from cevis_app.views.lessons import ...`` is the one import a page or a room needs.
Every question has a stable id, ``"<lesson key>/<step number>"``, for classroom rooms
(:func:`question_for`).
"""

from __future__ import annotations

from cevis_app.views.lesson_definitions import BATCH
from cevis_app.views.lesson_definitions import LESSONS
from cevis_app.views.lesson_definitions import PSD
from cevis_app.views.lesson_definitions import SAMPLE
from cevis_app.views.lesson_definitions import SEED_P
from cevis_app.views.lesson_definitions import SEED_PROBS
from cevis_app.views.lesson_definitions import SEED_T
from cevis_app.views.lesson_definitions import SEED_TARGETS
from cevis_app.views.lesson_model import Lesson
from cevis_app.views.lesson_model import Question
from cevis_app.views.lesson_model import Step
from cevis_app.views.lesson_model import answer
from cevis_app.views.lesson_model import check
from cevis_app.views.lesson_model import input_step
from cevis_app.views.lesson_model import options

__all__ = [
    "BATCH",
    "LESSONS",
    "PSD",
    "SAMPLE",
    "SEED_P",
    "SEED_PROBS",
    "SEED_T",
    "SEED_TARGETS",
    "Lesson",
    "Question",
    "Step",
    "answer",
    "check",
    "input_step",
    "options",
    "position",
    "question_for",
    "step_id",
]


def position(raw_lesson, raw_step) -> tuple[int, int, str]:
    """0-based ``(lesson, step)`` from the URL's 1-based ``?lesson=&step=``, clamped, and a note.

    Anything that is not a whole number in range is clamped to the nearest valid one (a
    missing or unreadable value to 1), and the note says what was shown instead; ``""``
    when the link was fine.

    >>> position("3", "4")
    (2, 3, '')
    >>> position("99", "x")[:2], position("99", "x")[2][:20]
    ((6, 0), 'There is no lesson 9')
    """
    notes = []

    def clamp(raw, count, what):
        text = str(raw if raw not in (None, "") else "1").strip()[:20]
        try:
            n = int(text)
        except ValueError:
            notes.append(f"'{text}' is not a {what} number; showing {what} 1.")
            return 0
        if not 1 <= n <= count:
            shown = min(max(n, 1), count)
            notes.append(f"There is no {what} {n}; showing {what} {shown} of {count}.")
            return shown - 1
        return n - 1

    li = clamp(raw_lesson, len(LESSONS), "lesson")
    si = clamp(raw_step, len(LESSONS[li].steps), "step")
    return li, si, " ".join(notes)


def step_id(lesson_index: int, step_index: int) -> str:
    """The stable id of a step: ``"<lesson key>/<step number, 1-based as in the URL>"``."""
    return f"{LESSONS[lesson_index].key}/{step_index + 1}"


def question_for(lesson_index: int, step_index: int) -> dict | None:
    """The question of a step (0-based indices) as JSON-safe data, for classroom rooms.

    Returns ``{"id", "kind", "prompt", "options" | "range", "truth", "tolerance", "why"}``,
    or None when the step asks nothing (or the indices are out of range).

    >>> question_for(0, 0)["id"], round(question_for(0, 0)["truth"], 4)
    ('measure/1', 0.1054)
    """
    if not (0 <= lesson_index < len(LESSONS)
            and 0 <= step_index < len(LESSONS[lesson_index].steps)):
        return None
    step = LESSONS[lesson_index].steps[step_index]
    q = step.question
    if q is None:
        return None
    out = {"id": step_id(lesson_index, step_index), "kind": q.kind, "prompt": q.prompt,
           "truth": answer(step), "tolerance": float(q.tolerance), "why": step.why}
    if q.kind == "choice":
        out["options"] = list(options(step))
    else:
        out["range"] = [float(q.low), float(q.high)]
    return out
