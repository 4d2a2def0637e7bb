"""Binary cross-entropy breakdown and framework conventions, against closed forms."""

import math

import numpy as np
import pytest

import cevis
from cevis.conventions import binary_losses_by_convention
from cevis_app.text.conversions import convert_predictions
from cevis_app.views.binary import explain_binary
from cevis_app.views.presets import BINARY_PRESETS


def test_one_logit():
    b = explain_binary(1, logits=0.0)
    assert b.probs[0] == 0.5
    assert b.loss[0] == pytest.approx(math.log(2))
    assert b.grad_logit[0] == -0.5
    assert b.grad_prob[0] == -2.0  # -t/p


@pytest.mark.parametrize("p, t, dldp", [(0.001, 1, -1000.0), (0.25, 0, 1 / 0.75), (1.0, 1, -1.0),
                                         (0.0, 0, 1.0), (0.0, 1, -math.inf), (1.0, 0, math.inf)])
def test_gradient_with_respect_to_p(p, t, dldp):
    b = explain_binary(t, probs=p)
    assert b.grad_prob[0] == pytest.approx(dldp)
    assert abs(b.grad_logit[0]) <= 1


def test_seed_table_through_the_breakdown():
    rows = BINARY_PRESETS["seeds"].rows
    b = explain_binary([t for t, _ in rows], probs=[p for _, p in rows])
    assert b.total == pytest.approx(4.460303459760249, rel=1e-14)
    assert b.mean == pytest.approx(4.460303459760249 / 7, rel=1e-14)
    assert int(np.argmax(b.loss)) == 4  # p = 0.85 for a true 0: 1.897


def test_logit_and_probability_forms_agree_inside_the_interval():
    z = np.array([-3.0, -0.2, 0.0, 1.5, 4.0])
    t = np.array([1, 0, 1, 0, 1])
    by_z = explain_binary(t, logits=z)
    by_p = explain_binary(t, probs=1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(by_z.loss, by_p.loss, rtol=1e-12)
    np.testing.assert_allclose(by_p.logits, z, rtol=1e-12, atol=1e-12)


def test_conventions_at_the_edges():
    out = binary_losses_by_convention([1, 0, 0, 1], probs=[0.0, 1.0, 0.0, 1.0])
    assert out["plain"][0] == math.inf and out["plain"][1] == math.inf
    assert math.isnan(out["plain"][2]) and math.isnan(out["plain"][3])  # 0 * log 0
    np.testing.assert_array_equal(out["torch"], [100, 100, 0, 0])
    # Keras clips in float32: 1 - 1e-7 rounds to 1 - 2^-23 * ... so the two mistakes differ
    assert out["keras"][0] == pytest.approx(-math.log(1e-7), rel=1e-6)
    assert out["keras"][1] == pytest.approx(-math.log(1 - float(np.float32(1 - 1e-7))), rel=1e-6)
    assert out["keras"][1] == pytest.approx(15.942, abs=1e-3)
    assert out["clamp"][0] == pytest.approx(-math.log(1e-15))
    assert out["clamp"][1] == pytest.approx(-math.log(1 - (1 - 1e-15)))
    assert "logits" not in out


def test_conventions_agree_inside_and_logit_form_with_pos_weight():
    z = np.array([-2.0, 0.5, 3.0])
    t = np.array([1.0, 0.0, 1.0])
    out = binary_losses_by_convention(t, logits=z, pos_weight=3.0)
    p = 1 / (1 + np.exp(-z))
    plain = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    for key in ("plain", "torch", "keras", "clamp"):
        np.testing.assert_allclose(out[key], plain, rtol=1e-6)
    np.testing.assert_allclose(out["logits"], -(3 * t * np.log(p) + (1 - t) * np.log(1 - p)),
                               rtol=1e-12)


def test_conventions_need_exactly_one_input():
    with pytest.raises(cevis.InputError, match="got both of probs and logits"):
        binary_losses_by_convention([1], probs=[0.5], logits=[0.0])
    with pytest.raises(cevis.InputError, match="got neither"):
        explain_binary([1])
    with pytest.raises(cevis.InputError, match="probs has 1.5"):
        explain_binary([1], probs=[1.5])


def test_convert_predictions_round_trip_and_limits():
    p = np.array([0.1, 0.5, 0.9])
    np.testing.assert_allclose(convert_predictions(convert_predictions(p, "logit"), "probability"),
                               p, rtol=1e-12)
    np.testing.assert_array_equal(convert_predictions([0.0, 1.0], "logit"), [-20.0, 20.0])
    with pytest.raises(cevis.InputError, match="to_kind is 'odds'"):
        convert_predictions([0.5], "odds")
