"""Validation of what reaches a room: published states, questions, answers.

Everything here comes from a browser session and is untrusted: each check either
returns a clean value or raises RoomError with a plain-text message (no echoed
user text beyond numbers the check itself formats).
"""

from __future__ import annotations

import json
import math

from cevis_app.rooms.store import MAX_STATE_BYTES
from cevis_app.rooms.store import RoomError
from cevis_app.rooms.view_answers import check_view_answer
from cevis_app.rooms.view_answers import check_view_question

MAX_DEPTH = 6  # a view state is a flat dict of lists; deeper nesting is a mistake or an attack
MAX_INT = 2**53  # JSON numbers beyond this lose precision in the browser
MAX_QUESTION_CHARS = 300  # a question fits on one projector line or two
MAX_CHOICES = 8  # a phone shows eight radio buttons without scrolling
MAX_CHOICE_CHARS = 80
KINDS = ("estimate", "choice", "view")  # view: answered by dragging the live view (rooms/view_answers.py)
MIN_SECONDS, MAX_SECONDS = 5, 600  # a countdown: long enough to read the question, at most 10 min
AUTHORED_CHOICES = (2, 6)  # a teacher's own multiple choice: 2 to 6 options (a phone shows them all)
MAX_QUEUE = 10  # a teacher's own questions kept in a room: a lesson's worth, easy to pick from


def state_json(state) -> str:
    """The state as compact JSON, after checking it is plain JSON data and small enough.

    Allowed: dict (str keys), list, str, bool, None, finite int/float; depth ≤ MAX_DEPTH;
    at most MAX_STATE_BYTES bytes of UTF-8 JSON.
    """
    if not isinstance(state, dict):
        raise RoomError(f"A room state must be a dict of names to values, not {type(state).__name__}.")
    _check_value(state, 0, [MAX_STATE_BYTES])
    try:
        text = json.dumps(state, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        size = len(text.encode("utf-8"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise RoomError("A room state must be plain JSON text and finite numbers.") from exc
    if size > MAX_STATE_BYTES:
        raise RoomError(f"The room state is {size:,} bytes of JSON; at most {MAX_STATE_BYTES:,} are allowed.")
    return text


def _check_value(value, depth, budget) -> None:
    # budget[0] counts down one per value, so a huge state fails before it is serialised
    budget[0] -= 1
    if budget[0] < 0:
        raise RoomError(f"The room state is larger than {MAX_STATE_BYTES:,} bytes of JSON.")
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            raise RoomError("A number in the room state is beyond ±2**53.")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RoomError(f"A number in the room state is {value}; only finite numbers are allowed.")
        return
    if depth >= MAX_DEPTH:
        raise RoomError(f"The room state is nested deeper than {MAX_DEPTH} levels.")
    if isinstance(value, list):
        for item in value:
            _check_value(item, depth + 1, budget)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise RoomError("The room state's names must be text.")
            _check_value(item, depth + 1, budget)
    else:
        raise RoomError(f"A room state holds JSON values only, not {type(value).__name__}.")


def check_question(question) -> dict:
    """A clean question dict, with keys by kind:

    - estimate: {"kind", "text", "low", "high", "truth"}: answers are numbers in [low, high];
    - choice:   {"kind", "text", "choices", "truth"}: answers are indices into choices.
    `truth` (the value revealed beside the histogram) may be None.
    """
    if not isinstance(question, dict):
        raise RoomError("A question must be a dict.")
    kind, text = question.get("kind"), question.get("text")
    if kind not in KINDS:
        raise RoomError(f"A question's kind must be one of {', '.join(KINDS)}.")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_QUESTION_CHARS:
        raise RoomError(f"A question needs a text of 1 to {MAX_QUESTION_CHARS} characters.")
    if kind == "view":
        return {**check_view_question(question, text.strip()), **_countdown(question)}
    if kind == "estimate":
        low, high = _finite(question.get("low"), "low"), _finite(question.get("high"), "high")
        if not low < high:
            raise RoomError(f"An estimate question needs low < high; got {low:g} and {high:g}.")
        truth = question.get("truth")
        truth = None if truth is None else _finite(truth, "truth")
        return {"kind": kind, "text": text.strip(), "low": low, "high": high, "truth": truth,
                **_countdown(question)}
    choices = question.get("choices")
    if (not isinstance(choices, list) or not 2 <= len(choices) <= MAX_CHOICES
            or not all(isinstance(c, str) and 0 < len(c) <= MAX_CHOICE_CHARS for c in choices)):
        raise RoomError(f"A choice question needs 2 to {MAX_CHOICES} choices of 1 to "
                        f"{MAX_CHOICE_CHARS} characters.")
    truth = question.get("truth")
    if truth is not None and not _is_index(truth, len(choices)):
        raise RoomError(f"A choice question's truth must be a choice number from 0 to {len(choices) - 1}.")
    return {"kind": kind, "text": text.strip(), "choices": list(choices), "truth": truth,
            **_countdown(question)}


def _countdown(question) -> dict:
    """{"seconds": n} for a question that locks by itself after n seconds, {} for one that does not."""
    seconds = question.get("seconds")
    if seconds is None:
        return {}
    if not _is_index(seconds, MAX_SECONDS + 1) or seconds < MIN_SECONDS:
        raise RoomError(f"A countdown is a whole number of seconds from {MIN_SECONDS} to {MAX_SECONDS}.")
    return {"seconds": seconds}


def check_answer(question: dict, answer) -> float | int:
    """The answer as stored: a float in [low, high], a choice index, or [loss, p_true] of a posted
    view (recomputed here, see view_answers.check_view_answer); RoomError otherwise."""
    if question["kind"] == "view":
        return check_view_answer(answer)
    if question["kind"] == "estimate":
        low, high = question["low"], question["high"]
        ok = (isinstance(answer, (int, float)) and not isinstance(answer, bool)
              and math.isfinite(answer) and low <= answer <= high)
        if not ok:
            raise RoomError(f"An answer to this question is a number from {low:g} to {high:g}.")
        return float(answer)
    count = len(question["choices"])
    if not _is_index(answer, count):
        raise RoomError(f"An answer to this question is one of the {count} choices.")
    return int(answer)


def public_question(question: dict | None, question_id: str, revealed: bool, *, locked: bool = False,
                    closes_in: float | None = None, answers=None) -> dict | None:
    """The question as students see it: with its id, and without its truth until revealed.

    ``locked``: answers are closed (the teacher locked it, or its countdown ran out; a
    revealed question is closed too); ``closes_in``: seconds left on its countdown (None: no
    countdown); ``answers``: the class's answers, sorted, shown with the truth once revealed.
    """
    if question is None:
        return None
    public = {k: v for k, v in question.items() if k != "truth" or revealed}
    extra = {"answers": sorted(answers)} if revealed and answers is not None else {}
    if locked:
        extra["locked"] = True
    if closes_in is not None and not revealed:
        extra["closes_in"] = max(0.0, float(closes_in))
    return {**public, "id": question_id, "revealed": revealed, **extra}


def _finite(value, name) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RoomError(f"A question's {name} must be a finite number.")
    return float(value)


def _is_index(value, count) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count


def author_question(kind: str, text, options_text="", low=None, high=None, truth=None) -> dict:
    """A teacher's own question from the authoring form, checked: the store's question dict.

    ``kind``: "choice" (``options_text``: one option per line, 2 to 6; the right one, if any,
    starts with ``*``) or "estimate" (``low`` < ``high``; ``truth``, if given, in between).

    >>> author_question("choice", "Which way?", "up\\n* down\\n\\n")
    {'kind': 'choice', 'text': 'Which way?', 'choices': ['up', 'down'], 'truth': 1}
    """
    if kind == "choice":
        lines = [line.strip() for line in str(options_text or "").splitlines() if line.strip()]
        least, most = AUTHORED_CHOICES
        if not least <= len(lines) <= most:
            raise RoomError(f"Write {least} to {most} options, one per line (you wrote {len(lines)}).")
        right = [i for i, line in enumerate(lines) if line.startswith("*")]
        if len(right) > 1:
            raise RoomError("Mark at most one option as the right one (with * at its start).")
        choices = [line.lstrip("*").strip() for line in lines]
        if not all(choices):
            raise RoomError("An option marked * needs some text after the *.")
        if len(set(choices)) < len(choices):
            raise RoomError("Two options have the same text: a student could not tell them apart.")
        question = {"kind": "choice", "text": text, "choices": choices, "truth": right[0] if right else None}
    elif kind == "estimate":
        if low is None or high is None:
            raise RoomError("A number question needs the lowest and the highest answer allowed.")
        clean = check_question({"kind": "estimate", "text": text, "low": low, "high": high, "truth": truth})
        if clean["truth"] is not None and not clean["low"] <= clean["truth"] <= clean["high"]:
            raise RoomError(f"The true value {clean['truth']:g} is outside the range {clean['low']:g} "
                            f"to {clean['high']:g}.")
        return clean
    elif kind == "view":  # the target loss in the true value's field; the preset's tolerance
        if truth is None:
            raise RoomError("A question on the live view needs the target loss (in the true value's field).")
        return check_question({"kind": "view", "text": text, "target_loss": truth,
                               "tolerance": VIEW_PRESET["tolerance"]})
    else:
        raise RoomError(f"A question's kind must be one of {', '.join(KINDS)}.")
    return check_question(question)


VIEW_PRESET = {"kind": "view", "text": "Set the logits so that the loss is 1",
               "target_loss": 1.0, "tolerance": 0.1}  # issue 23's example; ±0.1 is a small drag


def queue_json(questions) -> str:
    """The teacher's queue as JSON after checking it: at most MAX_QUEUE well-formed questions."""
    if not isinstance(questions, list) or len(questions) > MAX_QUEUE:
        raise RoomError(f"A room keeps at most {MAX_QUEUE} questions of your own.")
    return json.dumps([check_question(q) for q in questions], separators=(",", ":"), allow_nan=False)
