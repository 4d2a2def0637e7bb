"""AppTest: Training's button writes the shared sample and opens the Explorer in the same tab;
the Explorer then shows the carried example (closed-form loss, not the clipped 10.0001)."""

import math
import pathlib

from streamlit.testing.v1 import AppTest

from .test_pages import live_readout

TIMEOUT = 30
APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")
SAMPLE_106 = [16.09368331, 1.52178496, -17.6221774]


def ce(z, y, t=1.0):
    return math.log(sum(math.exp(v / t) for v in z)) - z[y] / t


def button_script():
    import streamlit as st

    from cevis_app.widgets import training_sample

    real = st.switch_page
    st.switch_page = lambda page, query_params=None: st.session_state.update(
        switched_to=(page, dict(query_params or {})))
    try:
        training_sample.explorer_button([16.09368331, 1.52178496, -17.6221774], 2,
                                        ["setosa", "versicolor", "virginica"])
    finally:
        st.switch_page = real


def test_the_button_writes_the_sample_and_switches_page():
    at = AppTest.from_function(button_script, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "multiplied by T = 0.25" in at.caption[0].value
    at.button(key="training.to_explorer").click().run()
    assert not at.exception
    page, query = at.session_state["switched_to"]
    assert page == "app_pages/explorer.py"  # the same tab: a page switch, not a link
    assert query["explorer.z1"] == "-3.64" and query["explorer.T"] == "0.25"
    assert at.session_state["explorer.z2"] == -8.43 and at.session_state["explorer.y"] == 2


def test_the_explorer_shows_the_carried_example():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    for key, value in {"explorer.classes": 3, "explorer.names": "setosa, versicolor, virginica",
                       "explorer.y": 2, "explorer.T": 0.25, "explorer.z0": 0.0,
                       "explorer.z1": -3.64, "explorer.z2": -8.43}.items():
        at.session_state[key] = value
    at.switch_page("app_pages/explorer.py").run()
    assert not at.exception
    loss = live_readout(at, "Loss")  # the Explorer shows its numbers in the live view
    assert loss == f"{ce([0.0, -3.64, -8.43], 2, 0.25):.4f}" == "33.7200"
    assert abs(float(loss) - ce(SAMPLE_106, 2)) < 0.005  # 33.7159 on Training
