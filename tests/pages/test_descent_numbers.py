"""Descent's charts send the numbers behind them only while their expander is open: a room
opens the page at once, and few open a table."""

import math
import pathlib

from streamlit.testing.v1 import AppTest

TIMEOUT = 30  # s: the first run imports plotly and pandas
APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")
NUMBERS = "Numbers behind this chart"


def test_the_numbers_are_sent_when_their_expander_is_open():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"explorer.z1": "3", "descent.steps": "2"})
    at.run()
    at.switch_page("app_pages/descent.py").run()
    assert not at.exception, at.exception
    assert [e.label for e in at.expander].count(NUMBERS) == 3
    assert len(at.dataframe) == 0  # closed: no table made or sent
    at.session_state["descent.fig.ce_mse.numbers"] = True  # what opening it sends
    at.run()
    assert not at.exception, at.exception
    [table] = [d.value for d in at.dataframe]
    # p(panda) at step 0 with logits (0, 3, 0): e^0 / (1 + e^3 + 1), the same for both losses
    p0 = 1 / (2 + math.exp(3))
    first = table[table["x"] == 0]
    assert sorted(first["series"]) == ["MSE on p", "cross-entropy"]
    assert all(abs(v - round(p0, 4)) < 1e-9 for v in first["y"])
    # one step of cross-entropy descent at eta = 1: z <- z - (p - onehot)
    z = [0.0 - (p0 - 1), 3.0 - math.exp(3) * p0, 0.0 - p0]
    p1 = math.exp(z[0]) / sum(math.exp(v) for v in z)
    [ce1] = table[(table["x"] == 1) & (table["series"] == "cross-entropy")]["y"]
    assert abs(ce1 - round(p1, 4)) < 1e-9
