"""Gradient descent in a real browser: the play button animates, and the logits come from the Explorer."""

from playwright.sync_api import expect

from .helpers import wait_idle


def test_play_runs_the_animation_in_the_browser(page, app_url):
    page.goto(f"{app_url}/descent?explorer.z1=3&explorer.z2=1&descent.steps=20")
    wait_idle(page)
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".slider-container")).to_be_visible(timeout=20_000)
    label = chart.locator(".slider-container text").filter(has_text="step")
    expect(label).to_have_text("step 0")
    bars = chart.locator("text.bartext")
    first = bars.first.text_content()
    chart.get_by_text("▶ play").click()
    expect(label).to_have_text("step 20", timeout=15_000)  # the last frame, no server round trip
    assert bars.first.text_content() != first  # the probability bars moved


def test_logits_set_in_the_explorer_carry_over(page, app_url):
    page.goto(f"{app_url}/explorer")
    wait_idle(page)
    # Streamlit's slider (the live view above has a "logit z of seal" handle too)
    slider = page.get_by_test_id("stSlider").filter(has_text="Logit z of seal").get_by_role("slider")
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
