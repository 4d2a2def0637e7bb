"""Training in a real browser: the loss chart is drawn, and a preset redraws it."""

import re

from playwright.sync_api import expect

from .helpers import wait_idle


def loss_path(page):
    chart = page.get_by_test_id("stPlotlyChart").first
    return chart.locator("g.trace.scatter path.js-line").first


def test_training_draws_the_loss_curve(page, app_url):
    page.goto(f"{app_url}/training")
    wait_idle(page)
    expect(loss_path(page)).to_be_attached(timeout=20_000)
    before = loss_path(page).get_attribute("d")
    assert before and before.count("L") > 10  # a drawn curve (plotly simplifies straight runs)
    page.get_by_role("button", name="One that diverges").click()
    wait_idle(page)
    expect(page.get_by_test_id("stMetric").filter(has_text="Training accuracy")).to_be_visible()
    page.wait_for_function(
        "(old) => { const p = document.querySelector('[data-testid=\"stPlotlyChart\"] "
        "g.trace.scatter path.js-line'); return p && p.getAttribute('d') !== old; }",
        arg=before, timeout=20_000)


def test_clicking_a_flower_shows_its_numbers(page, app_url):
    page.goto(f"{app_url}/training")
    wait_idle(page)
    regions = page.get_by_test_id("stPlotlyChart").nth(1)
    point = regions.locator("g.trace.scatter path.point").first
    expect(point).to_be_attached(timeout=60_000)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    button = page.get_by_role("button", name="Open these logits in the Explorer")
    expect(button).to_be_visible(timeout=20_000)
    detail = page.get_by_text("loss −log p =", exact=False)
    expect(detail).to_be_visible()
    loss_here = re.search(r"loss −log p = ([0-9.]+)", detail.inner_text()).group(1)
    note = page.get_by_test_id("stCaptionContainer").filter(has_text="Explorer").first.inner_text()
    said = re.search(r"a loss of ([0-9.]+)", note)  # when the Explorer cannot show it exactly
    button.scroll_into_view_if_needed()  # the Training page scrolled well down (~950 px)
    button.click()
    # the same tab, on the Explorer, with the shared sample in its link
    page.wait_for_url(re.compile(r"/explorer\?.*explorer\.z1="), timeout=60_000)
    assert len(page.context.pages) == 1
    wait_idle(page)
    loss = page.get_by_test_id("cevis-live-loss")  # the Explorer shows its loss in the live view
    expect(loss).to_have_text(said.group(1) if said else loss_here, timeout=20_000)
    expect(loss).to_be_in_viewport()  # issue 24: it lands on the live view, not scrolled past it
