"""axe-core in Chromium on every page read on a desktop: no WCAG 2.1 A/AA violation (presenting:
tests/e2e/test_presentation_sizes.py runs the same check in its 150 % page loads).

The engine is the axe.min.js bundled by the PyPI package axe-playwright-python (installed by
.ci/run; see tests/e2e/axe.py). Before this test (main at 1fb63fb): 33 violations reading
and 9 presenting on 11 pages, 193 nodes (bench/RESULTS_present.md). No rule or node is
excluded: where Streamlit's own markup failed (the navigation's sections, the caption
colour), the app changed what it asks Streamlit for (a flat navigation list, theme colours).
"""

import pytest
from fixtures_servers import missing

from .axe import AXE_JS
from .axe import report
from .axe import run_axe
from .axe import settle
from .helpers import wait_idle

PAGES = ["", "lessons", "binary", "explorer", "batch", "gradients", "descent", "training",
         "room", "stability"]
DESKTOP = dict(viewport={"width": 1400, "height": 900})
REVEAL = "lessons?lesson=2&step=3"  # a choice question whose reveal has metrics and charts
@pytest.fixture(scope="module", autouse=True)
def _axe():
    if AXE_JS is None:
        missing("axe-core is not installed (pip install axe-playwright-python)")


# presenting (at 1280x720, 150 %), every page and the reveal are checked in
# test_presentation_sizes.py's page load of each (one load per page and size)
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_no_wcag_violations_reading(browser, app_url, path):
    ctx = browser.new_context(**DESKTOP)
    page = ctx.new_page()
    try:
        page.goto(f"{app_url}/{path}")
        settle(page)
        found = run_axe(page)
        assert found == [], report(found)
    finally:
        ctx.close()


def test_a_lesson_reveal_has_no_wcag_violations_reading(browser, app_url):
    ctx = browser.new_context(**DESKTOP)
    page = ctx.new_page()
    try:
        page.goto(f"{app_url}/{REVEAL}")
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


def test_a_following_phone_has_no_wcag_violations(browser, app_url):
    """A student following the teacher sees pages drawn without the sample's controls
    (widgets/room.following): the Explorer and Descent as a phone shows them."""
    import re

    from playwright.sync_api import expect

    teacher = browser.new_context(**DESKTOP)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    try:
        desk, student = teacher.new_page(), phone.new_page()
        desk.goto(f"{app_url}/room")
        wait_idle(desk, timeout=60_000)
        desk.get_by_role("button", name="Open a room").click()
        code = desk.get_by_test_id("cevis-room-code")
        expect(code).to_have_text(re.compile(r"^\w{6}$"), timeout=30_000)
        student.goto(f"{app_url}/room?room={code.inner_text()}")
        wait_idle(student, timeout=60_000)
        for name, path in (("Explorer", "explorer"), ("Gradient descent", "descent")):
            desk.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
            expect(student).to_have_url(re.compile(f"/{path}"), timeout=30_000)
            expect(student.get_by_text("You see the teacher's sample")).to_be_visible(timeout=30_000)
            settle(student)
            found = run_axe(student)
            assert found == [], f"{path}: " + report(found)
    finally:
        teacher.close()
        phone.close()


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
