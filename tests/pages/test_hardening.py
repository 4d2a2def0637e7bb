"""Issue 13's reproductions, one test each: hostile links, echoed text, the shared sample.

Expected numbers are closed forms computed here with math, not with cevis.
"""

import math
import pathlib
import re

import pytest
from streamlit.testing.v1 import AppTest

from .test_pages import live_arrays  # the live view's payload, unpacked by the tests
from .test_pages import metric  # an st.metric, or the live view's readout

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIMEOUT = 60  # s: a loaded machine, and the first run imports plotly and pandas


def run_page(name, query):
    at = AppTest.from_file(str(ROOT / "app_pages" / f"{name}.py"), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def ce(logits, y, t=1.0):
    return math.log(sum(math.exp(z / t) for z in logits)) - logits[y] / t


def move_a_slider(at):
    slider = next(s for s in at.slider if not s.disabled)
    slider.set_value(slider.max).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def notes(at):
    return " ".join(c.value for c in at.caption)


# ---- links that crashed pages
@pytest.mark.parametrize("page", ["explorer", "gradients", "descent"])
@pytest.mark.parametrize("value", ["²", "①", "9" * 5_000], ids=["sup2", "circled1", "5000-digits"])
def test_a_true_class_that_is_not_an_ascii_index(page, value):
    at = run_page(page, {"explorer.y": value, "explorer.z1": "2"})
    assert at.selectbox(key="explorer.y").value == 0  # the default true class, panda
    assert "explorer.y" not in at.query_params  # dropped from the link
    assert "could not be used" in notes(at)
    move_a_slider(at)
    assert "explorer.y" not in at.query_params


@pytest.mark.parametrize("page, key, default, check", [
    ("binary", "binary.t", 1, lambda at: metric(at, "Loss") == f"{math.log(1 + math.exp(-1)):.4f}"),
    ("batch", "batch.reduction", "mean",
     lambda at: metric(at, "mean") == f"{2.214574215671332 / 4:.4f}"),
    ("descent", "descent.loss", "cross-entropy",
     lambda at: metric(at, "Loss at the start") == f"{math.log(3):.4f}"),
    ("stability", "stability.y", 0,
     lambda at: "Common mistakes" in " ".join(h.value for h in at.subheader)),
])
def test_an_empty_value_of_a_required_control_gives_its_default(page, key, default, check):
    at = run_page(page, {key: ""})
    assert check(at)  # computed with the default: t = 1 (z = 1), mean, cross-entropy, class 0
    assert at.button_group(key=key).value == default  # and the control shows it
    assert "could not be used" in notes(at)
    assert key not in at.query_params  # the empty value left the link
    move_a_slider(at)
    assert at.button_group(key=key).value == default
    assert key not in at.query_params


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "9" * 10_000, "2.5", "1e308"],
                         ids=["inf", "-inf", "nan", "10000-digits", "2.5", "1e308"])
def test_ignore_index_from_a_hostile_link(value):
    at = run_page("batch", {"batch.ignore_on": "true", "batch.ignore_index": value})
    assert at.number_input(key="batch.ignore_index").value == -100
    assert metric(at, "sum") == f"{2.214574215671332:.4f}"  # no row has target -100
    move_a_slider(at)
    assert "batch.ignore_index" not in at.query_params  # the default is not in a link


def test_an_empty_target_kind_names_the_allowed_values():
    at = run_page("batch", {"batch.target_kind": ""})
    assert not at.error
    assert "is None" not in notes(at)
    assert metric(at, "sum") == f"{2.214574215671332:.4f}"  # the first preset's one-hot rows


# ---- echoed text stays text
MARKUP = "**pwned** [click here](https://evil.example/login) ![i](http://127.0.0.1:9/x.png)"
LIVE = re.compile(r"(?<!\\)\*\*pwned|(?<!\\)\[click here(?<!\\)\]\(|(?<!\\)!\[i|://")


@pytest.mark.parametrize("page, query", [
    ("binary", {"binary.rows": MARKUP}),
    ("batch", {"batch.rows": MARKUP}),
    ("batch", {"batch.weights_on": "true", "batch.weights": MARKUP}),
])
def test_markdown_in_a_link_is_echoed_as_text(page, query):
    at = run_page(page, query)
    [error] = [e for e in at.error if "pwned" in e.value]
    assert not LIVE.search(error.value), error.value
    shown = re.sub(r"\\([!-/:-@\[-`{-~])|&lt;", lambda m: m.group(1) or "<", error.value)
    assert MARKUP[:40] in shown.replace("\u2060", "")  # read as the characters typed


def test_class_names_reach_labels_and_formulas_as_text():
    at = run_page("explorer", {"explorer.names": "a&b, c(d)/e, f", "explorer.y": "1"})
    assert metric(at, "p(c(d)/e)") == f"{1 / 3:.4f}"  # the live view prints names as text
    # the formulas and the class table are the live view's: names go as JSON strings into
    # text nodes (<mtext>, <th>), never markup, and no LaTeX is left on the page
    assert live_arrays(at)[0]["names"] == ["a&b", "c(d)/e", "f"]
    assert not at.latex


# ---- the whole shared sample, temperature too
def test_gradients_and_descent_use_the_temperature():
    query = {"explorer.z0": "2", "explorer.z1": "1", "explorer.T": "2"}
    expected = ce([2, 1, 0], 0, t=2.0)
    assert metric(run_page("explorer", query), "Loss") == f"{expected:.4f}"
    assert metric(run_page("descent", query), "Loss at the start") == f"{expected:.4f}"
    at = run_page("gradients", query)
    p = [math.exp(z / 2) / sum(math.exp(v / 2) for v in (2, 1, 0)) for z in (2, 1, 0)]
    closed = [(pi - (i == 0)) / 2 for i, pi in enumerate(p)]  # (p - onehot) / T
    [check] = [d.value for d in at.dataframe if "closed form" in d.value.columns]  # the check's table
    assert [round(v, 10) for v in check["closed form"]] == [round(v, 10) for v in closed]
    assert max(abs(a - b) for a, b in zip(check["central difference"], closed)) < 1e-8


def test_a_page_switch_keeps_the_sample():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"explorer.names": "cat, dog, bird", "explorer.z1": "6",
                            "explorer.z2": "1", "explorer.T": "2"})
    at.run()
    at.switch_page("app_pages/explorer.py").run()
    for page in ("gradients", "home", "descent"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception
    assert metric(at, "Loss at the start") == f"{ce([0, 6, 1], 0, t=2.0):.4f}"
    assert at.slider(key="explorer.z1").label == "Logit z of dog"


# ---- state that was not in the link
def test_batch_row_and_code_tab_in_the_link():
    at = run_page("batch", {"batch.row": "2", "batch.tab": "Keras 3"})
    assert at.selectbox(key="batch.row").value == 2
    at.selectbox(key="batch.row").set_value(3).run()
    assert at.query_params.get("batch.row") == "3"
    assert at.query_params.get("batch.tab") == "Keras 3"


def test_training_flower_in_the_link():
    at = run_page("training", {"training.flower": "7"})
    assert any(m.value.startswith("**Sample 7**") for m in at.markdown)
    at = run_page("training", {"training.flower": "①"})
    assert "training.flower" not in at.query_params and "could not be used" in notes(at)
