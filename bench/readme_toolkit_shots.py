"""The README's toolkit screenshots: docs/join-slide.png, docs/room-locked.png,
docs/room-locked-phone.png and docs/room-phone-reveal.png.

    python bench/readme_toolkit_shots.py

A teacher opens a room in presentation mode at 1280×720, 150 % and shows the join slide
(CEVIS_PUBLIC_URL names the address phones use); then, at 1280×800, writes a choice
question; three of four phones (390×844) answer; the teacher locks (the fourth phone is
told), then reveals (a phone shows the class's answers, its own marked).
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.sync_api import expect  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.helpers import CHROMIUM  # noqa: E402
from tests.e2e.helpers import FLAGS  # noqa: E402
from tests.e2e.helpers import streamlit_server  # noqa: E402
from tests.e2e.helpers import wait_idle  # noqa: E402
from tests.e2e.test_room_toolkit_browser import answer_choice  # noqa: E402
from tests.e2e.test_room_toolkit_browser import pick  # noqa: E402
from tests.e2e.test_room_toolkit_browser import write_question  # noqa: E402

OUT = ROOT / "docs"
WAIT = 20_000  # ms
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
ENV = {"CEVIS_ROOM_POLL_SECONDS": "3600", "CEVIS_PUBLIC_URL": "http://192.168.1.20:8501"}


def settle(page, ms=700):
    wait_idle(page)
    page.wait_for_timeout(ms)


def main():
    with streamlit_server(ENV) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        t = browser.new_context(viewport={"width": 853, "height": 480}, device_scale_factor=1.5).new_page()
        t.goto(url + "/room?present=1")
        settle(t, 0)
        t.get_by_role("button", name="Open a room").click()
        code = t.get_by_test_id("cevis-room-code")
        expect(code).to_be_visible(timeout=WAIT)
        code = code.inner_text()
        if t.get_by_role("button", name="Present", exact=True).is_visible():  # the mode is the session's
            t.get_by_role("button", name="Present", exact=True).click()
            expect(t.get_by_role("button", name="Exit presentation")).to_be_visible(timeout=WAIT)
        t.get_by_role("button", name="Join slide").click()
        expect(t.get_by_test_id("cevis-slide-code")).to_be_visible(timeout=WAIT)
        settle(t)
        t.mouse.move(5, 470)  # no hover toolbar over the QR code
        t.screenshot(path=OUT / "join-slide.png")
        t.get_by_role("button", name="Back to the room").click()
        settle(t, 0)
        t.set_viewport_size({"width": 1280, "height": 800})
        phones = [browser.new_context(**PHONE).new_page() for _ in range(4)]
        for p in phones:
            p.goto(f"{url}/room?room={code}")
            expect(p.get_by_text("Follow the teacher")).to_be_visible(timeout=WAIT)
        write_question(t, "Which logit should rise to lower the loss?",
                       "* panda (the true class)\nseal\nduck")
        pick(t, "Question", "Your question 1")
        t.get_by_role("button", name="Ask the question").click()
        for p, option in zip(phones[:3], ["panda (the true class)", "seal", "panda (the true class)"]):
            expect(p.get_by_text("Which logit should rise")).to_be_visible(timeout=WAIT)
            answer_choice(p, option)
        t.get_by_role("button", name="Lock answers").click()
        expect(t.get_by_text(re.compile(r"answers of 4 · locked"))).to_be_visible(timeout=WAIT)
        expect(phones[3].get_by_text("The teacher locked the answers")).to_be_visible(timeout=WAIT)
        settle(t)
        t.get_by_role("button", name="Ask the question").scroll_into_view_if_needed()
        t.mouse.wheel(0, 120)
        settle(t, 400)
        t.screenshot(path=OUT / "room-locked.png")
        phones[3].screenshot(path=OUT / "room-locked-phone.png")
        t.get_by_role("button", name="Reveal the answers").click()
        phone = phones[2]
        expect(phone.get_by_test_id("stPlotlyChart").filter(has_text="3 answers")).to_be_visible(timeout=WAIT)
        settle(phone, 800)
        phone.screenshot(path=OUT / "room-phone-reveal.png")
        browser.close()


if __name__ == "__main__":
    main()
