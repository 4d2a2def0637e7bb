"""README's presentation screenshots at 1280x720 and 150 % (853x480 CSS px at scale 1.5).

    python bench/present_shots.py            # writes docs/presentation.png, docs/lesson-reveal.png

The Explorer presenting, and a lesson step (lesson 2, step 3) after *Check my answer*.
"""

from __future__ import annotations

import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "tests"))

from bench.chart_text import FLAGS  # noqa: E402
from bench.chart_text import server  # noqa: E402
from tests.e2e.axe import STILL_JS  # noqa: E402

PROJECTOR = dict(viewport={"width": 853, "height": 480}, device_scale_factor=1.5)
SETTLE_SECONDS = 1.5  # plotly's last relayout


def still(page):
    page.wait_for_selector(".st-key-cevis-present button:visible", timeout=90_000)
    page.wait_for_function(STILL_JS, timeout=90_000)
    time.sleep(SETTLE_SECONDS)


def main():
    from playwright.sync_api import sync_playwright

    with server(str(HERE)) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_context(**PROJECTOR).new_page()
        page.goto(f"{url}/explorer?present=1")
        still(page)
        page.screenshot(path=str(HERE / "docs/presentation.png"))
        page.goto(f"{url}/lessons?lesson=2&step=3&present=1")
        still(page)
        page.get_by_test_id("stRadioOption").nth(1).click()  # "stays the same": right
        still(page)
        page.get_by_role("button", name="Check my answer").click()
        page.get_by_test_id("stAlertContentSuccess").wait_for(timeout=30_000)
        still(page)
        page.screenshot(path=str(HERE / "docs/lesson-reveal.png"))
        browser.close()


if __name__ == "__main__":
    main()
