"""The stability page in a real browser: overflow shown on the page, never leaked to the log."""

from playwright.sync_api import expect

from .helpers import SERVER_LOGS
from .helpers import wait_idle


def test_extremes_show_nan_on_the_page_and_no_warning_in_the_server_log(page, app_url):
    page.goto(f"{app_url}/stability?stability.z=10000&stability.gap=1000&stability.p=0")
    wait_idle(page)
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="Unclamped")
           .get_by_test_id("stMetricValue")).to_have_text("inf")
    assert not page.get_by_test_id("stException").count()
    log = SERVER_LOGS[app_url].read_text(errors="replace")
    assert "RuntimeWarning" not in log, log[-2000:]
    assert "Traceback" not in log, log[-2000:]
