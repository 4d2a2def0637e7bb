"""axe-core in Chromium on every page, presenting and not: no WCAG 2.1 A/AA violation.

The engine is the axe.min.js bundled by the PyPI package axe-playwright-python (installed by
.ci/run; see tests/e2e/axe.py). Before this test (main at 1fb63fb): 33 violations reading
and 9 presenting on 11 pages, 193 nodes (bench/RESULTS_present.md). No rule or node is
excluded: where Streamlit's own markup failed (the navigation's sections, the caption
colour), the app changed what it asks Streamlit for (a flat navigation list, theme colours).
"""

import pytest
from fixtures_servers import missing

from .axe import AXE_JS
from .axe import run_axe
from .helpers import wait_idle

PAGES = ["", "lessons", "binary", "explorer", "batch", "gradients", "descent", "training",
         "room", "stability"]
DESKTOP = dict(viewport={"width": 1400, "height": 900})
PROJECTOR = dict(viewport={"width": 853, "height": 480}, device_scale_factor=1.5)
REVEAL = "lessons?lesson=2&step=3"  # a choice question whose reveal has metrics and charts
# nothing running, nothing stale (Streamlit fades elements during a rerun: low contrast that no
# one reads), every lazy element and plotly chart drawn
BUSY = ("[data-testid=stStatusWidget], [data-stale=true], [data-testid=stSkeleton], "
        "[data-testid=stSkeletonElement]")
STILL_JS = f"""() => !document.querySelector('{BUSY}')
  && [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
       .every(c => c.querySelector('svg.main-svg'))"""


@pytest.fixture(scope="module", autouse=True)
def _axe():
    if AXE_JS is None:
        missing("axe-core is not installed (pip install axe-playwright-python)")


def settle(page):
    """The script run over and every plotly chart drawn (axe reads the final page)."""
    page.wait_for_selector(".st-key-cevis-present button:visible", timeout=60_000)  # it has run
    wait_idle(page, timeout=60_000)
    page.wait_for_function(STILL_JS, timeout=60_000)
    page.wait_for_timeout(500)
    page.wait_for_function(STILL_JS, timeout=60_000)  # no second run started meanwhile


def report(violations) -> str:
    return "\n".join(f"{v['rule']} ({v['impact']}): {v['help']}\n  " +
                     "\n  ".join(n["target"] + "\n    " + n["summary"] for n in v["nodes"][:5])
                     for v in violations)


@pytest.mark.parametrize("present", [False, True], ids=["reading", "presenting"])
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_no_wcag_violations(browser, app_url, path, present):
    ctx = browser.new_context(**(PROJECTOR if present else DESKTOP))
    page = ctx.new_page()
    try:
        page.goto(f"{app_url}/{path}" + ("?present=1" if present else ""))
        settle(page)
        found = run_axe(page)
        assert found == [], report(found)
    finally:
        ctx.close()


@pytest.mark.parametrize("present", [False, True], ids=["reading", "presenting"])
def test_a_lesson_reveal_has_no_wcag_violations(browser, app_url, present):
    ctx = browser.new_context(**(PROJECTOR if present else DESKTOP))
    page = ctx.new_page()
    try:
        page.goto(f"{app_url}/{REVEAL}" + ("&present=1" if present else ""))
        wait_idle(page, timeout=60_000)
        page.get_by_test_id("stRadioOption").first.click()
        wait_idle(page)
        page.get_by_role("button", name="Check my answer").click()
        page.get_by_test_id("stAlertContentError").wait_for(timeout=30_000)  # "goes up": wrong
        settle(page)
        found = run_axe(page)
        assert found == [], report(found)
    finally:
        ctx.close()


def test_the_check_can_fail(browser, app_url):
    """The same run finds what it should: low-contrast text and a list of <div>s."""
    page = browser.new_page()
    try:
        page.goto(f"{app_url}/explorer")
        wait_idle(page, timeout=60_000)
        page.evaluate("""() => {
            const main = document.querySelector('[data-testid=stMainBlockContainer]');
            const p = document.createElement('p');
            p.textContent = 'grey on white';
            p.style.color = '#999999';  // 2.8:1
            p.style.background = '#ffffff';
            const ul = document.createElement('ul');
            ul.appendChild(document.createElement('div')).textContent = 'not a list item';
            main.prepend(p, ul);  // on screen
        }""")
        assert {v["rule"] for v in run_axe(page)} == {"color-contrast", "list"}
    finally:
        page.close()
