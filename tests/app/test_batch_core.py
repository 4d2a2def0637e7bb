"""The Batch page's numbers: hand-computed values, the PyTorch fixture, codegen, kind conversion."""

import json
import math
import pathlib

import numpy as np
import pytest

from cevis import InputError
from cevis_app.text import codegen
from cevis_app.text import parsing
from cevis_app.text.conversions import convert_batch
from cevis_app.text.edits import apply_record_edits
from cevis_app.views.batch import BatchOptions
from cevis_app.views.batch import explain_batch
from cevis_app.views.presets import BATCH_PRESETS

Z = [[3.0, 0.0, 0.0], [2.5, 0.5, 0.0], [3.0, 0.0, 1.0], [1.0, 0.5, 0.0]]
Y = [0, 0, -100, 1]


def nll(z, y):
    return math.log(sum(math.exp(v) for v in z)) - z[y]


def test_weighted_mean_divides_by_the_summed_weights_of_kept_rows():
    b = explain_batch(Z, Y, BatchOptions(weight=(1.0, 5.0, 1.0)))
    losses = [nll(Z[0], 0), nll(Z[1], 0), 0.0, 5 * nll(Z[3], 1)]
    np.testing.assert_allclose(b.losses, losses, rtol=1e-12)
    assert b.denominator == 1 + 1 + 5
    assert b.mean == pytest.approx(sum(losses) / 7)
    assert list(b.ignored) == [False, False, True, False]
    np.testing.assert_array_equal(b.row_weight, [1, 1, 0, 5])


def test_label_smoothing_by_hand():
    eps = 0.3
    b = explain_batch([Z[0]], [0], BatchOptions(label_smoothing=eps))
    lp = [-nll(Z[0], k) for k in range(3)]
    expected = -((1 - eps) * lp[0] + eps / 3 * sum(lp))
    assert b.losses[0] == pytest.approx(expected)
    np.testing.assert_allclose(b.smoothed[0], [1 - eps + eps / 3, eps / 3, eps / 3])


def test_entropy_plus_kl_is_the_unweighted_loss():
    p = BATCH_PRESETS["soft"]
    rows = parsing.parse_batch(p.rows, p.target_kind, p.pred_kind)
    b = explain_batch(rows.preds, rows.targets, BatchOptions(label_smoothing=0.2))
    np.testing.assert_allclose(b.entropy + b.kl, b.losses, rtol=1e-10)
    t = np.asarray(rows.targets[1]) * 0.8 + 0.2 / 3
    assert b.entropy[1] == pytest.approx(-(t * np.log(t)).sum())


def test_the_perfect_soft_prediction_costs_its_entropy():
    p = BATCH_PRESETS["soft"]
    rows = parsing.parse_batch(p.rows, p.target_kind, p.pred_kind)
    b = explain_batch(rows.preds, rows.targets, BatchOptions())
    h = -(0.7 * math.log(0.7) + 0.2 * math.log(0.2) + 0.1 * math.log(0.1))
    assert b.losses[1] == pytest.approx(h, abs=1e-6) and b.kl[1] == pytest.approx(0, abs=1e-6)


def test_all_ignored_is_nan_mean_and_zero_sum():
    b = explain_batch(Z[:2], [-100, -100], BatchOptions())
    assert math.isnan(b.mean) and b.total == 0 and b.denominator == 0


def test_probability_predictions_match_the_textbook_formula():
    p = BATCH_PRESETS["four"]
    rows = parsing.parse_batch(p.rows, p.target_kind, p.pred_kind)
    b = explain_batch(rows.preds, rows.targets, BatchOptions(), from_probs=True)
    np.testing.assert_allclose(b.losses, [-math.log(0.91), -math.log(0.8), -math.log(0.6),
                                          -math.log(0.25)], rtol=1e-12)
    assert b.total == pytest.approx(2.214574215671332)


TORCH_REFERENCE = pathlib.Path(__file__).resolve().parents[1] / "lib" / "fixtures" / "torch_reference.json"
FIXTURE = json.loads(TORCH_REFERENCE.read_text())["cases"]
BATCH_CASES = [c for c in FIXTURE if c["fn"] == "cross_entropy" and c["dtype"] == "float64"
               and np.ndim(c["args"]["logits"]) == 2 and c["kwargs"]["reduction"] != "sum"
               and not any(isinstance(v, str) for v in np.ravel(c["expected"]))
               and np.abs(np.asarray(c["args"]["logits"], float)).max() < 1e3]


@pytest.mark.parametrize("case", BATCH_CASES, ids=[c["id"] for c in BATCH_CASES])
def test_explain_batch_matches_pytorch(case):
    kw = case["kwargs"]
    options = BatchOptions(weight=tuple(kw["weight"]) if kw.get("weight") else None,
                           ignore_index=kw.get("ignore_index", -100),
                           label_smoothing=kw.get("label_smoothing", 0.0),
                           reduction=kw["reduction"])
    target = case["args"]["target"]
    b = explain_batch(case["args"]["logits"], np.asarray(target), options)
    got = b.losses if kw["reduction"] == "none" else b.mean
    np.testing.assert_allclose(got, case["expected"], rtol=1e-12, atol=1e-12)


def test_codegen_carries_the_numbers_and_the_keras_difference():
    options = BatchOptions(weight=(1.0, 5.0, 1.0), ignore_index=-100, label_smoothing=0.1)
    b = explain_batch(Z, Y, options)
    torch = codegen.torch_code(Z, Y, options, b, from_probs=False, target_kind="index")
    assert "weight=weight" in torch and "label_smoothing=0.1" in torch
    assert f"# cevis: {b.mean:.6g}" in torch
    keras = codegen.keras_code(Z, Y, options, b, from_probs=False, target_kind="index")
    # Keras: each kept row's smoothed, unweighted loss times its class weight, over N kept rows
    lp = [[-nll(z, k) for k in range(3)] for z in Z]
    smooth = [-(0.9 * lp[i][y] + 0.1 / 3 * sum(lp[i])) for i, y in enumerate(Y) if y != -100]
    keras_mean = (smooth[0] + smooth[1] + 5 * smooth[2]) / 3
    assert f"# {keras_mean:.6g}" in keras
    assert "keep = y_true != -100" in keras and "summed weights (7)" in keras
    plain = explain_batch(Z[:2], [0, 1], BatchOptions())
    assert "F.cross_entropy gives" not in codegen.keras_code(Z[:2], [0, 1], BatchOptions(), plain,
                                                             from_probs=False, target_kind="index")


def test_ignored_rows_cannot_become_distributions():
    rows = parsing.parse_batch("-100 | 0, 0; 1 | 0, 0", "index", "logits", ignore_index=-100)
    with pytest.raises(InputError, match="rows with an ignored target have no class"):
        convert_batch(rows, "one-hot", "logits")


def test_convert_batch_kinds():
    rows = parsing.parse_batch("1 | 0, 0, 0; 2 | 1, 2, 3", "index", "logits")
    one_hot = convert_batch(rows, "one-hot", "logits")
    assert one_hot.targets == [[0, 1, 0], [0, 0, 1]]
    probs = convert_batch(rows, "index", "probabilities")
    np.testing.assert_allclose(probs.preds[0], [1 / 3] * 3, atol=1e-6)
    back = convert_batch(probs, "index", "logits")
    np.testing.assert_allclose(np.asarray(back.preds[1]) - back.preds[1][0], [0, 1, 2], atol=1e-5)
    soft = parsing.parse_batch("0.2, 0.7, 0.1 | 0, 0, 0", "soft", "logits")
    assert convert_batch(soft, "index", "logits").targets == [1]


@pytest.mark.parametrize("text, kinds, message", [
    ("0 | 1, 2; 1 | 1, 2, 3", ("index", "logits"), r"row 2: 3 predictions; expected 2, as in row 1"),
    ("0 | 0.5, 0.4", ("index", "probabilities"), r"row 1, predictions: the probabilities sum to 0.9"),
    ("3 | 1, 2, 3", ("index", "logits"), r"row 1, target: class 3 does not exist; expected 0 to 2"),
    ("-100 | 1, 2", ("index", "logits"), r"class -100 does not exist"),
    ("0.5 | 1, 2", ("index", "logits"), r"0.5 is not a whole class index"),
    ("0, 1 | 1, 2", ("index", "logits"), r"2 numbers; expected one class index"),
    ("0.5, 0.5 | 1, 2", ("one-hot", "logits"), r"is not one-hot"),
    ("0.5, 0.6 | 1, 2", ("soft", "logits"), r"row 1, target: the probabilities sum to 1.1"),
    ("1, 0, 0 | 1, 2", ("soft", "logits"), r"row 1, target: 3 values; expected 2"),
    ("0 1, 2", ("index", "logits"), r"row 1 \('0 1, 2'\): expected 'target \| predictions'"),
    ("0 | 1, x", ("index", "logits"), r"row 1, predictions: 'x' is not a number"),
    ("0 | 1", ("index", "logits"), r"1 classes; expected 2 to 10"),
])
def test_batch_text_errors(text, kinds, message):
    with pytest.raises(InputError, match=message):
        parsing.parse_batch(text, *kinds)


def test_ignore_index_is_allowed_only_when_on():
    assert parsing.parse_batch("-100 | 1, 2", "index", "logits", ignore_index=-100).targets == [-100]


def test_weights_parsing():
    assert parsing.parse_weights("1, 5, 1", 3) == (1.0, 5.0, 1.0)
    with pytest.raises(InputError, match=r"2 weight\(s\); expected 3"):
        parsing.parse_weights("1, 2", 3)
    with pytest.raises(InputError, match=r"negative weight -2 \(class 1\)"):
        parsing.parse_weights("1, -2, 1", 3)


def test_batch_csv_round_trip_and_errors():
    for preset in BATCH_PRESETS.values():
        rows = parsing.parse_batch(preset.rows, preset.target_kind, preset.pred_kind,
                                   ignore_index=-100)
        again = parsing.parse_batch_csv(parsing.batch_to_csv(rows).encode(), ignore_index=-100)
        assert again.target_kind == rows.target_kind and again.pred_kind == rows.pred_kind
        np.testing.assert_allclose(np.asarray(again.preds), np.asarray(rows.preds), rtol=1e-12)
    for data, message in [
        (b"target,z0,p0\n0,1,0.5\n", r"not both"),
        (b"target,z0,z2\n0,1,2\n", r"numbered from 0"),
        (b"label,z0,z1\n0,1,2\n", r"expected a 'target' column"),
        (b"target,z0,z1\n0,1\n", r"row 1: 2 value\(s\); expected 3"),
        (b"target,z0,z1\n0,1,abc\n", r"row 1, column 'z1': 'abc' is not a number"),
        (b"target,z0,z1\n", r"a header but no rows"),
        (b"t0,t1,p0,p1\n0.5,0.6,0.5,0.5\n", r"row 1, target: the probabilities sum to 1.1"),
    ]:
        with pytest.raises(InputError, match=message):
            parsing.parse_batch_csv(data)


def test_record_edits_round_trip():
    rows = parsing.parse_batch("0 | 1, 2; 1 | 0, 0", "index", "logits")
    records = apply_record_edits(parsing.batch_records(rows),
                                         {"edited_rows": {1: {"z1": 5.0}}, "added_rows": [{}],
                                          "deleted_rows": [0]}, ["target", "z0", "z1"], [0, 0.0, 0.0])
    again = parsing.batch_from_records(records, "index", "logits", 2)
    assert again.targets == [1, 0] and again.preds == [[0.0, 5.0], [0.0, 0.0]]
    with pytest.raises(InputError, match=r"row 1: an empty cell"):
        parsing.batch_from_records([[0, None, 1.0]], "index", "logits", 2)
