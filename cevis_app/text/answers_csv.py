"""A room's answers as CSV for a spreadsheet: every question of the session, every answer.

One row per answer: the question (number, text, kind), the answer (an option's text and
number, or the value), the true answer and whether it was right, the time (UTC, ISO 8601)
and an anonymous seat (S1, S2, … in the order students first answered): a student's id in
the store is what lets them answer, so it never leaves the server.

Safe to open in a spreadsheet: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return (OWASP's CSV-injection list) gets a leading ``'``, so a
teacher-written option such as ``=HYPERLINK(…)`` stays text and never runs as a formula;
every cell is quoted. Numbers the app formats itself (a negative answer included) stay numbers.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import datetime
from datetime import timezone

from cevis import InputError

HEADER = ("question_number", "question", "kind", "answer", "option_number", "true_answer",
          "correct", "answered_at_utc", "seat")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP: a cell starting so may run as a formula
NUMBER_DIGITS = 10  # significant digits of a numeric answer: a float's noise is not the student's


def spreadsheet_text(text) -> str:
    """``text`` as a cell a spreadsheet shows as text: a ``'`` before a formula's first character.

    >>> spreadsheet_text('=HYPERLINK("http://x","y")'), spreadsheet_text("up"), spreadsheet_text(" -1")
    ('\\'=HYPERLINK("http://x","y")', 'up', "' -1")
    """
    text = str(text)
    risky = text[:1] in FORMULA_STARTS or text.lstrip(" ")[:1] in FORMULA_STARTS
    return "'" + text if risky else text


def _number(value) -> str:
    """A finite number as the app writes it: plain decimal digits (a spreadsheet reads a number)."""
    return format(float(value), f".{NUMBER_DIGITS}g")


def _utc(seconds) -> str:
    return datetime.fromtimestamp(float(seconds), tz=timezone.utc).isoformat(timespec="seconds")


def _answer_cells(question: dict, answer) -> tuple[str, str, str, str]:
    """(answer, option number, true answer, correct) for one answer to ``question``."""
    truth = question.get("truth")
    if question["kind"] == "choice":
        choices = question["choices"]
        if not (isinstance(answer, int) and 0 <= answer < len(choices)):
            raise InputError(f"answers_csv: answer {answer!r} is not an option of question "
                             f"{question['id']}")
        right = "" if truth is None else ("yes" if answer == truth else "no")
        shown = "" if truth is None else spreadsheet_text(choices[truth])
        return spreadsheet_text(choices[answer]), str(answer + 1), shown, right
    if question["kind"] == "view":  # [loss, p_true]: the loss, beside the target and the tolerance
        loss = answer[0] if isinstance(answer, (list, tuple)) and len(answer) == 2 else None
        if isinstance(loss, bool) or not isinstance(loss, (int, float)) or not math.isfinite(loss):
            raise InputError(f"answers_csv: answer {answer!r} to question {question['id']} is not a view")
        target = question["target_loss"]
        right = "yes" if abs(loss - target) <= question["tolerance"] else "no"
        return _number(loss), "", _number(target), right
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
        raise InputError(f"answers_csv: answer {answer!r} to question {question['id']} is not a number")
    return _number(answer), "", "" if truth is None else _number(truth), ""


def answers_csv(questions: Sequence[dict], answers: Iterable[Sequence]) -> str:
    """The CSV text (header first) of ``answers`` [(question_id, student_id, answer, unix_time)]
    to ``questions`` [{"id", "kind", "text", "choices" (choice), "truth"}], in the order asked.

    >>> q = [{"id": "q1", "kind": "choice", "text": "Up?", "choices": ["up", "=1+1"], "truth": 0}]
    >>> print(answers_csv(q, [("q1", "secret-id", 1, 0)]).splitlines()[1])
    "1","Up?","choice","'=1+1","2","up","no","1970-01-01T00:00:00+00:00","S1"
    """
    numbers = {q["id"]: n for n, q in enumerate(questions, start=1)}
    by_id = {q["id"]: q for q in questions}
    seats: dict = {}
    rows = []
    # seats by the first answer in time (sorted is stable: equal times keep the input's order)
    for question_id, student, answer, seconds in sorted(answers, key=lambda a: float(a[3])):
        if question_id not in by_id:
            raise InputError(f"answers_csv: an answer to question {question_id!r}, which was not asked")
        question = by_id[question_id]
        seat = seats.setdefault(student, f"S{len(seats) + 1}")
        rows.append((numbers[question_id], (
            str(numbers[question_id]), spreadsheet_text(question["text"]), question["kind"],
            *_answer_cells(question, answer), _utc(seconds), seat)))
    rows.sort(key=lambda row: row[0])  # by question; within one, by time (the order above)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(row for _, row in rows)
    return out.getvalue()


def export_name(code: str) -> str:
    """The file name of a room's export (the code is the store's, letters and digits only)."""
    return f"cevis-room-{code}-answers.csv"
