"""User text, CSV files and table edits -> samples, with errors that name the row and column."""

import pytest

from cevis import InputError
from cevis_app.text import samples
from cevis_app.urlstate import format_samples
from cevis_app.views import class_names


@pytest.mark.parametrize("text, count, names", [
    ("panda, seal, duck", 3, ["panda", "seal", "duck"]),
    ("a,b", 4, ["a", "b", "class 2", "class 3"]),
    ("x, , y", 3, ["x", "class 1", "y"]),
    ("cat,cat,cat", 3, ["cat", "cat (2)", "cat (3)"]),
    ("<b>bold</b>, $x^2$", 2, ["bbold/b", "x2"]),
    ("café, 猫, a_b, (x) & y", 4, ["café", "猫", "ab", "(x) & y"]),
    ("a" * 50, 2, ["a" * 20, "class 1"]),
    (None, 2, ["class 0", "class 1"]),
])
def test_class_names(text, count, names):
    assert class_names.parse_class_names(text, count)[0] == names


def test_class_names_say_what_was_changed():
    assert class_names.parse_class_names("a, b", 2)[1] is None
    assert "ignored" in class_names.parse_class_names("a, b, c", 2)[1]
    assert "letters, digits" in class_names.parse_class_names("a{, b", 2)[1]
    assert class_names.parse_class_names("café, 猫", 2)[1] is None


def test_samples_text_round_trip():
    rows = [(0, 0.07), (1, 0.91), (1, 1e-9)]
    assert samples.parse_samples(format_samples(rows), "probability") == rows
    assert samples.parse_samples("", "logit") == []
    assert samples.parse_samples("1:-12.5", "logit") == [(1, -12.5)]


@pytest.mark.parametrize("text, kind, message", [
    ("1:0.5, 2:0.5", "probability", r"sample 2, column 'label': 2 is not 0 or 1"),
    ("1:1.5", "probability", r"sample 1, column 'prediction': 1.5 is not a probability"),
    ("1:abc", "logit", r"sample 1, column 'prediction': 'abc' is not a number"),
    ("1:nan", "logit", r"sample 1, column 'prediction': .* is not a finite number"),
    ("10.5", "logit", r"sample 1 \('10.5'\): expected label:prediction"),
    ("1:0.5", "odds", r"kind is 'odds'"),
    (",".join(["1:0.5"] * 501), "probability", r"501 samples; at most 500"),
])
def test_samples_text_errors(text, kind, message):
    with pytest.raises(InputError, match=message):
        samples.parse_samples(text, kind)


def test_csv_good_files():
    assert samples.parse_samples_csv(b"label,prediction\n1,0.9\n0,0.2\n", "probability") == \
        ([(1, 0.9), (0, 0.2)], "probability")
    # BOM, other column order, extra column, spaces, blank lines, Windows line ends
    data = "\ufeffid, Prediction ,LABEL\r\n7,0.25,0\r\n\r\n8, 0.75 ,1\r\n".encode()
    assert samples.parse_samples_csv(data, "probability")[0] == [(0, 0.25), (1, 0.75)]
    rows = [(0, 0.07), (1, 0.91)]
    assert samples.parse_samples_csv(samples.samples_to_csv(rows, "probability").encode(),
                                     "probability") == (rows, "probability")


@pytest.mark.parametrize("data, message", [
    (b"", r"the file is empty"),
    (b"\n\n", r"the file is empty"),
    (b"label,prediction\n", r"a header but no rows"),
    (b"label,prob\n1,0.5\n", r"expected 'label' and 'prediction' \(missing: prediction\)"),
    (b"y,p\n1,0.5\n", r"missing: label, prediction"),
    (b"label,prediction\n1,0.5\n2,0.5\n", r"row 2, column 'label': 2 is not 0 or 1"),
    (b"label,prediction\n1,0.5\n0,1.2\n", r"row 2, column 'prediction': 1.2 is not a probability"),
    (b"label,prediction\n1,0.5\nyes,0.5\n", r"row 2, column 'label': 'yes' is not a number"),
    (b"label,prediction\n1,0.5\n0\n", r"row 2: 1 value\(s\); expected 2"),
    (b"label,prediction\n1,\xff\xfe\n", r"not UTF-8"),
    (b"label,prediction\n" + b"1,0.5\n" * 501, r"501 rows; at most 500"),
    (b"label,prediction\n" + b"1,0.5" + b"0" * 1_100_000 + b"\n",
     r"1,100,0\d\d bytes; at most 1,048,576 \(1 MB\)"),
    (b"label,prediction\n1,0.5" + b"0" * 200_000 + b"\n", r"line 2: a cell longer than 131,072"),
], ids=lambda v: v[:30] if isinstance(v, bytes) else None)
def test_csv_bad_files(data, message):
    with pytest.raises(InputError, match=message):
        samples.parse_samples_csv(data, "probability")


def test_table_edits():
    rows = [(0, 0.1), (1, 0.8), (1, 0.6)]
    edits = {"edited_rows": {0: {"label": 1}, 2: {"prediction": 0.25}},
             "added_rows": [{}, {"prediction": 0.9, "label": 0}], "deleted_rows": [1]}
    assert samples.apply_table_edits(rows, edits, "probability") == \
        [(1, 0.1), (1, 0.25), (1, 0.5), (0, 0.9)]
    with pytest.raises(InputError, match=r"row 1, column 'prediction': 3 is not a probability"):
        samples.apply_table_edits(rows, {"edited_rows": {0: {"prediction": 3}}}, "probability")
    assert samples.apply_table_edits(rows, {"edited_rows": {0: {"prediction": 3}}}, "logit")[0] == \
        (0, 3.0)
