"""Batch page: a link with only the target format works, and the page says why the mean's
denominator changes with the target format (issue 25, items 3 and D11/D24 of the review).

The numbers are PyTorch's (torch 2.x, checked by the classroom review: 0.665215 with one-hot
targets, 0.443477 with class indices, weights [1, 3, 1]), recomputed here with math.
"""

import math
import pathlib

import pytest
from streamlit.testing.v1 import AppTest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIMEOUT = 60  # s: a loaded machine, and the first run imports plotly and pandas
FOUR = [[0.91, 0.04, 0.05], [0.11, 0.8, 0.09], [0.3, 0.1, 0.6], [0.25, 0.4, 0.35]]
Y = [0, 1, 2, 0]
W = [1.0, 3.0, 1.0]
TOTAL = sum(W[y] * -math.log(p[y]) for p, y in zip(FOUR, Y))  # the same for both formats


def run_batch(query):
    at = AppTest.from_file(str(ROOT / "app_pages" / "batch.py"), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metric(at, label):
    [m] = [m for m in at.metric if m.label == label]
    return m.value


def captions(at) -> str:
    return " ".join(str(c.value).replace("\\", "") for c in at.caption)


@pytest.mark.parametrize("query", [{"batch.target_kind": "index"},
                                   {"batch.pred_kind": "logits"},
                                   {"batch.target_kind": "index", "batch.pred_kind": "logits"}])
def test_a_link_with_only_the_formats_gets_the_default_batch_in_them(query):
    at = run_batch(query)
    assert not at.error, [e.value for e in at.error]
    assert metric(at, "sum") == f"{sum(-math.log(p[y]) for p, y in zip(FOUR, Y)):.4f}"
    rows = at.text_input(key="batch.rows").value
    if query.get("batch.target_kind") == "index":
        assert rows.startswith("0 | ")


def test_the_page_says_why_one_hot_divides_by_n():
    at = run_batch({"batch.weights_on": "true", "batch.weights": "1, 3, 1"})
    assert metric(at, "mean") == f"{TOTAL / 4:.4f}" == "0.6652"
    assert metric(at, "denominator of the mean") == "4"
    text = captions(at)
    assert "With probability targets (one-hot or soft) PyTorch divides by N = 4" in text
    assert f"summed weights of the rows' classes, 6, and gives {TOTAL / 6:.4f}" in text


def test_the_page_says_why_index_targets_divide_by_the_summed_weights():
    at = run_batch({"batch.weights_on": "true", "batch.weights": "1, 3, 1",
                    "batch.target_kind": "index"})
    assert not at.error, [e.value for e in at.error]
    assert metric(at, "mean") == f"{TOTAL / 6:.4f}" == "0.4435"
    assert metric(at, "denominator of the mean") == "6"
    text = captions(at)
    assert "summed class weights of the rows, 6, not by the 4 rows" in text
    assert f"divide by N = 4 and give {TOTAL / 4:.4f}" in text
