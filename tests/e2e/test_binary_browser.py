"""The Binary page in a real browser: edit a table cell, upload CSV files."""

import math

from playwright.sync_api import expect

from .helpers import wait_idle

SEED_SUM = 4.460303459760249


def sum_of_losses(page):
    return page.get_by_test_id("stMetric").filter(has_text="Sum of losses") \
        .get_by_test_id("stMetricValue")


def test_editing_a_cell_changes_the_sum(page, app_url):
    page.goto(f"{app_url}/binary")
    wait_idle(page)
    expect(sum_of_losses(page)).to_have_text(f"{SEED_SUM:.4f}", timeout=20_000)
    editor = page.get_by_test_id("stDataFrame").filter(has_text="true label t").first
    editor.scroll_into_view_if_needed()
    box = editor.bounding_box()
    # the grid is drawn on a canvas: open row 0's "predicted p" cell (header and rows are 35 px)
    page.mouse.dblclick(box["x"] + box["width"] * 0.85, box["y"] + 35 + 17)
    page.wait_for_timeout(300)
    page.keyboard.type("0.5")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    # row 0 is (t = 0, p = 0.07): its loss -log(0.93) becomes -log(0.5)
    expected = SEED_SUM + math.log(0.93) + math.log(2)
    expect(sum_of_losses(page)).to_have_text(f"{expected:.4f}", timeout=20_000)
    assert "binary.rows=0%3A0.5" in page.url or "binary.rows=0:0.5" in page.url, page.url


def test_uploading_csv_files(page, app_url, tmp_path):
    page.goto(f"{app_url}/binary")
    wait_idle(page)
    expect(sum_of_losses(page)).to_have_text(f"{SEED_SUM:.4f}", timeout=20_000)
    good = tmp_path / "good.csv"
    good.write_text("label,prediction\n1,0.5\n0,0.5\n")
    page.locator("input[type='file']").set_input_files(str(good))
    expect(sum_of_losses(page)).to_have_text(f"{2 * math.log(2):.4f}", timeout=20_000)

    bad = tmp_path / "bad.csv"
    bad.write_text("label,prediction\n1,0.5\n3,0.5\n")
    page.locator("input[type='file']").set_input_files(str(bad))
    error = page.get_by_test_id("stAlertContentError").filter(has_text="bad.csv")
    expect(error).to_contain_text("row 2, column 'label': 3 is not 0 or 1", timeout=20_000)
    expect(sum_of_losses(page)).to_have_text(f"{2 * math.log(2):.4f}")  # the table was kept
