"""Binary page: p is set exactly (typed), the frameworks' results cover the prediction on
screen, and a column names only the libraries that compute it (issue 25, item 4).

Expected numbers are closed forms computed here with math: −log p; Keras clips p to
[1e-7, 1 − 1e-7] in float32; BCEWithLogitsLoss with pos_weight β is β·softplus(−z) for
t = 1 and softplus(z) for t = 0, Keras's from_logits the same with β = 1.
"""

import math
import pathlib

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIMEOUT = 60  # s: a loaded machine, and the first run imports plotly and pandas


def run_binary(query):
    at = AppTest.from_file(str(ROOT / "app_pages" / "binary.py"), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def framework_tables(at):
    return [d.value for d in at.dataframe if "PyTorch BCELoss" in d.value.columns]


def softplus(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


@pytest.mark.parametrize("p", [0.001, 1e-6, 0.123457])
def test_a_typed_p_is_exact_and_the_frameworks_show_it(p):
    at = run_binary({"binary.kind": "probability", "binary.p": str(p), "binary.t": "1"})
    assert at.number_input(key="binary.p").value == p  # typed, not snapped to a 0.001 step
    on_screen = framework_tables(at)[0]  # the first table: the prediction above
    [row] = on_screen.index
    assert row == f"t = 1, p = {p:.6g}"
    assert on_screen.loc[row, "PyTorch BCELoss"] == f"{-math.log(p):.4f}"
    keras_p = max(float(np.float32(p)), float(np.float32(1e-7)))
    assert on_screen.loc[row, "Keras BinaryCrossentropy"] == f"{-math.log(keras_p):.4f}"


def test_the_page_reaches_p_0001_as_it_asks():
    at = run_binary({"binary.kind": "probability"})
    at.number_input(key="binary.p").set_value(0.001).run()
    assert framework_tables(at)[0].iloc[0]["PyTorch BCELoss"] == "6.9078"  # the review's torch


def test_the_prediction_on_screen_from_a_logit_includes_the_logit_column():
    at = run_binary({"binary.z": "-2.5", "binary.t": "0"})
    on_screen = framework_tables(at)[0]
    assert list(on_screen.index) == ["t = 0, z = -2.5"]
    assert on_screen.iloc[0]["PyTorch BCEWithLogitsLoss / Keras from_logits"] == \
        f"{softplus(-2.5):.4f}"


def test_with_pos_weight_no_column_claims_keras_computes_it():
    t, z, beta = [1, 0, 1], [-1.0, 0.5, 2.0], 3.0  # the example
    at = run_binary({"binary.rows_kind": "logit", "binary.rows": "1:-1, 0:0.5, 1:2",
                     "binary.pos_weight": "3"})
    table = framework_tables(at)[-1]  # the table of samples
    torch_col, keras_col = "PyTorch from logits, pos_weight = 3", \
        "Keras from_logits (no pos_weight)"
    torch = [beta * softplus(-v) if y else softplus(v) for y, v in zip(t, z)]
    keras = [softplus(-v) if y else softplus(v) for y, v in zip(t, z)]
    assert list(table[torch_col][:3]) == [f"{v:.4f}" for v in torch]
    assert list(table[keras_col][:3]) == [f"{v:.4f}" for v in keras]
    assert table[torch_col].iloc[0] == "3.9398" and table[keras_col].iloc[0] == "1.3133"
    for label in table.columns:  # a Keras column never holds the pos_weighted numbers
        if "Keras" in label:
            assert table[label].iloc[0] != "3.9398"


def test_pos_weight_one_keeps_one_shared_logit_column():
    at = run_binary({"binary.rows_kind": "logit", "binary.rows": "1:-1, 0:0.5, 1:2"})
    table = framework_tables(at)[-1]
    assert "PyTorch BCEWithLogitsLoss / Keras from_logits" in table.columns
    assert not any("pos_weight" in c for c in table.columns)
