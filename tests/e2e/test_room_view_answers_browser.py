# ruff: noqa: F811  (`people` is test_room_toolkit_browser's fixture, imported to share it)
"""Answers on the live view in real browsers (issue 23, item 7): a teacher (projector) and two
phones, each its own browser context.

The teacher adds "Set the logits so that the loss is 1" and asks it; each phone opens the
Explorer, moves the true class's logit handle of the live view (keys: the same handler as a
drag's), and presses *Send my view*; the reveal shows both points on the teacher's −log p chart
and on each phone, its own marked "you". The points are checked against closed forms: logits
(±1, 0, 0) with y = 0 give p = e^{±1} / (e^{±1} + 2), loss −log p. The server polls once an hour
(CEVIS_ROOM_POLL_SECONDS): what phones see came by the push. CEVIS_SHOTS=/dir keeps screenshots.
"""

import math

import pytest
from playwright.sync_api import expect

from .helpers import streamlit_server
from .helpers import wait_idle
from .test_room_browser import open_room
from .test_room_toolkit_browser import people  # noqa: F401  (a teacher and three phones)
from .test_room_toolkit_browser import pick
from .test_room_toolkit_browser import shot

SLOW = 20_000  # ms
P = {1: math.e / (math.e + 2), -1: 1 / (1 + 2 * math.e)}  # z0 = ±1, z1 = z2 = 0, y = 0: p of panda


@pytest.fixture(scope="module")
def app_url():
    with streamlit_server({"CEVIS_ROOM_POLL_SECONDS": "3600"}) as url:
        yield url


def drawn_points(page) -> list:
    """[(x, y)] of the class's points as plotly drew them (the chart titled "… on target …")."""
    return page.evaluate("""() => {
        for (const gd of document.querySelectorAll('.js-plotly-plot')) {
            const title = (gd.layout && gd.layout.title && gd.layout.title.text) || '';
            if (title.includes('on target')) {
                const t = gd._fullData[1];  // typed arrays decoded
                return Array.from(t.x).map((x, i) => [x, t.y[i]]);
            }
        }
        return null;
    }""")


def flat(points) -> list:
    return [v for point in sorted(points) for v in point]


def mine_drawn(page) -> list:
    return page.evaluate("""() => {
        for (const gd of document.querySelectorAll('.js-plotly-plot')) {
            const mine = gd._fullData.find(t => t.name === 'yours');
            if (mine) return [mine.x[0], mine.y[0]];
        }
        return null;
    }""")


def test_two_phones_set_their_logits_send_their_views_and_the_reveal_shows_both(people, app_url):
    teacher, a, b, _ = people
    code = open_room(teacher, app_url)
    for phone in (a, b):
        phone.goto(f"{app_url}/room?room={code}")
        expect(phone.get_by_text("Follow the teacher")).to_be_visible(timeout=SLOW)
    teacher.get_by_text("Your questions (0)").click()
    teacher.get_by_role("button", name="Add: Set the logits so that the loss is 1").click()
    expect(teacher.get_by_text("Your questions (1)")).to_be_visible(timeout=SLOW)
    pick(teacher, "Question", "Your question 1")
    teacher.get_by_role("button", name="Ask the question").click()
    wait_idle(teacher)

    for phone, key, z0 in ((a, "PageUp", 1), (b, "PageDown", -1)):
        expect(phone.get_by_role("button", name="Send my view")).to_be_visible(timeout=SLOW)
        phone.get_by_role("link", name="Drag your logits on the Explorer").click()
        panda = phone.get_by_test_id("cevis-live").first.get_by_role("slider", name="logit z of panda",
                                                                      exact=True)
        expect(panda).to_be_visible(timeout=SLOW)
        wait_idle(phone)
        panda.focus()
        panda.press(key)  # a logit step of 1, released at once: the drag's commit
        expect(panda).to_have_attribute("aria-valuenow", f"{z0:.2f}")
        loss = -math.log(P[z0])
        expect(phone.get_by_text(f"Your view now: loss {loss:.3f}")).to_be_visible(timeout=SLOW)
        shot(phone, f"view_phone_{'ab'[z0 < 0]}_before")
        phone.get_by_role("button", name="Send my view").click()
        expect(phone.get_by_text(f"Answer sent: loss {loss:.3f} (p = {P[z0]:.3f})")).to_be_visible(
            timeout=SLOW)

    expect(teacher.get_by_text("2 answers of 2")).to_be_visible(timeout=SLOW)
    teacher.get_by_role("button", name="Reveal the answers").click()
    wait_idle(teacher)
    expect(teacher.locator(".js-plotly-plot").filter(has_text="on target")).to_be_visible(timeout=SLOW)
    expected = [v for z in (-1, 1) for v in (P[z], -math.log(P[z]))]  # by p: z0 = -1 first
    assert flat(drawn_points(teacher)) == pytest.approx(expected, abs=1e-9)
    shot(teacher, "view_teacher_reveal")
    for phone, z0 in ((a, 1), (b, -1)):
        expect(phone.locator(".js-plotly-plot").filter(has_text="you")).to_be_visible(timeout=SLOW)
        assert flat(drawn_points(phone)) == pytest.approx(expected, abs=1e-9)
        assert mine_drawn(phone) == pytest.approx([P[z0], -math.log(P[z0])], abs=1e-9)
        shot(phone, f"view_phone_{'ab'[z0 < 0]}_reveal")
