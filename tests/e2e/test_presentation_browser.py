"""Presentation mode and readable pages, as a person sees them in Chromium.

1280×720 at 150 % zoom is a CSS viewport of 853×480 at device scale 1.5. Sizes and colours
are the browser's computed values (tests/e2e/pagecheck.py), never the app's own constants.
"""

from playwright.sync_api import expect

from .helpers import wait_idle
from .pagecheck import CHART_TEXT_JS
from .settled import wait_settled

PROJECTOR = dict(viewport={"width": 853, "height": 480}, device_scale_factor=1.5)
PRESENT_PX = 18  # chart text on a projector, in device px (issues #15, #25)


def open_page(browser, url, **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    page.goto(url)
    wait_idle(page, timeout=60_000)
    # the Explorer draws its charts in the live view, the other pages with plotly
    page.wait_for_selector("[data-testid=cevis-live] svg text, [data-testid=stPlotlyChart] "
                           "svg.main-svg text", timeout=60_000)
    wait_settled(page)  # every plotly chart drawn, and its last relayout (automargin) done
    return ctx, page


# Presenting on a projector (sidebar hidden, chart text ≥ 18 device px, nothing cut) is checked
# in test_presentation_sizes.py's 150 % load of each page, with the rest that page shows there.


# The Explorer on a projector without presenting (chart text contrast, nothing cut, preset labels
# wrapped): test_presentation_sizes.py, in its 150 % load of the Explorer with the sidebar open.


def test_the_present_button_switches_the_mode_and_the_url(browser, app_url):
    ctx, page = open_page(browser, f"{app_url}/explorer", viewport={"width": 1400, "height": 900})
    try:
        expect(page.get_by_test_id("stSidebar")).to_be_visible()
        page.get_by_role("button", name="Present", exact=True).click()
        expect(page.get_by_test_id("stSidebar")).to_be_hidden(timeout=20_000)
        page.wait_for_function("() => location.search.includes('present=1')", timeout=20_000)
        page.wait_for_function(f"() => ({CHART_TEXT_JS})().length > 0", timeout=20_000)
        assert min(t["size"] for t in page.evaluate(CHART_TEXT_JS)) >= PRESENT_PX
        page.get_by_role("button", name="Exit presentation").click()
        expect(page.get_by_test_id("stSidebar")).to_be_visible(timeout=20_000)
        page.wait_for_function("() => !location.search.includes('present')", timeout=20_000)
    finally:
        ctx.close()


# On a phone, the loss and the first handle on the first screen: test_presentation_sizes.py, in
# the load that then opens and closes the sidebar.


def test_descent_steps_by_keyboard(browser, app_url):
    ctx, page = open_page(browser, f"{app_url}/descent?descent.steps=10",
                          viewport={"width": 1400, "height": 900})
    try:
        player = page.get_by_test_id("cevis-live").first  # the descent player (issue 24)
        player.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(player).to_have_attribute("data-step", "2", timeout=20_000)
        expect(page.get_by_test_id("cevis-descent-step")).to_have_text("2")
        expect(page.get_by_text("At step 2: loss")).to_be_visible(timeout=20_000)
    finally:
        ctx.close()


def test_arrow_keys_press_a_lessons_buttons_unless_a_control_has_the_focus(browser, app_url):
    # The listener comes with a lesson's buttons (not on every page) and finds them by label;
    # a capturing click listener records each press and stops it, so the page stays put.
    ctx = browser.new_context(**PROJECTOR)
    page = ctx.new_page()
    page.goto(f"{app_url}/lessons?lesson=1&step=2&present=1")
    try:
        wait_idle(page, timeout=60_000)
        page.wait_for_function("() => window.__cevisLessonKeys === true", timeout=20_000)
        expect(page.get_by_role("button", name="← Previous")).to_be_enabled(timeout=20_000)
        page.evaluate("""() => {
            window.__clicks = [];
            window.addEventListener('click', (event) => {
                const b = event.target.closest && event.target.closest('button');
                if (!b) return;
                window.__clicks.push(b.innerText.trim());
                event.stopPropagation();
                event.preventDefault();
            }, true);
            const slider = document.createElement('div');
            slider.setAttribute('role', 'slider');
            slider.tabIndex = 0;
            slider.id = 'fake-slider';
            document.body.appendChild(slider);
            document.activeElement.blur();
        }""")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowLeft")
        assert page.evaluate("window.__clicks") == ["Next step →", "Next step →", "← Previous"]
        page.focus("#fake-slider")
        page.keyboard.press("ArrowRight")  # a focused slider keeps its own arrow keys
        assert len(page.evaluate("window.__clicks")) == 3
    finally:
        ctx.close()


def test_no_page_but_a_lesson_mounts_the_arrow_keys(browser, app_url):
    ctx, page = open_page(browser, f"{app_url}/explorer?present=1", **PROJECTOR)
    try:
        expect(page.get_by_test_id("cevis-live")).to_be_visible(timeout=30_000)
        wait_idle(page, timeout=60_000)
        assert page.evaluate("window.__cevisLessonKeys === undefined")
    finally:
        ctx.close()


def test_arrow_keys_step_through_the_lessons_page(browser, app_url):
    ctx = browser.new_context(**PROJECTOR)
    page = ctx.new_page()
    page.goto(f"{app_url}/lessons?lesson=1&step=1&present=1")
    try:
        wait_idle(page, timeout=60_000)
        page.wait_for_function("() => window.__cevisLessonKeys === true", timeout=20_000)
        expect(page.get_by_role("button", name="Next step →")).to_be_enabled(timeout=20_000)
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('step=2')", timeout=20_000)
        expect(page.get_by_role("button", name="← Previous")).to_be_enabled(timeout=20_000)
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => location.search.includes('step=1')", timeout=20_000)
    finally:
        ctx.close()
