"""Gradient descent in a real browser: the player plays, and the logits come from the Explorer."""

from playwright.sync_api import expect

from .helpers import streamlit_slider
from .helpers import wait_idle


def test_play_runs_the_descent_in_the_browser(page, app_url):
    page.goto(f"{app_url}/descent?explorer.z1=3&explorer.z2=1&descent.steps=20")
    wait_idle(page)
    player = page.get_by_test_id("cevis-live").first
    expect(player).to_have_attribute("data-step", "0", timeout=20_000)
    first = page.get_by_test_id("cevis-descent-loss").text_content()
    page.get_by_test_id("cevis-descent-play").click()
    expect(player).not_to_have_attribute("data-step", "0", timeout=15_000)  # frames, no rerun
    assert page.get_by_test_id("cevis-descent-loss").text_content() != first  # the loss moved
    page.get_by_test_id("cevis-descent-play").click()
    expect(player).to_have_attribute("data-playing", "false")


def test_logits_set_in_the_explorer_carry_over(page, app_url):
    page.goto(f"{app_url}/explorer")
    wait_idle(page)
    # Streamlit's slider (the live view above has a "logit z of seal" handle too)
    slider = streamlit_slider(page, "Logit z of seal")
    slider.focus()
    slider.press("End")
    expect(slider).to_have_attribute("aria-valuetext", "10.00", timeout=10_000)
    wait_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Gradient descent").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Gradient descent on the loss")).to_be_visible(
        timeout=20_000)
    expect(page.get_by_role("slider", name="Logit z of seal")).to_have_attribute(
        "aria-valuetext", "10.00", timeout=20_000)
