"""The live component in a real browser: while a handle is held, every readout is cevis's number
for the value under the pointer; one release is one rerun, and the link carries the value.

Expected numbers come from cevis's public API in this test (not from the page).
"""

import math
import re

import numpy as np
from playwright.sync_api import expect

import cevis

from .helpers import wait_idle

START = "explorer.z0=2&explorer.z1=1&explorer.z2=0.1&explorer.T=0.5"  # panda, seal, duck
FIRST_DRAW_MS = 45_000  # a page's first load on a busy 2-core machine took up to ~25 s


def loss(z, y, t):
    return f"{float(0.0 - cevis.log_softmax(np.array(z, dtype=float), temperature=t)[y]):.4f}"


def live(page):
    return page.get_by_test_id("cevis-live").first


def handle(page, name):
    return live(page).get_by_role("slider", name=f"logit z of {name}", exact=True)


def value(locator):
    return float(locator.get_attribute("aria-valuenow"))


def renders(page):
    return int(live(page).get_attribute("data-render"))


def track_point(page, index, fraction):
    box = live(page).locator(".cl-track").nth(index).bounding_box()
    return box["x"] + fraction * box["width"], box["y"] + box["height"] / 2


def open_live(page, url):
    page.goto(url)
    wait_idle(page)
    expect(live(page)).to_be_visible(timeout=FIRST_DRAW_MS)
    expect(live(page)).to_have_attribute("data-render", re.compile(r"\d+"))


def test_a_held_drag_shows_cevis_loss_at_every_position_then_commits_once(page, app_url):
    open_live(page, f"{app_url}/explorer?{START}")
    expect(page.get_by_test_id("cevis-live-loss")).to_have_text(loss([2, 1, 0.1], 0, 0.5))
    before = renders(page)
    seal = handle(page, "seal")
    box = seal.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    seen = set()
    for fraction in (0.2, 0.45, 0.7, 0.93, 0.81):
        page.mouse.move(*track_point(page, 1, fraction), steps=4)
        page.wait_for_timeout(60)
        z1 = value(seal)
        seen.add(z1)
        expect(page.get_by_test_id("cevis-live-loss")).to_have_text(loss([2, z1, 0.1], 0, 0.5))
        assert renders(page) == before, "no rerun while the handle is held"
    assert len(seen) == 5
    page.mouse.up()
    expect(live(page)).to_have_attribute("data-render", str(before + 1), timeout=20_000)
    wait_idle(page)
    page.wait_for_timeout(1500)
    assert renders(page) == before + 1, "one release is one rerun"
    assert live(page).get_attribute("data-commits") == "1"
    assert f"explorer.z1={z1:g}" in page.url, page.url
    page.get_by_text("Exact logits").click()  # the exact-value sliders, folded away, agree
    streamlit_slider = page.get_by_test_id("stSlider").filter(has_text="Logit z of seal")
    expect(streamlit_slider.get_by_role("slider")).to_have_attribute("aria-valuetext", f"{z1:.2f}")
    expect(page.get_by_test_id("cevis-live-loss")).to_have_text(loss([2, z1, 0.1], 0, 0.5))


def test_keys_step_a_handle(page, app_url):
    open_live(page, f"{app_url}/explorer?{START}")
    panda = handle(page, "panda")
    panda.focus()
    for key, expected in [("ArrowRight", 2.1), ("ArrowRight", 2.2), ("ArrowDown", 2.1),
                          ("PageUp", 3.1), ("PageDown", 2.1), ("End", 10.0), ("Home", -10.0)]:
        panda.press(key)
        expect(panda).to_have_attribute("aria-valuenow", f"{expected:.2f}")
        expect(page.get_by_test_id("cevis-live-loss")).to_have_text(loss([expected, 1, 0.1], 0, 0.5))
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"explorer\.z0=-10"), timeout=20_000)


def test_a_touch_drag_moves_a_handle(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    try:
        open_live(page, f"{app_url}/explorer?{START}")
        duck = handle(page, "duck")
        duck.scroll_into_view_if_needed()
        before = renders(page)
        cdp = context.new_cdp_session(page)
        box = duck.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for fraction in (0.8, 0.95):
            tx, ty = track_point(page, 2, fraction)
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": tx, "y": ty}]})
            page.wait_for_timeout(80)
            z2 = value(duck)
            assert z2 > 0.1
            expect(page.get_by_test_id("cevis-live-loss")).to_have_text(loss([2, 1, z2], 0, 0.5))
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        expect(live(page)).to_have_attribute("data-render", str(before + 1), timeout=20_000)
        expect(page).to_have_url(re.compile(rf"explorer\.z2={z2:g}(&|$)"), timeout=20_000)
    finally:
        context.close()


def test_temperature_and_shift_are_live(page, app_url):
    open_live(page, f"{app_url}/explorer?{START}")
    t_handle = live(page).get_by_role("slider", name="temperature T", exact=True)
    box = t_handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(*track_point(page, 3, 0.6), steps=4)
    page.wait_for_timeout(60)
    t = value(t_handle)
    assert 2.5 < t < 3.5
    expect(page.get_by_test_id("cevis-live-loss")).to_have_text(loss([2, 1, 0.1], 0, t))
    assert live(page).locator(".cl-ghost").first.is_visible(), "the T = 1 bars stay as a ghost"
    page.mouse.up()
    expect(page).to_have_url(re.compile(rf"explorer\.T={t:g}(&|$)"), timeout=20_000)
    wait_idle(page)

    panda = handle(page, "panda")
    panda.focus()
    page.keyboard.down("ArrowRight")  # held: the drag state, not yet committed
    expect(live(page).locator(".cl-ghost").first).to_be_visible()  # the ghost follows the logit
    page.keyboard.up("ArrowRight")
    expect(panda).to_have_attribute("aria-valuenow", "2.10")
    wait_idle(page)

    shift = live(page).get_by_role("slider", name="shift all logits by s", exact=True)
    steady = page.get_by_test_id("cevis-live-loss").text_content()
    shift.focus()
    for key in ("PageUp", "ArrowRight", "PageDown", "PageDown"):
        shift.press(key)
        page.wait_for_timeout(30)
        assert page.get_by_test_id("cevis-live-loss").text_content() == steady  # shift invariance
    expect(handle(page, "panda")).to_have_attribute("aria-valuenow", "1.20")  # 2.1 + 1 + 0.1 - 1 - 1
    wait_idle(page)


def test_a_shared_link_opens_with_the_same_handles(page, app_url):
    open_live(page, f"{app_url}/explorer?explorer.z0=-3.5&explorer.z1=7.25&explorer.z2=0"
                    "&explorer.y=1&explorer.T=1.5&explorer.names=cat,dog,bird")
    expect(handle(page, "dog")).to_have_attribute("aria-valuenow", "7.25")
    expect(handle(page, "cat")).to_have_attribute("aria-valuenow", "-3.50")
    expect(page.get_by_test_id("cevis-live-loss")).to_have_text(loss([-3.5, 7.25, 0], 1, 1.5))
    expect(live(page).get_by_role("slider", name="temperature T", exact=True)).to_have_attribute(
        "aria-valuenow", "1.50")


def test_binary_drag_along_the_sigmoid(page, app_url):
    open_live(page, f"{app_url}/binary?binary.z=1&binary.t=0")
    expect(page.get_by_test_id("cevis-live-loss")).to_have_text(f"{math.log1p(math.e):.4f}")
    knob = live(page).get_by_role("slider", name="logit z", exact=True)
    area = live(page).locator("rect.cl-drag").bounding_box()
    page.mouse.move(area["x"] + area["width"] * 0.55, area["y"] + area["height"] / 2)
    page.mouse.down()
    for fraction in (0.3, 0.8):
        page.mouse.move(area["x"] + area["width"] * fraction, area["y"] + area["height"] / 2, steps=3)
        page.wait_for_timeout(60)
        z = value(knob)
        bce = float(cevis.binary_cross_entropy_with_logits(np.array([z]), np.array([0.0]),
                                                           reduction="none")[0])
        expect(page.get_by_test_id("cevis-live-loss")).to_have_text(f"{bce:.4f}")
    page.mouse.up()
    expect(page).to_have_url(re.compile(rf"binary\.z={z:g}(&|$)"), timeout=20_000)


def test_binary_probability_mode_moves_p(page, app_url):
    open_live(page, f"{app_url}/binary?binary.kind=probability&binary.p=0.5&binary.t=1")
    knob = live(page).get_by_role("slider", name="probability p", exact=True)
    knob.focus()
    knob.press("ArrowUp")
    expect(knob).to_have_attribute("aria-valuenow", "0.5050")
    expect(page.get_by_test_id("cevis-live-loss")).to_have_text(f"{-math.log(0.505):.4f}")
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"binary\.p=0\.505(&|$)"), timeout=20_000)


def loss_places(page):
    """Every place on the Explorer that prints the loss: the readout, the point's label on the
    −log p curve, the loss formula and the true class's "loss if true" in the class table."""
    view = live(page)
    true_row = view.get_by_test_id("cevis-live-table").locator("tbody tr.cl-true td").last
    label = view.get_by_test_id("cevis-live-curve-label").text_content()
    return {"readout": page.get_by_test_id("cevis-live-loss").text_content(),
            "curve": label.split("L = ")[-1],
            "formula": view.get_by_test_id("cevis-live-formula-loss").text_content(),
            "table": true_row.text_content()}


def test_mid_drag_every_place_that_shows_the_loss_shows_cevis_value(page, app_url):
    """Issue 24 item 1: while a handle is held, the page never shows two losses."""
    open_live(page, f"{app_url}/explorer?{START}")
    start = loss([2, 1, 0.1], 0, 0.5)
    assert set(loss_places(page).values()) == {start}
    seal = handle(page, "seal")
    box = seal.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    for fraction in (0.85, 0.3, 0.97):
        page.mouse.move(*track_point(page, 1, fraction), steps=4)
        page.wait_for_timeout(80)
        z1 = value(seal)
        expected = loss([2, z1, 0.1], 0, 0.5)  # closed form from cevis, not the page's numbers
        assert loss_places(page) == dict.fromkeys(("readout", "curve", "formula", "table"), expected)
        p = math.exp(2 / 0.5) / sum(math.exp(v / 0.5) for v in (2, z1, 0.1))
        expect(live(page).get_by_test_id("cevis-live-formula-p")).to_have_text(f"{p:.4f}")
        text = page.locator("body").inner_text()
        assert start not in text or start == expected, "a stale loss is still on the page"
    page.mouse.up()
    wait_idle(page)
    # said to screen readers once, on release: the loss of the released position
    expect(live(page).get_by_test_id("cevis-live-announce")).to_contain_text(f"Loss {expected}")
    assert live(page).get_by_test_id("cevis-live-announce").get_attribute("aria-live") == "polite"


def test_the_formulas_follow_the_temperature(page, app_url):
    """Dragging T rewrites the exponents z/T and the 1/T of the gradient from the tables."""
    open_live(page, f"{app_url}/explorer?{START}")
    t_handle = live(page).get_by_role("slider", name="temperature T", exact=True)
    t_handle.focus()
    page.keyboard.down("ArrowRight")  # held: mid-drag
    expect(t_handle).to_have_attribute("aria-valuenow", "0.55")
    t = 0.55
    formulas = live(page).get_by_test_id("cevis-live-formulas")
    for z in (2, 1, 0.1):
        expect(formulas).to_contain_text(f"{z / t:.2f}".replace("-", "\u2212"))
    expect(live(page).get_by_test_id("cevis-live-formula-loss")).to_have_text(loss([2, 1, 0.1], 0, t))
    page.keyboard.up("ArrowRight")
    wait_idle(page)


def test_a_payload_that_cannot_be_decoded_says_so(browser, app_url):
    """Issue 27: without DecompressionStream (Safari before 16.4) the view was blank."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script("delete window.DecompressionStream;")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/explorer?{START}")
        wait_idle(page)
        error = page.get_by_test_id("cevis-live-error")
        expect(error).to_be_visible(timeout=FIRST_DRAW_MS)
        expect(error).to_have_attribute("role", "alert")
        expect(error).to_contain_text("could not be drawn")
        assert live(page).count() == 0  # no half-drawn view
    finally:
        context.close()
