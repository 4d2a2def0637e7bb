"""The Explorer in a real browser: a keyboard-moved slider changes the loss, the live view and the URL."""

import math
import re

from playwright.sync_api import expect

from .helpers import wait_idle


def loss_text(page):
    return page.get_by_test_id("cevis-live-loss")


def live_handle(page, name):
    return page.get_by_test_id("cevis-live").get_by_role("slider", name=f"logit z of {name}",
                                                         exact=True)


def test_keyboard_moves_a_logit_and_everything_follows(page, app_url):
    page.goto(f"{app_url}/explorer")
    wait_idle(page)
    expect(loss_text(page)).to_have_text(f"{math.log(3):.4f}", timeout=20_000)
    expect(live_handle(page, "panda")).to_have_attribute("aria-valuetext", "0.00, p = 0.3333")

    page.get_by_text("Exact logits").click()  # the sliders for exact values are folded away
    slider = page.get_by_test_id("stSlider").filter(has_text="Logit z of panda").get_by_role("slider")
    slider.focus()
    slider.press("End")  # jump to the maximum, 10.00
    expect(slider).to_have_attribute("aria-valuetext", "10.00")
    expected = math.log(1 + 2 * math.exp(-10))  # -log softmax([10, 0, 0])[0]
    expect(loss_text(page)).to_have_text(f"{expected:.4f}", timeout=20_000)
    p_panda = 1 / (1 + 2 * math.exp(-10))
    expect(live_handle(page, "panda")).to_have_attribute("aria-valuetext", f"10.00, p = {p_panda:.4f}")
    expect(live_handle(page, "seal")).to_have_attribute(
        "aria-valuetext", f"0.00, p = {math.exp(-10) * p_panda:.4f}")
    assert re.search(r"explorer\.z0=10", page.url), page.url


def test_shared_link_reproduces_the_view(page, app_url):
    page.goto(f"{app_url}/explorer?explorer.z1=2.5&explorer.y=1&explorer.T=2")
    wait_idle(page)
    expected = math.log(2 + math.exp(1.25)) - 1.25  # -log softmax([0, 2.5, 0] / 2)[1]
    expect(loss_text(page)).to_have_text(f"{expected:.4f}", timeout=20_000)
    expect(live_handle(page, "seal")).to_have_attribute("aria-valuenow", "2.50")
    page.get_by_text("Exact logits").click()  # the exact-value sliders agree
    expect(page.get_by_test_id("stSlider").filter(has_text="Logit z of seal").get_by_role("slider")) \
        .to_have_attribute(
        "aria-valuetext", "2.50")


def test_a_deep_link_to_a_fresh_server_gets_the_router(browser):
    # The first request a new server sees is the shared link itself (a class opening it, a
    # Community Cloud app waking up): the page must still come with app.py's navigation.
    from .helpers import streamlit_server

    with streamlit_server() as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/explorer?explorer.z0=1")
        wait_idle(page)
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav.get_by_text("Binary cross-entropy")).to_be_visible(timeout=20_000)
        expect(nav.get_by_text("Explorer")).to_be_visible()
        expect(nav.get_by_text("app", exact=True)).to_have_count(0)
        page.close()


def test_renaming_the_true_class_survives_a_reload(page, app_url):
    page.goto(f"{app_url}/explorer?explorer.y=1&explorer.z1=2")
    wait_idle(page)
    expected = math.log(2 + math.exp(2)) - 2  # -log softmax([0, 2, 0])[1]
    expect(loss_text(page)).to_have_text(f"{expected:.4f}", timeout=20_000)
    names = page.get_by_label("Class names (comma-separated)")
    names.fill("panda, sea lion, duck")
    names.press("Enter")
    expect(page.get_by_test_id("cevis-live").get_by_text("p(sea lion)")).to_be_visible(
        timeout=20_000)
    page.reload()
    wait_idle(page)
    expect(page.get_by_test_id("cevis-live").get_by_text("p(sea lion)")).to_be_visible(
        timeout=20_000)
    expect(loss_text(page)).to_have_text(f"{expected:.4f}")
