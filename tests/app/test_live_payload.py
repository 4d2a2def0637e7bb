"""The live component's payload: its shape, and every number against a closed form (math.exp).

The payload is unpacked here with base64/zlib/numpy, not with the app's decoder, and each
value is compared with the closed form printed to the precision the browser shows.
"""

import base64
import json
import math
import random
import zlib

import numpy as np
import pytest

from cevis_app.views.live import LOGIT_GRID
from cevis_app.views.live import TEMP_GRID
from cevis_app.views.live import live_tables
from cevis_app.views.live import loss_curve
from cevis_app.views.live import shift_grid
from cevis_app.views.live_binary import PROB_GRID
from cevis_app.views.live_binary import binary_live_tables
from cevis_app.views.live_payload import TABLE_DECIMALS
from cevis_app.views.live_payload import encode_binary
from cevis_app.views.live_payload import encode_live
from cevis_app.views.live_payload import fixed
from cevis_app.views.live_payload import fixed_tables
from cevis_app.widgets.live import whole

SAMPLES = [  # (logits, true class, temperature)
    ([2.0, 1.0, 0.1], 0, 1.0),
    ([0.0, 0.0, 0.0], 2, 1.0),
    ([-3.25, 7.5, 0.01, 9.99, -10.0, 4.2, 0.0, -0.5, 2.22, 1.0], 4, 0.35),
    ([10.0, -10.0], 1, 5.0),
]


def unpack(payload):
    """name -> array; multi-byte integers arrive as byte planes (all low bytes, then high)."""
    raw = zlib.decompress(base64.b64decode(payload["blob"]))
    out = {}
    for name, (kind, offset, count) in payload["index"].items():
        if kind == "utf8":
            out[name] = raw[offset:offset + count].decode().split("\n")
            continue
        size = {"i1": 1, "u2": 2, "i2": 2, "i4": 4}[kind]
        planes = [raw[offset + b * count: offset + (b + 1) * count] for b in range(size)]
        interleaved = bytes(planes[b][i] for i in range(count) for b in range(size))
        out[name] = np.frombuffer(interleaved, "<" + kind).astype(np.int64)
    return out


def shown(x, decimals=4):
    """The integer the browser prints for x: x to `decimals` places, as Python formats it."""
    return int(f"{x:.{decimals}f}".replace(".", ""))


def closed_form(z, y, t):
    """p, loss and dL/dz of softmax cross-entropy with math.exp only."""
    m = max(v / t for v in z)
    e = [math.exp(v / t - m) for v in z]
    s = sum(e)
    p = [v / s for v in e]
    loss = m + math.log(s) - z[y] / t
    grad = [(p[j] - (j == y)) / t for j in range(len(z))]
    return p, loss, grad


def near_half(x, decimals=4):
    """x * 10**d within 1e-7 of a half: the closed form and cevis may round apart; not compared."""
    f = abs(x) * 10 ** decimals
    return abs(f - math.floor(f) - 0.5) < 1e-7


def check_row(arrays, prefix, row, c, z, y, t):
    """Row `row` of a table; its [R, C] arrays are stored class by class (j * R + row)."""
    p, loss, grad = closed_form(z, y, t)
    rows = arrays[prefix + ".l"].size
    if not near_half(loss):
        assert arrays[prefix + ".l"][row] == shown(loss), (prefix, row)
    for j in range(c):  # the class table's "loss if true": -log p_j = log sum e^(z/T) - z_j/T
        nl = math.log(sum(math.exp(v / t) for v in z)) - z[j] / t
        assert abs(arrays[prefix + ".nl"][j * rows + row] - nl * 10_000) <= 0.5 + 1e-6, (prefix, row, j)
    if prefix + ".zt" in arrays and prefix != "handles":  # the softmax formula's exponents
        for j in range(c):
            if not near_half(z[j] / t, 2):
                assert arrays[prefix + ".zt"][j * rows + row] == shown(z[j] / t, 2), (prefix, row, j)
    if prefix + ".den" in arrays:  # beyond 4 classes the formula shows sum e^(z/T), 4 digits
        total = sum(math.exp(v / t) for v in z)
        assert math.isclose(float(arrays[prefix + ".den"][row]), total, rel_tol=6e-4), (prefix, row)
    for j in range(c):
        if not near_half(p[j]):
            assert arrays[prefix + ".p"][j * rows + row] == shown(p[j]), (prefix, row, j)
        if not near_half(grad[j]):
            assert arrays[prefix + ".g"][j * rows + row] == shown(grad[j]), (prefix, row, j)
    top = max(p)
    ties = [j for j in range(c) if p[j] == top]
    expected = ties[0] if len(ties) == 1 else -1
    if top - sorted(p)[-2] > 1e-12 or len(ties) > 1:  # a near-tie may fall either way in floats
        assert arrays[prefix + ".y"][row] == expected, (prefix, row)


@pytest.mark.parametrize("z, y, t", SAMPLES)
def test_shapes(z, y, t):
    c, g = len(z), LOGIT_GRID.size
    payload = encode_live(live_tables(z, y, t), [f"c{i}" for i in range(c)], *loss_curve())
    a = unpack(payload)
    assert g == 201 and LOGIT_GRID[0] == -10 and LOGIT_GRID[-1] == 10
    assert list(a["grid"]) == list(range(-1000, 1001, 10))
    assert list(a["tgrid"]) == list(range(10, 501, 5)) and TEMP_GRID.size == 99
    assert a["handles.p"].size == a["handles.g"].size == c * g * c
    assert a["handles.l"].size == a["handles.y"].size == c * g
    assert a["temps.p"].size == 99 * c and a["temps.l"].size == 99
    gs = a["sgrid"].size
    assert a["shifts.z"].size == a["shifts.p"].size == gs * c and a["shifts.l"].size == gs
    assert a["current.z"].size == c and a["ghost.p"].size == c
    assert payload["names"] == [f"c{i}" for i in range(c)] and payload["y"] == y
    assert payload["T"] == round(t * 100)
    assert a["handles.nl"].size == c * g * c and a["temps.zt"].size == 99 * c
    assert list(a["handles.zt"]) == [shown(v / t, 2) for v in LOGIT_GRID]  # the dragged logit's z/T
    assert ("current.den" in a) == (c > 4) and ("handles.den" in a) == (c > 4)
    if c > 4:
        assert len(a["handles.den"]) == c * g and len(a["temps.den"]) == 99
    assert payload["gscale"] == round(max(1, 1 / t) * 10_000)
    json.dumps(payload)  # what Streamlit sends must be plain JSON


@pytest.mark.parametrize("z, y, t", SAMPLES)
def test_every_table_equals_the_closed_form(z, y, t):
    c, g = len(z), LOGIT_GRID.size
    a = unpack(encode_live(live_tables(z, y, t), ["n"] * c, *loss_curve()))
    check_row(a, "current", 0, c, z, y, t)
    assert list(a["current.z"]) == [round(v * 100) for v in z]
    check_row(a, "ghost", 0, c, z, y, 1.0)
    rng = random.Random(14)
    for k in range(c):
        for i in {0, g - 1, 100, *rng.sample(range(g), 12)}:
            moved = list(z)
            moved[k] = (i - 100) / 10
            check_row(a, "handles", k * g + i, c, moved, y, t)
    for i in {0, 18, 98, *rng.sample(range(99), 10)}:
        check_row(a, "temps", i, c, z, y, (i + 2) / 20)
    if t == 1.0:
        assert "hghost.p" not in a  # the bars are the ghost
        return
    assert a["hghost.p"].size == c * g * c
    for k in range(c):  # the T = 1 ghost of a dragged logit
        for i in (0, 37, 100, 163, 200):
            moved = list(z)
            moved[k] = (i - 100) / 10
            p, _, _ = closed_form(moved, y, 1.0)
            for j in range(c):
                if not near_half(p[j]):
                    assert a["hghost.p"][j * c * g + k * g + i] == shown(p[j]), (k, i, j)


@pytest.mark.parametrize("z, y, t", SAMPLES)
def test_shifting_every_logit_keeps_the_loss(z, y, t):
    a = unpack(encode_live(live_tables(z, y, t), ["n"] * len(z), *loss_curve()))
    c, shifts = len(z), a["sgrid"]
    assert 0 in shifts and all(np.diff(shifts) == 10)
    rows = a["shifts.z"].reshape(c, -1).T  # stored class by class
    assert rows.min() >= -1000 and rows.max() <= 1000
    assert rows[0].min() - 10 < -1000 and rows[-1].max() + 10 > 1000  # no reachable shift left out
    for s, row in zip(shifts, rows):
        assert list(row) == [round(v * 100) + s for v in z]
        check_row(a, "shifts", list(shifts).index(s), c, [v / 100 for v in row], y, t)
    # shift invariance, seen: the loss and p stay put to the 4 decimals shown
    assert np.all(np.abs(a["shifts.l"] - a["current.l"][0]) <= 1)


@pytest.mark.parametrize("z", [[9.2, 6.0, 1.0], [0.0, 0.0], [-10.0, 10.0], [1.23, -4.56]])
def test_the_shift_track_is_centred_on_zero(z):
    """Issue 24: with z = [9.2, 6, 1] the handle sat off-centre; now 0 is the middle position,
    the track spans the farther reachable end both ways, and beyond the near end it stops."""
    a = unpack(encode_live(live_tables(z, 0, 1.0), ["n"] * len(z), *loss_curve()))
    sym, rows, sgrid = list(a["sym"]), list(a["spos"]), list(a["sgrid"])
    # the reachable shifts in 0.1 steps, in 1e-2 units (the 1e-9 absorbs 8.77 * 10 = 87.69999...)
    low = math.ceil((-10 - min(z)) * 10 - 1e-9) * 10
    high = math.floor((10 - max(z)) * 10 + 1e-9) * 10
    reach = max(-low, high)
    assert sym == list(range(-reach, reach + 1, 10)) and sym[len(sym) // 2] == 0
    for value, row in zip(sym, rows):  # each position shows the nearest reachable shift
        assert sgrid[row] == min(max(value, low), high)


def test_shift_range_reaches_the_slider_bounds():
    assert list(shift_grid([9.8, -10.0])) == [0.0, 0.1, 0.2]
    assert list(shift_grid([0.0]))[0] == -10.0 and list(shift_grid([0.0]))[-1] == 10.0
    s = shift_grid([1.23, -4.56])
    assert math.isclose(s[0], -5.4) and math.isclose(s[-1], 8.7)  # -10 + 4.56, 10 - 1.23, in 0.1s


def test_loss_curve_is_minus_log_p():
    p, loss = loss_curve()
    for pi, li in zip(p, loss):
        assert math.isclose(li, -math.log(pi), rel_tol=1e-12, abs_tol=1e-15)
    assert p[0] == pytest.approx(math.exp(-5)) and p[-1] == 1.0


def test_fixed_rounds_as_python_prints():
    rng = random.Random(7)
    xs = [rng.uniform(-50, 50) for _ in range(2000)]
    xs += [k / 20000 for k in range(-400, 400)]  # exact and near halves of the last place
    xs += [0.00005, 0.00015, 1.00005, 2.5e-5, -2.5e-5, 0.0, -0.0]
    got = fixed(xs, 4)
    assert [int(v) for v in got] == [shown(x) for x in xs]
    assert list(fixed([1.005, -2.675, 0.125], 2)) == [shown(1.005, 2), shown(-2.675, 2), 12]


@pytest.mark.parametrize("t", [1, 0])
@pytest.mark.parametrize("kind, value", [("logit", 1.0), ("logit", -7.25), ("probability", 0.73),
                                         ("probability", 0.0), ("probability", 1.0)])
def test_binary_payload(t, kind, value):
    tables = binary_live_tables(t, **({"logit": value} if kind == "logit" else {"prob": value}))
    payload = encode_binary(tables, kind)
    a = unpack(payload)
    assert payload["drag"] == kind and payload["t"] == t
    assert a["by_logit.p"].size == 201 and a["by_prob.p"].size == PROB_GRID.size == 201
    for i in range(0, 201, 7):
        z = (i - 100) / 10
        p = 1 / (1 + math.exp(-z))
        l1, l0 = math.log1p(math.exp(-z)), math.log1p(math.exp(z))
        assert a["by_logit.p"][i] == shown(p)
        assert a["by_logit.l1"][i] == shown(l1) and a["by_logit.l0"][i] == shown(l0)
        assert a["by_logit.text.l"][i] == f"{(l1 if t == 1 else l0):.4f}"
        assert a["by_logit.text.gz"][i] == f"{p - t:+.4f}"
        assert a["by_logit.gz"][i] == shown(p - t)
        assert a["by_logit.text.gp"][i] == f"{(-1 / p if t == 1 else 1 / (1 - p)):+.4g}"
    for i in range(1, 200, 9):
        p = i / 200
        assert a["by_prob.l1"][i] == shown(-math.log(p)) and a["by_prob.l0"][i] == shown(-math.log(1 - p))
        assert a["by_prob.text.z"][i] == f"{math.log(p / (1 - p)):.2f}"
    # the ends: BCELoss clamps log 0 at -100; the logit and dL/dp are infinite
    assert a["by_prob.l1"][0] == 1_000_000 and a["by_prob.l0"][200] == 1_000_000
    assert a["by_prob.text.z"][0] == "-∞" and a["by_prob.text.z"][200] == "∞"
    assert a["by_prob.text.gp"][0 if t == 1 else 200] == ("-∞" if t == 1 else "+∞")
    current = a["current.text.l"][0]
    if kind == "logit":
        assert current == f"{math.log1p(math.exp(-value if t == 1 else value)):.4f}"
    else:
        expected = 100.0 if value == (0.0 if t == 1 else 1.0) else \
            -math.log(value if t == 1 else 1 - value) + 0.0
        assert current == f"{expected:.4f}"


@pytest.mark.parametrize("classes, limit", [(3, 12_000), (10, 72_000)])  # measured 9.1 and 63 kB
# (7.4 and 32 kB before the class table and formulas joined the live view: -log p_j is [R, C])
def test_payload_stays_small(classes, limit):
    z = [round(2 - 0.3 * i, 2) for i in range(classes)]
    payload = encode_live(live_tables(z, 0, 1.0), [f"class {i}" for i in range(classes)],
                          *loss_curve())
    assert len(json.dumps(payload, separators=(",", ":"))) < limit


@pytest.mark.parametrize("value, ok", [
    (5, True), (-1000, True), (1000, True), (1001, False), (True, False), (2.0, False),
    ("5", False), (None, False), (float("nan"), False), (10 ** 30, False),
])
def test_a_commit_value_from_the_browser_is_checked(value, ok):
    assert (whole(value, -1000, 1000) is not None) == ok
    assert whole(7, 0, 100, 5) is None and whole(15, 10, 500, 5) == 15


def test_a_pushed_payload_holds_the_sample_and_this_browsers_fields():
    """widgets.live.sample_json (a room's push, built without a script run): valid JSON whose
    tables are the sample's (decoded here and checked against the logits given)."""
    from cevis_app.widgets.live import sample_json

    data = json.loads(sample_json(["cat", "dog"], [2.5, -1.25], 1, 0.5, render="7+2", ack=3,
                                  scale=1.3))
    assert (data["render"], data["ack"], data["scale"], data["reveal"]) == ("7+2", 3, 1.3, False)
    arrays = unpack(data)
    assert arrays["current.z"].tolist() == [250, -125]  # in hundredths


@pytest.mark.parametrize("z, y, t", SAMPLES)
def test_the_tables_converted_at_once_equal_each_converted_alone(z, y, t):
    # fixed_tables is a speed trick (one fixed() call per field for every table): each table's
    # arrays must be exactly what fixed() makes of that table alone
    lt = live_tables(z, y, t)
    parts = [lt.handles, lt.temps, lt.shifts, lt.current, lt.ghost] + (
        [lt.handle_ghost] if lt.handle_ghost is not None else [])
    for part, fx in zip(parts, fixed_tables(parts), strict=True):
        for field, decimals in TABLE_DECIMALS.items():
            np.testing.assert_array_equal(fx[field], fixed(getattr(part, field), decimals))
