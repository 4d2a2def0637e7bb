"""AppTest: every page runs without an exception and its controls change the numbers shown.

Expected numbers are closed forms computed here with math, not with cevis.
"""

import json
import math
import pathlib
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_live_payload import unpack

TIMEOUT = 30  # s: the first run imports plotly and pandas
APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")


def open_page(page=None, query=None):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def shown(element) -> str:
    """The text a Markdown body shows: CommonMark's backslash escapes and &lt; undone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])|&lt;", lambda m: m.group(1) or "<", str(element.value))


def metric(at, label_start):
    """A number the page shows: an st.metric, else the live component's readout at rest."""
    found = [m for m in at.metric if m.label.startswith(label_start)]
    if found:
        [m] = found
        return m.value
    return live_readout(at, label_start)


def live_arrays(at):
    """The live component's payload, unpacked by the tests' own decoder (not the app's)."""
    # the live view is the component whose data carries the packed tables (not the key listener)
    # (sent as UTF-8 JSON bytes, live/component.py's encode)
    [payload] = [d for d in (json.loads(e.proto.bytes or e.proto.json or "null")
                             for e in at.get("bidi_component"))
                 if isinstance(d, dict) and "blob" in d]
    return payload, unpack(payload)


def live_readout(at, label_start):
    """What the live component prints at rest under a readout label (as the browser prints it)."""
    payload, a = live_arrays(at)
    if payload["kind"] == "binary":
        field = {"Loss": "l", "∂L/∂z": "gz", "∂L/∂p": "gp", "p = σ(z)": "p"}[label_start]
        return a[f"current.text.{field}"][0]
    names, y = payload["names"], payload["y"]
    if label_start == "Loss":
        return f"{a['current.l'][0] / 10_000:.4f}"
    if label_start.startswith("p("):
        assert label_start == f"p({names[y]})", (label_start, names[y])
        return f"{a['current.p'][y] / 10_000:.4f}"
    assert label_start == "Predicted", label_start
    pred = a["current.y"][0]
    return "a tie" if pred < 0 else names[pred]


def ce(logits, y, t=1.0):
    return math.log(sum(math.exp(z / t) for z in logits)) - logits[y] / t


@pytest.fixture
def explorer():
    return open_page("app_pages/explorer.py")


def test_home_runs_and_links_every_page():
    at = open_page()
    text = " ".join(m.value for m in at.markdown)
    assert "Drag the logits" in text
    assert at.title[0].value.startswith("cevis")


def test_explorer_starts_uniform(explorer):
    assert metric(explorer, "Loss") == f"{math.log(3):.4f}"
    assert metric(explorer, "p(panda)") == f"{1 / 3:.4f}"
    assert len(explorer.get("plotly_chart")) == 0  # the live component draws p, −log p, the gradient
    assert [e.key for e in explorer.get("bidi_component")].count("explorer.live") == 1


def test_moving_a_logit_changes_the_loss(explorer):
    explorer.slider(key="explorer.z0").set_value(3.0).run()
    assert metric(explorer, "Loss") == f"{ce([3, 0, 0], 0):.4f}"  # log(1 + 2 e^-3) = 0.0949
    explorer.slider(key="explorer.z1").set_value(5.0).run()
    assert metric(explorer, "Loss") == f"{ce([3, 5, 0], 0):.4f}"
    assert metric(explorer, "Predicted") == "seal"


def test_true_class_and_temperature(explorer):
    explorer.slider(key="explorer.z0").set_value(2.0).run()
    explorer.selectbox(key="explorer.y").set_value(2).run()
    assert metric(explorer, "Loss") == f"{ce([2, 0, 0], 2):.4f}"
    assert metric(explorer, "p(duck)") == f"{math.exp(-ce([2, 0, 0], 2)):.4f}"
    explorer.slider(key="explorer.T").set_value(2.0).run()
    assert metric(explorer, "Loss") == f"{ce([2, 0, 0], 2, t=2.0):.4f}"


def test_renaming_the_true_class_keeps_it_in_the_url(explorer):
    explorer.selectbox(key="explorer.y").set_value(1).run()
    assert explorer.query_params["explorer.y"] == ["1"] or explorer.query_params["explorer.y"] == "1"
    explorer.text_input(key="explorer.names").input("panda, sea lion, duck").run()
    assert metric(explorer, "p(sea lion)")
    assert explorer.query_params["explorer.y"] in ("1", ["1"])
    explorer.selectbox(key="explorer.y").set_value(0).run()
    assert "explorer.y" not in explorer.query_params  # the default leaves the link clean


def test_url_values_between_slider_steps_are_snapped():
    at = open_page("app_pages/explorer.py", {"explorer.T": "1.03", "explorer.z0": "1.234567"})
    # the sliders show T = 1.05 and z0 = 1.23: the numbers must be computed with those
    assert metric(at, "Loss") == f"{ce([1.23, 0, 0], 0, t=1.05):.4f}"


def class_rows(at):
    """The Explorer's class table at rest (drawn by the live view): each row's name, p, dL/dz
    and loss if true, printed from the payload's integers as the browser prints them."""
    payload, a = live_arrays(at)
    names, y = payload["names"], payload["y"]

    def text(n, sign=False):
        body = f"{abs(n) / 10_000:.4f}"
        return ("\u2212" if n < 0 else "+" if sign and n > 0 else "") + body
    return [[n + (" ✓" if j == y else ""), text(a["current.p"][j]), text(a["current.g"][j], True),
             text(a["current.nl"][j])] for j, n in enumerate(names)]


def test_class_table_shows_every_class(explorer):
    # uniform logits, true class panda: p = 1/3, dL/dz = p - onehot, loss if true = ln 3
    assert class_rows(explorer) == [["panda ✓", "0.3333", "\u22120.6667", "1.0986"],
                                    ["seal", "0.3333", "+0.3333", "1.0986"],
                                    ["duck", "0.3333", "+0.3333", "1.0986"]]


def test_class_table_shows_names_as_typed_and_closed_form_numbers():
    # the name parser keeps -.'()&+/ (escaped for Markdown by the table): shown as typed
    at = open_page("app_pages/explorer.py", {"explorer.z0": "2",
                                             "explorer.names": "pan-da (1), a&b/c.d, duck+"})
    e2 = math.exp(2)
    p = [e2 / (e2 + 2), 1 / (e2 + 2), 1 / (e2 + 2)]
    assert class_rows(at) == [
        ["pan-da (1) ✓", f"{p[0]:.4f}", f"\u2212{1 - p[0]:.4f}", f"{-math.log(p[0]):.4f}"],
        ["a&b/c.d", f"{p[1]:.4f}", f"+{p[1]:.4f}", f"{-math.log(p[1]):.4f}"],
        ["duck+", f"{p[2]:.4f}", f"+{p[2]:.4f}", f"{-math.log(p[2]):.4f}"]]


def test_a_tie_is_not_a_prediction(explorer):
    assert metric(explorer, "Predicted") == "a tie"
    explorer.slider(key="explorer.z1").set_value(0.5).run()
    assert metric(explorer, "Predicted") == "seal"


def test_a_certain_prediction_costs_plus_zero():
    at = open_page("app_pages/explorer.py", {"explorer.z0": "10", "explorer.T": "0.1"})
    assert metric(at, "Loss") == "0.0000"
    _, a = live_arrays(at)  # integers: the browser cannot print a "-0.0000"
    assert a["current.l"][0] == 0 and a["current.g"][0] == 0 and a["current.nl"][0] == 0


def test_number_of_classes_and_names(explorer):
    explorer.slider(key="explorer.classes").set_value(5).run()
    assert len([s for s in explorer.slider if s.key.startswith("explorer.z")]) == 5
    assert metric(explorer, "Loss") == f"{math.log(5):.4f}"
    explorer.text_input(key="explorer.names").input("café, 猫, <b>bird</b>, a_b").run()
    labels = [s.label for s in explorer.slider if s.key.startswith("explorer.z")]
    # labels are Markdown: the slash is backslash-escaped, so it shows as "bbird/b"
    assert labels == ["Logit z of café", "Logit z of 猫", r"Logit z of bbird\/b",
                      "Logit z of ab", "Logit z of class 4"]
    assert not explorer.exception


@pytest.mark.parametrize("preset, names, loss", [
    ("uniform", "otter", math.log(3)),  # issue 24: presets not about names keep the user's
    ("wrong", "otter", ce([0, 6, 1], 0)),
    ("panda", "panda", ce([-0.09, -3.22, -3.0], 0)),  # the seed's -log 0.91 = 0.094, rounded logits
])
def test_presets(explorer, preset, names, loss):
    explorer.text_input(key="explorer.names").input("otter, seal, duck").run()
    explorer.slider(key="explorer.z2").set_value(4.0).run()
    explorer.button(key=f"explorer.preset.{preset}").click().run()
    assert metric(explorer, "Loss") == f"{loss:.4f}"
    assert explorer.selectbox(key="explorer.y").value == 0
    assert explorer.slider(key="explorer.z0").label == f"Logit z of {names}"
    assert explorer.info, "the preset's lesson is shown"


def test_state_comes_from_the_url():
    # the true class travels as its index, so renaming a class keeps the link right
    at = open_page("app_pages/explorer.py", {"explorer.z0": "4", "explorer.y": "1",
                                         "explorer.names": "cat,dog,bird"})
    assert metric(at, "Loss") == f"{ce([4, 0, 0], 1):.4f}"
    assert metric(at, "p(dog)")


@pytest.mark.parametrize("query", [
    {"explorer.z0": "abc"}, {"explorer.z0": "1e400"}, {"explorer.z0": "nan"},
    {"explorer.classes": "99"}, {"explorer.classes": "-1"}, {"explorer.y": "7"},
    {"explorer.y": "wolf"}, {"explorer.y": "-1"}, {"explorer.y": "1.5"},
    {"explorer.T": "-3"}, {"explorer.T": "0"}, {"explorer.names": "," * 200},
    {"explorer.names": "$\\\\frac{1}{0}$, {, }"},
])
def test_invalid_url_values_fall_back_without_an_error(query):
    at = open_page("app_pages/explorer.py", query)
    assert not at.error
    assert metric(at, "Loss")


# ---------------------------------------------------------------- binary page
@pytest.fixture
def binary():
    return open_page("app_pages/binary.py")


def bce(t, p):
    return -math.log(p) if t == 1 else -math.log(1 - p)


def test_binary_starts_with_the_seed_table(binary):
    assert metric(binary, "Sum of losses") == "4.4603"
    assert metric(binary, "Samples") == "7"
    assert metric(binary, "Loss") == f"{math.log(1 + math.exp(-1)):.4f}"  # z = 1, t = 1


def test_binary_logit_slider_and_label(binary):
    binary.slider(key="binary.z").set_value(-2.0).run()
    assert metric(binary, "Loss") == f"{math.log(1 + math.exp(2)):.4f}"
    sig = 1 / (1 + math.exp(2.0))
    assert metric(binary, "∂L/∂z") == f"{sig - 1:+.4f}"


def test_binary_probability_mode_and_label_zero():
    at = open_page("app_pages/binary.py", {"binary.kind": "probability", "binary.p": "0.001",
                                           "binary.t": "1"})
    assert metric(at, "Loss") == f"{-math.log(0.001):.4f}"
    assert metric(at, "∂L/∂p") == "-1000"
    at = open_page("app_pages/binary.py", {"binary.kind": "probability", "binary.p": "0.85",
                                           "binary.t": "0"})
    assert metric(at, "Loss") == f"{bce(0, 0.85):.4f}"  # the seed's 1.897


@pytest.mark.parametrize("preset, total", [
    ("seeds", 4.460303459760249),
    ("mistake", sum(bce(t, p) for t, p in [(1, 0.97), (0, 0.02), (1, 0.99), (0, 0.99), (1, 0.93)])),
])
def test_binary_presets(binary, preset, total):
    binary.text_input(key="binary.rows").input("1:0.5").run()
    assert metric(binary, "Samples") == "1"
    binary.button(key=f"binary.preset.{preset}").click().run()
    assert metric(binary, "Sum of losses") == f"{total:.4f}"
    assert binary.info


def test_binary_rows_from_the_url_and_bad_rows():
    at = open_page("app_pages/binary.py", {"binary.rows": "1:0.5, 0:0.25"})
    assert metric(at, "Sum of losses") == f"{bce(1, 0.5) + bce(0, 0.25):.4f}"
    at = open_page("app_pages/binary.py", {"binary.rows": "1:0.5, 7:0.25"})
    assert "sample 2, column 'label': 7 is not 0 or 1" in shown(at.error[0])
    assert metric(at, "Sum of losses") == "4.4603"  # the page still works


def test_binary_logit_table_converts_and_compares_frameworks(binary):
    binary.text_input(key="binary.rows").input("1:0.5, 0:0.25").run()
    binary.session_state["binary.rows_kind"] = "logit"
    binary.run()
    # the switch's callback does not run when state is set directly: the rows now read as logits
    assert metric(binary, "Sum of losses") == \
        f"{math.log(1 + math.exp(-0.5)) + math.log(1 + math.exp(0.25)):.4f}"
    assert binary.number_input(key="binary.pos_weight").value == 1.0


@pytest.mark.parametrize("content, message", [
    (b"label,prediction\n1,0.9\n0,0.3\n", None),
    (b"label,prediction\n1,0.9\n0,1.3\n", "row 2, column 'prediction': 1.3 is not a probability"),
    (b"", "the file is empty"),
    (b"a,b\n1,2\n", "missing: label, prediction"),
])
def test_binary_csv_upload(binary, content, message):
    binary.file_uploader(key="binary.upload").upload("mine.csv", content, "text/csv").run()
    assert not binary.exception
    if message is None:
        assert metric(binary, "Sum of losses") == f"{bce(1, 0.9) + bce(0, 0.3):.4f}"
        assert not binary.error
    else:
        assert message in shown(binary.error[0]) and "mine.csv" in shown(binary.error[0])
        assert metric(binary, "Sum of losses") == "4.4603"  # the previous table is kept


# ---------------------------------------------------------------- stability page
def test_stability_page_shows_the_breakdowns_without_numpy_warnings():
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        at = open_page("app_pages/stability.py")
        at.select_slider(key="stability.z").set_value(1000).run()
        at.select_slider(key="stability.gap").set_value(1000).run()
        at.select_slider(key="stability.p").set_value(0.0).run()
    assert not at.exception
    leaked = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not leaked, [str(w.message) for w in leaked]
    # section 3 at p = 0: inf, 34.5388, 16.1181, 100
    assert metric(at, "Unclamped") == "inf"
    assert metric(at, "Clamp 1e-15") == f"{15 * math.log(10):.4f}"
    assert metric(at, "Keras clip 1e-7") == f"{7 * math.log(10):.4f}"
    assert metric(at, "PyTorch BCELoss") == "100.0000"


def test_stability_mistakes_follow_the_controls():
    at = open_page("app_pages/stability.py")
    wrong = [m.value for m in at.metric if m.label.startswith("Wrong")]
    right = [m.value for m in at.metric if m.label.startswith("Right")]
    assert right[0] == f"{ce([4, 1, -2], 0):.4f}"  # softmax twice: the right loss
    assert wrong[2] == f"{-ce([4, 1, -2], 0):.4f}"  # missing minus
    at.slider(key="stability.n").set_value(100).run()
    wrong = [m.value for m in at.metric if m.label.startswith("Wrong")]
    right = [m.value for m in at.metric if m.label.startswith("Right")]
    # N identical rows: the sum's gradient has norm sqrt(N) |g|, the mean's |g| / sqrt(N)
    z = [4, 1, -2]
    p = [math.exp(v - math.log(sum(math.exp(u) for u in z))) for v in z]
    g = math.sqrt((p[0] - 1) ** 2 + p[1] ** 2 + p[2] ** 2)
    assert (wrong[4], right[4]) == (f"{10 * g:.4f}", f"{g / 10:.4f}")


# ---------------------------------------------------------------- batch page
@pytest.fixture
def batch():
    return open_page("app_pages/batch.py")


FOUR_SUM = 2.214574215671332  # the four images: -log 0.91 - log 0.8 - log 0.6 - log 0.25


def test_batch_starts_with_the_four_images(batch):
    assert metric(batch, "sum") == f"{FOUR_SUM:.4f}"
    assert metric(batch, "mean") == f"{FOUR_SUM / 4:.4f}"
    assert metric(batch, "denominator") == "4"
    assert batch.info  # the lesson
    assert len(batch.get("plotly_chart")) == 2


def test_batch_weights_change_the_mean_and_its_denominator(batch):
    batch.button(key="batch.preset.weights").click().run()
    assert batch.toggle(key="batch.weights_on").value
    z = [[3, 0, 0], [2.5, 0.5, 0], [3, 0, 1], [1, 0.5, 0]]
    losses = [ce(z[0], 0), ce(z[1], 0), ce(z[2], 0), 5 * ce(z[3], 1)]
    assert metric(batch, "denominator") == "8"
    assert metric(batch, "mean") == f"{sum(losses) / 8:.4f}"
    batch.toggle(key="batch.weights_on").set_value(False).run()
    assert metric(batch, "denominator") == "4"
    assert metric(batch, "mean") == f"{(sum(losses[:3]) + losses[3] / 5) / 4:.4f}"


def test_batch_ignored_rows_and_all_ignored(batch):
    batch.button(key="batch.preset.ignored").click().run()
    assert metric(batch, "denominator") == "2"
    batch.text_input(key="batch.rows").input("-100 | 1, 2, 3; -100 | 0, 0, 0").run()
    assert metric(batch, "mean") == "nan" and metric(batch, "sum") == "0.0000"
    assert "PyTorch returns nan" in batch.warning[0].value
    batch.toggle(key="batch.ignore_on").set_value(False).run()
    assert "class -100 does not exist" in shown(batch.error[0])  # without ignore_index it is an error


def test_batch_smoothing_and_reduction(batch):
    batch.slider(key="batch.eps").set_value(0.3).run()
    t = [0.8, 0.1, 0.1]  # (1 - 0.3) * onehot + 0.3 / 3
    loss0 = -sum(ti * math.log(pi) for ti, pi in zip(t, [0.91, 0.04, 0.05]))
    table = batch.dataframe[1].value
    assert f"{table['loss'].iloc[0]:.4f}" == f"{loss0:.4f}"


def test_batch_bad_input_messages(batch):
    batch.text_input(key="batch.rows").input("1,0,0 | 0.5, 0.4, 0.2").run()
    assert "row 1, predictions: the probabilities sum to 1.1" in shown(batch.error[0])
    assert batch.text_input(key="batch.rows").value  # the controls stay, to fix the batch
    assert not batch.exception
    batch.button(key="batch.preset.four").click().run()
    assert metric(batch, "sum") == f"{FOUR_SUM:.4f}"
    at = open_page("app_pages/batch.py", {"batch.weights_on": "true", "batch.weights": "1,-1,1"})
    assert "negative weight -1 (class 1)" in shown(at.error[0])
    at = open_page("app_pages/batch.py", {"batch.eps": "1.5"})
    assert not at.error and metric(at, "sum") == f"{FOUR_SUM:.4f}"  # out of range: dropped


def test_batch_probability_of_zero_and_kind_conversion(batch):
    batch.text_input(key="batch.rows").input("1, 0, 0 | 0, 0.5, 0.5").run()
    assert "a probability of exactly 0 has log −inf" in shown(batch.error[0])
    assert not batch.exception


def test_batch_csv_upload(batch):
    batch.file_uploader(key="batch.upload").upload(
        "b.csv", b"target,z0,z1\n0,0,0\n1,0,0\n", "text/csv").run()
    assert metric(batch, "sum") == f"{2 * math.log(2):.4f}"
    batch.file_uploader(key="batch.upload").upload(
        "c.csv", b"target,z0,z1\n0,0,0\n5,0,0\n", "text/csv").run()
    assert "row 2, target: class 5 does not exist" in shown(batch.error[0])
    assert metric(batch, "sum") == f"{2 * math.log(2):.4f}"


def test_batch_code_panel_prints_the_cevis_number(batch):
    code = [c.value for c in batch.code]
    assert any(f"# cevis: {FOUR_SUM / 4:.6g}" in c for c in code)
    assert any("CategoricalCrossentropy(from_logits=False" in c for c in code)


# ---------------------------------------------------------------- gradients and descent
def test_gradients_page_uses_the_explorer_logits():
    at = open_page("app_pages/gradients.py", {"explorer.z1": "3", "explorer.z2": "1"})
    p = [math.exp(v - math.log(1 + math.exp(3) + math.exp(1))) for v in (0, 3, 1)]
    step1 = [m.value for m in at.markdown if m.value.startswith("**Step 1.**")][0]
    assert f"{-1 / p[0]:.4f}" in step1
    chain = next(d.value for d in at.dataframe if "= " in d.value.columns)  # step 3
    assert [f"{v:+.4f}" for v in chain["= "]] == [f"{p[0] - 1:+.4f}", f"{p[1]:+.4f}", f"{p[2]:+.4f}"]
    at.select_slider(key="gradients.h").set_value(1e-14).run()
    assert float(metric(at, "Worst relative error")) > 1e-5  # rounding wins at tiny h
    at.select_slider(key="gradients.h").set_value(1e-5).run()
    assert float(metric(at, "Worst relative error")) < 1e-9


def test_descent_page_runs_and_compares():
    at = open_page("app_pages/descent.py", {"explorer.z1": "3", "explorer.z2": "1"})
    start = ce([0, 3, 1], 0)
    assert metric(at, "Loss at the start") == f"{start:.4f}"
    assert len(at.get("plotly_chart")) == 3  # rates, simplex, CE vs MSE (the player is the live view)
    at.slider(key="descent.steps").set_value(1).run()
    p = [math.exp(v - math.log(1 + math.exp(3) + math.exp(1))) for v in (0, 3, 1)]
    z1 = [0 - (p[0] - 1), 3 - p[1], 1 - p[2]]  # one step with lr = 1
    assert metric(at, "Loss after 1 steps") == f"{ce(z1, 0):.4f}"
    payload, a = live_arrays(at)  # the player's frames: step 1 is the same step
    assert payload["kind"] == "descent" and payload["segments"][0]["eta"] == "1"
    assert a["l"][1] == round(ce(z1, 0) * 10_000)
    at.segmented_control(key="descent.loss").set_value("mse").run()
    assert not at.exception
    at.slider(key="explorer.classes").set_value(4).run()
    assert "needs exactly 3 classes" in at.info[0].value


# ---------------------------------------------------------------- training page
def test_training_page_trains_and_presets_teach():
    at = open_page("app_pages/training.py")
    assert float(metric(at, "Held-out accuracy").rstrip("%")) >= 90
    assert at.info  # the good preset's lesson
    at.button(key="training.preset.diverge").click().run()
    assert float(metric(at, "Training loss")) > math.log(3)  # ends above where it started
    at.button(key="training.preset.crawl").click().run()
    assert abs(float(metric(at, "Training loss")) - math.log(3)) < 0.15
    at.multiselect(key="training.species").set_value(["setosa"]).run()
    assert "at least two species" in shown(at.error[0])


def test_binary_switch_to_logits_says_what_happened_to_p_of_0_and_1(binary):
    binary.text_input(key="binary.rows").input("1:0, 0:1, 1:0.5").run()
    assert metric(binary, "Sum of losses") == f"{200 + math.log(2):.4f}"  # BCELoss clamps at 100
    binary.segmented_control(key="binary.rows_kind").set_value("logit").run()
    assert any("no finite logit" in i.value for i in binary.info)
    expected = 2 * (20 + math.log1p(math.exp(-20))) + math.log(2)  # z = -20, +20, 0
    assert metric(binary, "Sum of losses") == f"{expected:.4f}"
