"""A lesson by keyboard alone: Tab to the answer, type it, Enter on Check, Space on Next."""

import math

from playwright.sync_api import expect

from .helpers import wait_idle

MAX_TABS = 60  # far more than the sidebar's links and the page's controls


def tab_to(page, test):
    """Press Tab until ``test`` (a JS predicate on document.activeElement) holds."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def test_keyboard_only_through_a_step(page, app_url):
    page.goto(f"{app_url}/lessons?lesson=1&step=1")
    wait_idle(page)
    expect(page.get_by_text("Step 1 of")).to_be_visible(timeout=30_000)
    page.locator("body").focus()
    tab_to(page, "el.tagName === 'INPUT' && el.type === 'number'")
    page.keyboard.type(f"{-math.log(0.9):.2f}")  # 0.11, within the tolerance
    tab_to(page, "el.tagName === 'BUTTON' && el.innerText.includes('Check my answer')")
    page.keyboard.press("Enter")
    success = page.get_by_test_id("stAlertContentSuccess")
    expect(success).to_contain_text("Right", timeout=20_000)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1, timeout=20_000)  # the curve
    wait_idle(page)
    page.locator("body").focus()
    tab_to(page, "el.tagName === 'BUTTON' && el.innerText.includes('Next step')")
    page.keyboard.press("Space")
    expect(page.get_by_text("Step 2 of")).to_be_visible(timeout=20_000)
    assert "lesson=1" in page.url and "step=2" in page.url, page.url
