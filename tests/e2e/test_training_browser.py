"""Training in a real browser: the loss chart is drawn, and a preset redraws it."""

from playwright.sync_api import expect

from .conftest import wait_idle


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
    expect(point).to_be_attached(timeout=20_000)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_text("Open these logits in the Explorer")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("loss −log p =", exact=False)).to_be_visible()
    href = page.get_by_role("link", name="Open these logits in the Explorer").get_attribute("href")
    assert "explorer.z0=" in href and "explorer.names=" in href
