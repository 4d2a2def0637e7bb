"""AppTest: a question answered on the live view (issue 23, item 7) with a teacher and two phones.

The teacher adds the preset "Set the logits so that the loss is 1" and asks it; each phone,
on the Explorer, sets its own logits and presses *Send my view*; after the reveal the
teacher's chart and each phone's show both points on −log p, the phone's own marked "you".
Expected points are closed forms: logits (1, 0, 0) with y = 0 give p = e / (e + 2);
(0, 0, 0) give p = 1/3; the loss is −log p. Separate AppTest sessions share the in-process
store, as in test_room_page.py.
"""

import base64
import json
import math

import numpy as np

from cevis_app.rooms import get_store
from tests.pages.test_room_page import open_room
from tests.pages.test_room_page import session

EXPLORER = "app_pages/explorer.py"
P_A, P_B = math.e / (math.e + 2), 1 / 3


def figure(at) -> dict:
    """The class's views: the one chart titled "N answers · … on target"."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    found = [s for s in specs if "on target" in s["layout"].get("title", {}).get("text", "")]
    assert len(found) == 1, [s["layout"].get("title") for s in specs]
    return found[0]


def values(array) -> np.ndarray:
    """A trace's x or y: a JSON list, or plotly's typed array {"dtype", "bdata" (base64)}."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return np.asarray(array, dtype=np.float64)


def phone_on_the_explorer(code, z0):
    phone = session({"room": code})
    phone.switch_page(EXPLORER).run()
    phone.slider(key="explorer.z0").set_value(z0).run()
    assert not phone.exception, phone.exception
    return phone


def test_two_phones_send_their_views_and_the_reveal_shows_both_points_on_the_curve():
    teacher, code = open_room()
    teacher.button(key="room.author.view_preset").click().run()
    teacher.selectbox(key="room.pick").set_value(1).run()
    teacher.button(key="room.ask").click().run()
    assert not teacher.exception, teacher.exception
    a, b = phone_on_the_explorer(code, 1.0), phone_on_the_explorer(code, 0.0)
    assert any(f"loss **{-math.log(P_A):.3f}**" in m.value for m in a.markdown)  # the view, live
    for phone in (a, b):
        phone.button(key=next(k for k in (w.key for w in phone.button) if k.startswith("room.view.send"))) \
            .click().run()
        assert not phone.exception, phone.exception
    assert any(f"Answer sent: loss {-math.log(P_A):.3f}" in s.value for s in a.success)
    stored = sorted(get_store().tally(code, teacher.session_state["room.secret"]).answers)
    assert np.allclose(stored, [[-math.log(P_A), P_A], [math.log(3), P_B]], atol=1e-12)

    teacher.button(key="room.reveal").click().run()
    curve, points, target = figure(teacher)["data"]
    assert np.allclose(sorted(values(points["x"])), [P_B, P_A], atol=1e-12)
    assert np.allclose(sorted(values(points["y"])), [-math.log(P_A), math.log(3)], atol=1e-12)
    title = figure(teacher)["layout"]["title"]["text"].replace("<br>", " ")  # wrapped to fit
    assert title == "2 answers · 1 on target · 1 below · 0 above"  # log 3 = 1.099; 0.552
    for phone, mine in ((a, P_A), (b, P_B)):
        phone.run()
        assert not phone.exception, phone.exception
        *_, yours = figure(phone)["data"]
        assert yours["text"] == ["you"] and np.allclose(values(yours["x"]), [mine], atol=1e-12)
        assert np.allclose(sorted(values(figure(phone)["data"][1]["x"])), [P_B, P_A], atol=1e-12)


def test_a_number_question_shows_no_send_my_view():
    teacher, code = open_room()
    teacher.button(key="room.ask").click().run()  # the page's own "what is the loss?"
    phone = session({"room": code})
    assert not [w for w in phone.button if (w.key or "").startswith("room.view.send")]
