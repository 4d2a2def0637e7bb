"""The Batch page in a real browser: switching class weights on changes the mean and its denominator."""

import math
import urllib.parse

from playwright.sync_api import expect

from .conftest import wait_idle

ROWS = "0 | 3, 0, 0; 0 | 2.5, 0.5, 0; 0 | 3, 0, 1; 1 | 1, 0.5, 0"


def ce(z, y):
    return math.log(sum(math.exp(v) for v in z)) - z[y]


def value(page, label):
    exact = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=exact).get_by_test_id("stMetricValue")


def test_toggling_class_weights_changes_mean_and_denominator(page, app_url):
    query = urllib.parse.urlencode({"batch.rows": ROWS, "batch.target_kind": "index",
                                    "batch.pred_kind": "logits", "batch.weights": "1, 5, 1"})
    page.goto(f"{app_url}/batch?{query}")
    wait_idle(page)
    z = [[3, 0, 0], [2.5, 0.5, 0], [3, 0, 1], [1, 0.5, 0]]
    losses = [ce(z[0], 0), ce(z[1], 0), ce(z[2], 0), ce(z[3], 1)]
    expect(value(page, "denominator of the mean")).to_have_text("4", timeout=20_000)
    expect(value(page, "mean")).to_have_text(f"{sum(losses) / 4:.4f}")

    page.get_by_text("Class weights", exact=True).click()
    expect(value(page, "denominator of the mean")).to_have_text("8", timeout=20_000)
    expect(value(page, "mean")).to_have_text(f"{(sum(losses[:3]) + 5 * losses[3]) / 8:.4f}")
    assert "batch.weights_on=true" in page.url

